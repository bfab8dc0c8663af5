#!/usr/bin/env python3
"""Add the Russian and Ukrainian case forms of every country name to
data/gazetteer/countries.tsv ("Ливана", "в Судане", "Ізраїлю", "по Сирии").

scripts/build_gazetteer.py writes countries.tsv with the iso-codes names (nominative
only) and a few hand-written case forms; run this script after it. It is idempotent:
it reads the aliases, drops the forms it generated before (listed on the file's
`# generated case forms:` line) and generates them again.

For every Cyrillic alias, in each language whose dictionary knows its head word:
  * the words from the start up to the first noun (the head) are inflected together,
    adjectives agreeing with it ("Южный Судан" -> "Южного Судана", "Объединённые
    Арабские Эмираты" -> "Объединённых Арабских Эмиратах"); a noun joined to the head
    by "и"/"і"/"та" is inflected as well ("Босния и Герцеговина" -> "Боснии и
    Герцеговине"); the rest stays as written ("Республика Корея" -> "Республике Корея");
  * in the head's own number (a plural name stays plural);
  * in the six cases (nomn gent datv accs ablt loct; Russian also loc2, "в Крыму");
  * a one-word form is kept only if every reading the dictionary gives it is a form
    of a proper name (a place, `Geox`, or a name the dictionary does not know as a
    common word): "Чада" (the genitive of "чад", fumes) and "Кубе" stay out when a
    common noun reads them;
  * a form another country, a region or a town also has is left out (as
    build_gazetteer.py leaves out shared aliases), and so is a form in COUNTRY_STOP.

Sources (PyPI):
  pymorphy3-dicts-ru 2.4.417150.4580142  (OpenCorpora dictionary; MIT per PyPI,
                                          OpenCorpora data CC BY-SA)
  pymorphy3-dicts-uk 2.4.1.1.1663094765  (LanguageTool/VESUM-based; GPLv3 per PyPI)
  pymorphy3 (the reader)

Usage: python3 -m venv /tmp/pm && /tmp/pm/bin/pip install pymorphy3 \\
           pymorphy3-dicts-ru==2.4.417150.4580142 pymorphy3-dicts-uk==2.4.1.1.1663094765
       /tmp/pm/bin/python scripts/build_country_cases.py     (deterministic)
"""
import itertools
import re
import unicodedata
from importlib.metadata import version
from pathlib import Path

import pymorphy3

ROOT = Path(__file__).resolve().parent.parent
GAZ = ROOT / "data" / "gazetteer"
COUNTRIES = GAZ / "countries.tsv"
MARK = "# generated case forms: "
CYRILLIC = re.compile(r"[а-яёіїєґ]", re.I)
CASES = {"ru": ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2"),
         "uk": ("nomn", "gent", "datv", "accs", "ablt", "loct")}
