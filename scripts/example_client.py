#!/usr/bin/env python3
"""What a script author does with linimasa: page through the JSON timeline with `next`,
load the CSV export into pandas, and print a small summary.

    python3 scripts/example_client.py http://127.0.0.1:8080 kursk

Needs only the standard library, plus pandas for the CSV part (skipped without it).
"""
import json
import sys
import urllib.parse
import urllib.request


def get_json(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.load(r)


def all_events(base, **params):
    """Every event matching the filter, following `next` page by page."""
    url = f"{base}/events?{urllib.parse.urlencode(params)}"
    while url:
        page = get_json(url)
        yield from page["events"]
        url = urllib.parse.urljoin(base, page["next"]) if page["next"] else None


def main():
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else "http://127.0.0.1:8080"
    region = sys.argv[2] if len(sys.argv) > 2 else "kursk"
    events = list(all_events(base, region=region, limit=2))
    print(f"{len(events)} events in {region} (paged 2 at a time)")
    for e in events:
        print(f"  {e['date']:<10} {e['event_type']:<9} {e['title'][:70]}  [{len(e['sources'])} source(s)]")
    try:
        import pandas
    except ImportError:
        print("pandas not installed: skipping the CSV part")
        return
    df = pandas.read_csv(f"{base}/events.csv?region={urllib.parse.quote(region)}")
    print(f"CSV: {len(df)} rows x {len(df.columns)} columns; by type: {df['event_type'].value_counts().to_dict()}")
    assert len(df) == len(events), "the CSV export and the JSON pages agree"


if __name__ == "__main__":
    main()
