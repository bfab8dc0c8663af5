#!/usr/bin/env python3
"""Runs htmldate (the anchor for `linimasa eval`'s published-date figure) on the
development pages of ../shared/eval/published-date and prints correct/total for its
two modes: original_date=True with the fast search, and the default extensive search.

    python3 -m venv /tmp/hd && /tmp/hd/bin/pip install htmldate
    /tmp/hd/bin/python scripts/eval_htmldate.py [../shared/eval/published-date] [misses.tsv]

The pages are read where they lie and never copied; the misses file holds URLs and
dates only.
"""
import gzip
import json
import sys
from pathlib import Path

import htmldate
from htmldate import find_date

MODES = {
    "original_fast": dict(original_date=True, extensive_search=False),
    "original_extensive": dict(original_date=True, extensive_search=True),
    "default": dict(),
}


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/published-date")
    misses_path = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    gold = json.loads((root / "gold.json").read_text())
    right = {m: 0 for m in MODES}
    misses = []
    for url, g in gold.items():
        raw = gzip.decompress((root / "pages" / g["file"]).read_bytes())
        for mode, kw in MODES.items():
            try:
                got = find_date(raw, url=url, outputformat="%Y-%m-%d", **kw)
            except Exception as e:  # noqa: BLE001 -- a crash is a miss, reported
                got = f"error: {e}"
            if got == g["date"]:
                right[mode] += 1
            else:
                misses.append((mode, url, g["date"], got or ""))
    print(f"htmldate {htmldate.__version__} on {len(gold)} pages")
    for mode in MODES:
        print(f"{mode}: {right[mode]}/{len(gold)} = {right[mode] / len(gold):.3f}")
    if misses_path:
        with misses_path.open("w") as f:
            f.write("mode\turl\tgold\tgot\n")
            for m in misses:
                f.write("\t".join(m) + "\n")


if __name__ == "__main__":
    main()
