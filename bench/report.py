"""Print the benchmark's figures: connector beside floor, and the targets met or missed.

    python bench/report.py connector.json floor.json
"""

import json
import sys
from collections import Counter

#: The issue's targets.
MAX_RATIO = 1.15
MAX_GETS_PER_100 = 1.0
#: Memory "flat as N grows": the peak at N at most this much above the peak at N/4.
MAX_MEMORY_GROWTH = 1.25


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def requests_of_import(connector):
    """The requests of the import alone: the store's log at the end minus its log after the setup."""
    after, before = connector["requests"], connector["requests_setup"]
    by_method = Counter(after["by_method"]) - Counter(before["by_method"])
    by_kind = Counter(after["by_kind"]) - Counter(before["by_kind"])
    return by_method, by_kind


def point(side, label):
    return next((p for p in side["checkpoints"] if p["label"] == label), side["end"])


def verdict(ok):
    return "OK  " if ok else "MISS"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    connector, floor = load(argv[0]), load(argv[1])
    n = connector["orders"]
    c_end, f_end = connector["end"], floor["end"]
    by_method, by_kind = requests_of_import(connector)
    gets = by_method.get("GET", 0)
    ratio = c_end["seconds"] / f_end["seconds"] if f_end["seconds"] else float("inf")

    print()
    print(f"=== Benchmark: {n} store orders (path: {connector['path']}) ===")
    mix = connector["mix"]
    print(f"store: {mix['statuses']}; guests {mix['guests']}, company buyers {mix['companies']}, paid {mix['paid']}, "
          f"with refunds {mix['with_refunds']}; {mix['lines_per_order']} product lines per order (+ shipping, fees)")
    print(f"import: {connector['counts']}; setup from store {connector['setup']['seconds']} s")
    for failure in connector["failures"][:5]:
        print(f"  failed {failure['entity']} {failure['wc_id']}: {failure['reason'][:160]}")
    print("created (connector / floor): " + ", ".join(
        f"{model} {connector['created'][model]}/{floor['created'][model]}" for model in connector["created"]))
    print()
    print(f"{'':28}{'connector':>12}{'floor':>12}")
    rows = [
        ("seconds", c_end["seconds"], f_end["seconds"], "{:.1f}"),
        ("CPU seconds (this process)", c_end["cpu_seconds"], f_end["cpu_seconds"], "{:.1f}"),
        ("orders per second", n / c_end["seconds"], n / f_end["seconds"], "{:.1f}"),
        ("SQL queries per order", c_end["queries"] / n, f_end["queries"] / n, "{:.1f}"),
        ("load average (1 min) at end", c_end["load_average"], f_end["load_average"], "{:.2f}"),
        ("max RSS at N/4 (MB)", point(connector, "N/4")["max_rss_mb"], point(floor, "N/4")["max_rss_mb"], "{:.0f}"),
        ("max RSS at N (MB)", c_end["max_rss_mb"], f_end["max_rss_mb"], "{:.0f}"),
    ]
    if connector["trace"] and floor["trace"]:
        rows += [
            ("traced peak at N/4 (MB)", point(connector, "N/4")["traced_peak_mb"], point(floor, "N/4")["traced_peak_mb"], "{:.1f}"),
            ("traced peak at N (MB)", c_end["traced_peak_mb"], f_end["traced_peak_mb"], "{:.1f}"),
        ]
    for label, left, right, fmt in rows:
        print(f"{label:28}{fmt.format(left):>12}{fmt.format(right):>12}")
    print()
    print(f"HTTP requests of the import: {dict(by_method)} — by kind: {dict(by_kind)}")
    listing = by_kind.get("GET orders", 0)
    pages = -(-n // 100)  # a page holds at most 100 orders
    print(f"[{verdict(listing <= pages)}] order listing GETs: {listing} for {n} orders = {listing * 100 / n:.2f} per 100 "
          f"(target: <= 1 per 100, i.e. {pages} pages)")
    print(f"[{verdict(gets * 100 / n <= MAX_GETS_PER_100)}] all GETs (refunds too): {gets} = {gets * 100 / n:.2f} per 100 orders "
          f"(target <= {MAX_GETS_PER_100})")
    print(f"[{verdict(ratio <= MAX_RATIO)}] connector / floor time: {ratio:.2f} (target <= {MAX_RATIO})")
    key = "traced_peak_mb" if connector["trace"] else "max_rss_mb"
    growth = c_end[key] / point(connector, "N/4")[key]
    print(f"[{verdict(growth <= MAX_MEMORY_GROWTH)}] connector memory at N / at N/4 ({key}): {growth:.2f} "
          f"(flat: <= {MAX_MEMORY_GROWTH})")
    if connector["trace"]:
        print("(traced run: tracemalloc slows Python down; compare timings of untraced runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