CONJ = {"и", "і", "та", "й"}
# Ordinary words in ru/uk (folded), as in build_gazetteer.py's COUNTRY_STOP.
COUNTRY_STOP = {"того", "мали", "малі"}


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s.lower().replace("ё", "е").replace("’", "'"))
    s = "".join(c for c in s if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", s)


_MORPH: dict = {}


def morph(lang: str):
    if lang not in _MORPH:
        _MORPH[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return _MORPH[lang]


def capitalised_like(form: str, model: str) -> str:
    if "’" in model:
        form = form.replace("'", "’")
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def readings(m, word: str, pos: str) -> list:
    """The nominative readings of `word` as a noun (a place's first) or an adjective.
    A plural reading only where the word has no singular one: "Штаты" is a plural
    name, "Кореи" a singular's genitive."""
    pos = ("ADJF", "PRTF") if pos == "ADJF" else (pos,)  # "Объединённые": a participle
    ps = [p for p in m.parse(word) if p.tag.POS in pos and "nomn" in p.tag]
    # (the Ukrainian tagset marks the plural only)
    if any("plur" not in p.tag for p in m.parse(word) if p.tag.POS in pos):
        ps = [p for p in ps if "plur" not in p.tag]
    return sorted(ps, key=lambda p: "Geox" not in str(p.tag))


def known(m, word: str, lang: str) -> bool:
    w = word.lower()
    if lang == "ru" and re.search(r"[іїєґ'’]", w):
        return False
    if lang == "uk" and re.search(r"[ыэёъ]", w):
        return False
    return m.word_is_known(w)


def only_proper(m, form: str, lemma: str) -> bool:
    """Every reading the dictionary gives `form` is one of the name `lemma` or of a
    proper name (a place, a person's name); a common word of another lemma ("Чада",
    genitive of "чадо"; uk "Кубі", of "куб") is not."""
    if not m.word_is_known(form.lower()):
        return True
    for p in m.parse(form.lower()):
        if p.score <= 0.01 or p.normal_form == lemma:
            continue
        tag = str(p.tag)
        if not any(g in tag for g in ("Geox", "Name", "Surn")):
            return False
    return True


def inflections(alias: str, lang: str) -> list[str]:
    m = morph(lang)
    words = alias.replace("’", "'").split(" ")
    if any("," in w or "(" in w for w in words):
        return []
    if not all(known(m, w, lang) or w.lower() in CONJ for w in words):
        return []
    # The span inflected together: adjectives up to the head noun, plus a noun joined
    # to it by a conjunction.
    adjs, head, head_i = [], None, None
    for i, w in enumerate(words):
        nouns = readings(m, w.lower(), "NOUN")
        adj = readings(m, w.lower(), "ADJF")
        if nouns and (not adj or i + 1 == len(words) or not readings(m, words[i + 1].lower(), "NOUN")):
            head, head_i = nouns[0], i
            break
        if not adj:
            return []
        adjs.append((i, adj))
    if head is None:
        return []
    number = "plur" if "plur" in head.tag else "sing"
    gender = head.tag.gender
    plan = []
    for i, rs in adjs:
        fit = [r for r in rs if (number == "plur" and "plur" in r.tag)
               or (number == "sing" and r.tag.gender == gender)]
        if not fit:
            return []
        plan.append((i, fit[0]))
    plan.append((head_i, head))
    if head_i + 2 < len(words) and words[head_i + 1].lower() in CONJ:
        nxt = readings(m, words[head_i + 2].lower(), "NOUN")
        if nxt:
            plan.append((head_i + 2, nxt[0]))
    out = []
    if len(words) == 1:
        # Every form of the lexeme in a case of the list ("Лівану", "Ліванові").
        for f in head.lexeme:
            if f.tag.case in CASES[lang] and (number == "plur") == ("plur" in f.tag) \
                    and only_proper(m, f.word, head.normal_form):
                out.append(capitalised_like(capitalised_like(f.word, alias), alias))
        return list(dict.fromkeys(out))
    for case in CASES[lang]:
        # Every form of each word in the case (and the head's number; an adjective in
        # its gender): "Південному Судані", "Південнім Судані".
        options = []
        for j, p in plan:
            forms = []
            if case == "accs" and p.tag.POS != "NOUN" and "inan" in head.tag \
                    and (number == "plur" or gender == "masc"):
                # An inanimate head's adjective is in the nominative ("Объединённые
                # Арабские Эмираты", "Південний Судан"), not the genitive.
                options.append([words[j]])
                continue
            for f in p.lexeme:
                if f.tag.POS != p.tag.POS or not f.word.startswith(p.word[:-2]):
                    continue  # a participle's lexeme is its verb's
                if f.tag.case != case or (number == "plur") != ("plur" in f.tag):
                    continue
                if f.tag.POS != "NOUN" and number == "sing" and f.tag.gender != gender:
                    continue
                forms.append(capitalised_like(f.word, words[j]))
            options.append(list(dict.fromkeys(forms)))
        if not all(options):
            continue
        for combo in itertools.product(*options):
            new = list(words)
            for (j, _), w in zip(plan, combo):
                new[j] = w
            out.append(capitalised_like(" ".join(new), alias))
    return list(dict.fromkeys(out))


def other_names() -> dict[str, str]:
    """Folded names of regions and towns, to keep a country's form from matching them."""
    names: dict[str, str] = {}
    for fname, col in (("regions.tsv", None), ("places.tsv", None), ("places-curated.tsv", None)):
        path = GAZ / fname
        header = None
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
                continue
            row = dict(zip(header, cols))
            for a in row.get("aliases", "").split("|") + [row.get("name", "")]:
                if a:
                    names.setdefault(fold(a), fname)
    return names


def main() -> None:
    lines = COUNTRIES.read_text(encoding="utf-8").splitlines()
    previous: set[str] = set()
    comments, rows = [], []
    header = None
    for line in lines:
        if line.startswith(MARK):
            previous = set(line[len(MARK):].split("|"))
            continue
        if line.startswith("#"):
            comments.append(line)
            continue
        if header is None:
            header = line
            continue
        code, name, aliases, neighbours = line.split("\t")
        own = [a for a in aliases.split("|") if a and a not in previous]
        rows.append([code, name, own, neighbours])
    # Every written alias by folded form: generated forms may not take another's.
    owners: dict[str, set[str]] = {}
    for code, name, own, _ in rows:
        for a in own + [name]:
            owners.setdefault(fold(a), set()).add(code)
    elsewhere = other_names()
    generated: dict[str, list[str]] = {}
    gen_owners: dict[str, set[str]] = {}
    for code, _, own, _ in rows:
        forms = []
        for a in own:
            if not CYRILLIC.search(a):
                continue
            for lang in ("ru", "uk"):
                for f in inflections(a, lang):
                    if f not in forms and f not in own:
                        forms.append(f)
        generated[code] = forms
        for f in forms:
            gen_owners.setdefault(fold(f), set()).add(code)
    written = []
    dropped = 0
    uk_letters = re.compile(r"[іїєґ]", re.I)
    for row in rows:
        code = row[0]
        have = {fold(a) for a in row[2]}
        # The Ukrainian headline names a country by its first alias in Ukrainian-only
        # letters (src/headline/names.rs `country`): where no written name has them
        # ("Палестина", "Катар"), a case form in them ("Палестині") would become its
        # name, so those forms stay out.
        uk_named = any(uk_letters.search(a) for a in row[2])
        for f in generated[code]:
            k = fold(f)
            if k in have:
                continue
            if not uk_named and uk_letters.search(f):
                dropped += 1
                continue
            if (k in COUNTRY_STOP or owners.get(k, {code}) != {code}
                    or gen_owners[k] != {code} or k in elsewhere):
                dropped += 1
                continue
            row[2].append(f)
            have.add(k)
            written.append(f)
    out = [c for c in comments if not c.startswith("# Case forms:")]
    out.append("# Case forms: ru/uk case forms of the names added by scripts/build_country_cases.py"
               f" (pymorphy3 {version('pymorphy3')}, pymorphy3-dicts-ru"
               f" {version('pymorphy3-dicts-ru')}, pymorphy3-dicts-uk {version('pymorphy3-dicts-uk')}).")
    out.append(MARK + "|".join(written))
    out.append(header)
    for code, name, own, neighbours in rows:
        out.append("\t".join([code, name, "|".join(own), neighbours]))
    COUNTRIES.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{len(written)} case forms added, {dropped} left out (shared or common words)")


if __name__ == "__main__":
    main()
