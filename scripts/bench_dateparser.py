#!/usr/bin/env python3
"""The other side of the extraction benchmark (BENCHMARKS.md): Python dateparser's
`search_dates` over the same articles as `cargo bench --bench extract`, on one core.

    python3 scripts/bench_dateparser.py            # after cargo bench --bench extract

dateparser only finds dates (linimasa's whole pipeline does much more), so the first
ratio flatters dateparser; the second compares date finder with date finder (linimasa's
sentences and time expressions over the cleaned articles). Each set is bounded in time (BENCH_DATEPARSER_SECONDS, default 60):
the rate is over the articles done by then. Prints articles/s and, when
target/bench/extract.json exists, linimasa's rate over dateparser's.
"""

import datetime
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
        done, found = 0, 0
        start = time.perf_counter()
        for r in rows:
            base = None
            d = (r.get(date_field) or "")[:10]
            if d:
                try:
                    base = datetime.datetime.fromisoformat(d)
                except ValueError:  # e.g. "2013-12-4" in IndoTimex
                    base = None
            settings = {"RELATIVE_BASE": base} if base else {}
            hits = search_dates(r["text"], languages=[lang], settings=settings) or []
            found += len(hits)
            done += 1
            if time.perf_counter() - start > BUDGET:
                break
        secs = time.perf_counter() - start
        rate = done / secs
        results[name] = rate
        line = f"{name}: {rate:.1f} articles/s ({done} of {len(rows)} articles in {secs:.1f} s, {found} dates found)"
        if name in ours:
            mine = ours[name]["articles_per_sec"]
            line += f"; linimasa {mine:.0f} articles/s = {mine / rate:.0f}x"
            dates = ours[name].get("dates_only_articles_per_sec")
            if dates:
                line += f"; date finding alone {dates:.0f} articles/s = {dates / rate:.0f}x"
        print(line)
    out = ROOT / "target/bench/dateparser.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results))


if __name__ == "__main__":
    main()
