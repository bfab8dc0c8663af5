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

Python 3.11 standard library only.
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
COUNTRY_COLUMNS = ["code", "name", "aliases"]
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


def build_regions(iso_json: Path, locale_dir: Path, curated_path: Path, country_keys: set[str]):
    data = json.loads((iso_json / "iso_3166-2.json").read_text(encoding="utf-8"))["3166-2"]
    top = {s["code"]: s for s in data if "parent" not in s}
    trs = load_translations(locale_dir, "iso_3166-2")
    curated = {r["iso_code"]: r for r in read_tsv(curated_path, REGION_COLUMNS)}

    problems = [c for c in curated if c not in top]
    if problems:
        sys.exit(f"curated codes not first-level ISO 3166-2 codes: {problems}")

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

    for code in sorted(top):
        sub = top[code]
        cc = code.split("-", 1)[0]
        iso_names = [sub["name"]] + translated(trs, sub["name"])
        al = Aliases()
        cur = curated.get(code)

        def accept(alias: str, from_iso: bool) -> None:
            for v in variants(clean(alias)):
                k = fold(v)
                if (code, v) in BAD_TRANSLATIONS:
                    dropped.append((code, v, "known-bad translation"))
                elif k in country_keys:
                    dropped.append((code, v, "country name"))
                elif from_iso and curated_owner.get(k, code) != code:
                    dropped.append((code, v, f"curated alias of {curated_owner[k]}"))
                elif from_iso and cur is None and k in GENERIC_WORDS:
                    dropped.append((code, v, "generic word"))
                elif from_iso and cur is None and k in AMBIGUOUS_NAMES:
                    dropped.append((code, v, "ordinary word / personal name"))
                elif len(k) < MIN_ALIAS_CHARS:
                    dropped.append((code, v, "too short"))
                else:
                    al.add(v)

        if cur:
            if cur["country"] != cc:
                sys.exit(f"{code}: curated country {cur['country']} != {cc}")
            for a in cur["aliases"].split("|"):
                accept(a, from_iso=False)
            for a in iso_names:
                accept(a, from_iso=True)
            if not cur["lat"] or not cur["lon"]:
                sys.exit(f"{code}: curated row without lat/lon")
            lat, lon = f"{float(cur['lat']):.2f}", f"{float(cur['lon']):.2f}"
            rows.append([code, cc, cur["slug"], cur["name"], lat, lon, al])
            continue

        for a in iso_names:
            accept(a, from_iso=True)
        if not al.items:
            # Every name was dropped (e.g. a province named like its country):
            # fall back to the name qualified by its subdivision type.
            fallback = f"{sub['name']} {sub['type'].lower()}"
            al.add(fallback)
            dropped.append((code, fallback, "fallback alias added"))
        base = slugify(sub["name"]) or code.lower()
        slug = base
        if slug in used_slugs:
            slug = f"{base}-{cc.lower()}"
        if slug in used_slugs:
            slug = f"{base}-{cc.lower()}-{slugify(code.split('-', 1)[1])}"
        if slug in used_slugs:
            sys.exit(f"cannot make a unique slug for {code}")
        used_slugs.add(slug)
        rows.append([code, cc, slug, sub["name"], "", "", al])
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
    ap.add_argument("-v", "--verbose", action="store_true", help="list dropped aliases")
    args = ap.parse_args()

    curated_path = args.out_dir / "regions-curated.tsv"
    version = iso_codes_version(args.iso_json)

    countries, c_dropped = build_countries(args.iso_json, args.locale_dir)
    country_keys = {fold(a) for c in countries for a in c["aliases"]}
    regions, r_dropped = build_regions(args.iso_json, args.locale_dir, curated_path, country_keys)

    common = (
        f"# Generated by scripts/build_gazetteer.py; do not edit by hand.\n"
        f"# Sources: Debian iso-codes {version} (ISO 3166 codes, names and ru/uk/id\n"
        f"#   translations; https://salsa.debian.org/iso-codes-team/iso-codes, LGPL-2.1-or-later)\n"
        f"#   and hand-curated data in this repository.\n"
        f"# Place names are geographic facts.\n"
    )
    region_comment = common + (
        "# Curated rows (from regions-curated.tsv) carry approximate coordinates, mostly the\n"
        "#   administrative centre's; other rows have empty lat/lon.\n"
        "# aliases are '|'-separated; match them case- and accent-insensitively.\n"
    )
    country_comment = common + "# aliases are '|'-separated; match them case- and accent-insensitively.\n"

    for r in regions:
        if not r[6].items:
            sys.exit(f"{r[0]}: empty aliases")
    write_tsv(args.out_dir / "regions.tsv", region_comment, REGION_COLUMNS,
              [r[:6] + ["|".join(r[6].items)] for r in regions])
    for c in countries:
        if not c["aliases"]:
            sys.exit(f"{c['code']}: empty aliases")
    write_tsv(args.out_dir / "countries.tsv", country_comment, COUNTRY_COLUMNS,
              [[c["code"], c["name"], "|".join(c["aliases"])] for c in countries])

    n_cur = sum(1 for r in regions if r[4])
    print(f"regions.tsv: {len(regions)} rows ({n_cur} curated); countries.tsv: {len(countries)} rows")
    print(f"dropped aliases: {len(r_dropped)} region, {len(c_dropped)} country (-v to list)")
    if args.verbose:
        for code, alias, why in r_dropped + c_dropped:
            print(f"  {code}\t{alias}\t{why}")


if __name__ == "__main__":
    main()
