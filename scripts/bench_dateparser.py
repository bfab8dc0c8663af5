#!/usr/bin/env python3
"""The other side of the extraction benchmark (BENCHMARKS.md): Python dateparser's
`search_dates` over the same articles as `cargo bench --bench extract`, on one core.

    python3 scripts/bench_dateparser.py            # after cargo bench --bench extract

dateparser only finds dates (linimasa's whole pipeline does much more), so the first
ratio flatters dateparser; the second compares date finder with date finder (linimasa's
sentences and time expressions over the cleaned articles).

Each set is run with two calls:
- `search_dates(text)`: the call as a script author first writes it; dateparser then
  tries every language it knows on every article.
- `search_dates(text, languages=[lang])`: its fastest form, with the article's language
  named (and `RELATIVE_BASE` set to the publication date). The ratios that count are
  against this one.
Each (set, call) is bounded in time (BENCH_DATEPARSER_SECONDS, default 60): the rate is
over the articles done by then. Prints articles/s and, when target/bench/extract.json
exists, linimasa's rate over dateparser's.
"""

import datetime
import itertools
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("LINIMASA_SHARED", ROOT.parent / "shared"))
SETS = [
    ("news-en", "eval/news-en-2022-2024.jsonl", "en", "seen_date"),
    ("news-id", "eval/news-id-2022-2024.jsonl", "id", "published_iso"),
    ("indotimex-kompas", "eval/indotimex-kompas.jsonl", "id", "dct"),
]
BUDGET = float(os.environ.get("BENCH_DATEPARSER_SECONDS", "60"))
MIN_SECONDS = 3.0


def run(search_dates, rows, lang, date_field):
    """Articles per second over `rows` within the time budget, and a line saying so.

    A set done in under MIN_SECONDS is gone through again until that time has passed
    (one pass over the nine short news-id pages takes ~30 ms, too short to read a rate
    from); the dates found are those of the first pass."""
    done, found = 0, 0
    start = time.perf_counter()
    for r in itertools.cycle(rows):
        settings = {}
        if lang:
            d = (r.get(date_field) or "")[:10]
            try:
                settings = {"RELATIVE_BASE": datetime.datetime.fromisoformat(d)} if d else {}
            except ValueError:  # e.g. "2013-12-4" in IndoTimex
                settings = {}
        languages = [lang] if lang else None
        hits = search_dates(r["text"], languages=languages, settings=settings) or []
        if done < len(rows):
            found += len(hits)
        done += 1
        elapsed = time.perf_counter() - start
        if elapsed > BUDGET or (done >= len(rows) and elapsed > MIN_SECONDS):
            break
    secs = time.perf_counter() - start
    rate = done / secs
    passes = f"{done / len(rows):.1f} passes over {len(rows)}" if done > len(rows) else f"{done} of {len(rows)}"
    return rate, f"{rate:.1f} articles/s ({passes} articles in {secs:.1f} s, {found} dates found)"


def main() -> None:
    try:
        import dateparser
        from dateparser.search import search_dates
    except ImportError:
        sys.exit("dateparser is not installed: python3 -m pip install dateparser")
    ours = {}
    f = ROOT / "target/bench/extract.json"
    if f.exists():
        ours = json.loads(f.read_text())
    print(f"dateparser {dateparser.__version__}, one process, {BUDGET:.0f} s at most per set")
    results = {}
    for name, file, lang, date_field in SETS:
        path = SHARED / file
        if not path.exists():
            print(f"NOTICE: {path} is absent; skipping {name}")
            continue
        rows = [json.loads(line) for line in path.open()]
        # Warm up: dateparser builds its language data on first use.
        search_dates(rows[0]["text"][:200], languages=[lang])
        search_dates(rows[0]["text"][:200])
        for call, named in (("languages named", True), ("default call", False)):
            rate, line = run(search_dates, rows, lang if named else None, date_field)
            key = name if named else f"{name} (default call)"
            results[key] = rate
            line = f"{name}, {call}: {line}"
            if name in ours:
                mine = ours[name]["articles_per_sec"]
                line += f"; linimasa {mine:.0f} articles/s = {mine / rate:.0f}x"
                dates = ours[name].get("dates_only_articles_per_sec")
                if dates:
                    line += f"; date finding alone {dates:.0f} articles/s = {dates / rate:.0f}x"
            print(line, flush=True)
    out = ROOT / "target/bench/dateparser.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results))


if __name__ == "__main__":
    main()
