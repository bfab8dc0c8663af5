#!/usr/bin/env python3
"""Writes data/eval/langid-dev.tsv, the references (no texts) of the language-identification
development set, from ../shared/eval. Usage, from the repository root:
    python3 scripts/langid_devset.py data/eval/langid-dev.tsv [texts.tsv]
"""
import json, csv, re, sys
HEADER = """# linimasa's language-identification development set: references into ../shared/eval,
# never the texts (their licences forbid copying them here). tests/it/langid.rs rebuilds
# each text as the characters start..end (Unicode code points) of the record's text field
# and checks it against the FNV-1a 32-bit hash of its UTF-8 bytes. Made by
# scripts/langid_devset.py: the lead sentence of news-en and IndoTimex articles (and the
# first sentences of news-id) up to 100 a language, every sentence of the two Russian
# pages of html-body (the only Russian prose in shared/), every ACLED note whole, and
# every UCDP headline of four words or more. Our own Russian, Ukrainian and
# other-language sentences are in langid-own.tsv.
# set\trecord\tstart\tend\tgold\tfnv1a32
"""
SH = '../shared/eval/'
def fnv(s):
    h = 0x811c9dc5
    for b in s.encode('utf-8'):
        h ^= b; h = (h * 0x01000193) & 0xffffffff
    return '%08x' % h
SENT = re.compile(r'(?<=[.!?])["”»]?\s+(?=["“«(]?[A-ZА-ЯІЇЄҐ0-9])')
def sentences(text):
    """(start, end) code-point spans of sentences within paragraphs."""
    out = []
    for m in re.finditer(r'[^\r\n]+', text):
        para, base = m.group(0), m.start()
        pos = 0
        for sm in list(SENT.finditer(para)) + [None]:
            end = sm.start() if sm else len(para)
            # include closing quote in sentence if the split swallowed it
            seg = para[pos:end]
            lead = len(seg) - len(seg.lstrip())
            s, e = base + pos + lead, base + end
            while e > s and text[e-1].isspace(): e -= 1
            if e > s: out.append((s, e))
            pos = sm.end() if sm else len(para)
            if sm: 
                # keep quote char that belonged to the previous sentence
                pass
    return out
def dateline(text, s, e):
    m = re.match(r'[A-Za-z.,() ]{2,40}? [-–—] ', text[s:e])
    return s + m.end() if m else s
def ok(t):
    return 40 <= len(t) <= 400 and not re.search(r'https?://|@|\|', t) and t[-1] in '.!?"”»' and t[0].isupper()
rows = []
seen = set()
def add(setname, rid, text, s, e, gold):
    t = text[s:e]
    if setname != 'acled' and t in seen: return 0
    seen.add(t)
    rows.append((setname, rid, s, e, gold, fnv(t), t))
    return 1

# English: first usable sentence (the lead) of the first 100 news-en articles with one.
n = 0
for line in open(SH + 'news-en-2022-2024.jsonl'):
    r = json.loads(line)
    for s, e in sentences(r['text'])[:1]:
        s = dateline(r['text'], s, e)
        if ok(r['text'][s:e]):
            n += add('news-en', r['id'], r['text'], s, e, 'en')
    if n == 100: break
# Indonesian: the lead of every IndoTimex doc, then the first sentences of news-id.
n = 0
for line in open(SH + 'indotimex-kompas.jsonl'):
    r = json.loads(line)
    for s, e in sentences(r['text'])[:1]:
        s = dateline(r['text'], s, e)
        if ok(r['text'][s:e]):
            n += add('indotimex', r['doc_id'], r['text'], s, e, 'id')
k = 0
while n < 100 and k < 10:
    for line in open(SH + 'news-id-2022-2024.jsonl'):
        r = json.loads(line)
        ss = sentences(r['text'])
        if k < len(ss):
            s, e = ss[k]
            s = dateline(r['text'], s, e)
            if ok(r['text'][s:e]) and n < 100:
                n += add('news-id', r['id'], r['text'], s, e, 'id')
    k += 1
# Russian: the only Russian prose in shared/eval is two pages of html-body (not news).
g = json.load(open(SH + 'html-body/ground-truth.json'))
for pid in ['c82b3d1d540bbbd6081bdfb78b4c068c583aa766bcaaefe7ad16d24e5413a829', 'c4a3637c6696f238cf9fe1c7fbb17bbb6731a71d4f5fe399b9b4fc3294a96a6b']:
    b = g[pid]['articleBody']
    for s, e in sentences(b):
        if ok(b[s:e]): add('html-body', pid, b, s, e, 'ru')
# ACLED: every note, whole.
for r in csv.DictReader(open(SH + 'acled-ukraine-notes-400.csv')):
    add('acled', r['id'], r['text'], 0, len(r['text']), 'en')
# UCDP: every headline (English), an extra short-text check.
for r in csv.DictReader(open(SH + 'ucdp-ukraine-2022-2023.csv')):
    t = r['text']; pos = 0
    for h in t.split(';'):
        s = pos + (len(h) - len(h.lstrip())); e = pos + len(h.rstrip())
        hl = t[s:e]
        # Headlines only: not the social-media handles and mangled lines the field also holds.
        if len(hl.split()) >= 4 and not re.search(r'@|\?\?|^r/', hl): add('ucdp', r['id'], t, s, e, 'en')
        pos += len(h) + 1
import collections
print(collections.Counter((r[0], r[4]) for r in rows), file=sys.stderr)
with open(sys.argv[1], 'w') as f:
    f.write(HEADER)
    for r in rows: f.write('\t'.join(map(str, r[:6])) + '\n')
# With a second path, the texts too, for reading misses (never into the repository).
if len(sys.argv) > 2:
    with open(sys.argv[2], 'w') as f:
        for r in rows: f.write('\t'.join(map(str, r)) + '\n')
