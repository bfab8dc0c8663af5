#!/usr/bin/env python3
"""Derives data/lexicon/exact-words.txt: the words that get one exact bit each in the
PostgreSQL link rows' word signature (column w4, migration 0019, src/store/words.rs).

Rule: the ASCII words of four letters or more that occur in the most English and
Indonesian phrases of the event lexicon (triggers.tsv `phrase`, event-cues.tsv `forms`),
counted once per phrase, leaving out every word of a grammar form (grammar.tsv, en and
id); the first 63 by count, ties by the word. These are the words the event types and
their means are told by, which is what readers of the service ask for; a word's text
probes per page grow with how common it is in a place, which is what an exact bit saves.

The stored bits are tied to this list: bit i of w4 is word i of the file. Changing the
file changes what stored rows mean, so the file is fixed once written; a new list needs
a migration that clears w4 (0 = not known, always correct) and the file changed with it.
Run: python3 scripts/exact_words.py > data/lexicon/exact-words.txt
"""
import collections
import re
import sys

LEX = "data/lexicon/"


def rows(name):
    header = None
    for line in open(LEX + name, encoding="utf-8"):
        if line.startswith("#"):
            continue
        cols = line.rstrip("\n").split("\t")
        if header is None:
            header = cols
            continue
        yield dict(zip(header, cols))


def ascii_words(phrase):
    return set(re.findall(r"[a-z]+", phrase.lower()))


stop = set()
for r in rows("grammar.tsv"):
    if r.get("lang") in ("en", "id"):
        for form in r.get("forms", "").split("|"):
            stop |= ascii_words(form)

count = collections.Counter()
for name, col in (("triggers.tsv", "phrase"), ("event-cues.tsv", "forms")):
    for r in rows(name):
        if r.get("lang") not in ("en", "id"):
            continue
        for phrase in r.get(col, "").split("|"):
            for w in ascii_words(phrase):
                if len(w) >= 4 and w not in stop:
                    count[w] += 1

top = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))[:63]
out = sys.stdout
out.write("# linimasa exact words: one bit each in w4 of PostgreSQL's link rows (migration 0019,\n")
out.write("# src/store/words.rs); line i (from 0, comments left out) is bit i. Made by\n")
out.write("# scripts/exact_words.py from the lexicon; fixed once written (see the script).\n")
for w, _ in top:
    out.write(w + "\n")
