#!/usr/bin/env python3
"""The anchor of the article-body figure: Python trafilatura (from PyPI) on the pages of
../shared/eval/html-body, written in the benchmark's output format
({id: {"articleBody": text}}) and scored by `linimasa eval --score-body`, the same scorer
our own figure comes from (EVALUATION.md, "Article body").

    python3 -m venv /tmp/venv-traf && /tmp/venv-traf/bin/pip install trafilatura lxml_html_clean
    /tmp/venv-traf/bin/python scripts/eval_body_anchor.py \
        [--data ../shared/eval] [--out target/eval] [--linimasa target/release/linimasa]

The output file holds page text: it stays under target/ and is never committed.
"""

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/eval"))
    ap.add_argument("--out", type=Path, default=Path("target/eval"))
    ap.add_argument(
        "--linimasa",
        type=Path,
        default=Path("target/release/linimasa"),
        help="the binary that scores the output; skipped when it does not exist",
    )
    args = ap.parse_args()
    try:
        import trafilatura
    except ImportError as e:
        # trafilatura 2.x on lxml >= 5.2 also needs lxml_html_clean.
        sys.exit(f"cannot import trafilatura ({e}): pip install trafilatura lxml_html_clean")

    pages = args.data / "html-body" / "pages"
    if not pages.is_dir():
        print(f"{pages} not found: nothing to measure", file=sys.stderr)
        return 0
    htmls = {}
    for p in sorted(pages.glob("*.html.gz")):
        htmls[p.name.removesuffix(".html.gz")] = gzip.decompress(p.read_bytes())
    out = {}
    start = time.perf_counter()
    for id_, html in htmls.items():
        # The defaults the benchmark's authors ran trafilatura with: main text, no
        # comments.
        text = trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False)
        out[id_] = {"articleBody": text or ""}
    took = time.perf_counter() - start
    print(
        f"trafilatura {trafilatura.__version__}: {len(out)} pages in {took:.2f} s "
        f"({len(out) / took:.1f} pages/s)"
    )
    args.out.mkdir(parents=True, exist_ok=True)
    dest = args.out / "trafilatura-py.json"
    dest.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"written to {dest}")
    if args.linimasa.exists():
        return subprocess.call(
            [
                str(args.linimasa),
                "eval",
                "--data",
                str(args.data),
                "--out",
                str(args.out),
                "--score-body",
                str(dest),
            ]
        )
    print(f"score it with: linimasa eval --score-body {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
