"""The benchmark's store: a generated EmulatedStore served from a process of its own.

    python bench/store_process.py --orders 2000 [--seed 1]

Prints one JSON line {"url", "consumer_key", "consumer_secret", "orders", "mix"}
when it serves, then reads commands on stdin, one a line:

* ``log``   -> one JSON line: the requests the store answered, by method and path kind;
* ``grow N`` -> copies of the orders under new ids up to N orders; one JSON line ``[[template, new], ...]``;
* ``quit``  (or end of input) -> stops.

A process of its own so that the store's N orders count neither in the
importer's memory nor in its Python time (a real store is another machine).
"""

import argparse
import json
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wc_emulator import EmulatedStore  # noqa: E402 - after the path
from wc_emulator.generator import generate_store  # noqa: E402
from wc_emulator.server import API_PREFIX  # noqa: E402


def data_mix(data):
    """What the generated orders are made of: statuses, guests, companies, lines per order."""
    orders = list(data.orders.values())
    statuses = Counter(order["status"] for order in orders)
    lines = sum(len(order["line_items"]) for order in orders)
    return {
        "orders": len(orders),
        "currencies": sorted({order["currency"] for order in orders}),
        "statuses": dict(sorted(statuses.items())),
        "guests": sum(1 for order in orders if not order["customer_id"]),
        "companies": sum(1 for order in orders if (order["billing"] or {}).get("company")),
        "paid": sum(1 for order in orders if order.get("date_paid_gmt")),
        "with_refunds": sum(1 for order in orders if order.get("refunds")),
        "product_lines": lines,
        "lines_per_order": round(lines / len(orders), 2) if orders else 0,
    }


def request_summary(log):
    """The store's request log, counted by method and by what was asked (orders pages, refunds, ...)."""
    by_method = Counter(entry.method for entry in log)
    by_kind = Counter()
    for entry in log:
        path = entry.path.split(API_PREFIX, 1)[-1]
        parts = [part for part in path.split("/") if part]
        kind = parts[0] if parts else "/"
        if len(parts) >= 3 and parts[0] == "orders" and parts[2] == "refunds":
            kind = "orders/<id>/refunds"
        elif len(parts) >= 2 and parts[0] == "orders":
            kind = "orders/<id>"
        by_kind[f"{entry.method} {kind}"] += 1
    return {"total": len(log), "by_method": dict(by_method), "by_kind": dict(sorted(by_kind.items())),
            "errors": sum(1 for entry in log if entry.status >= 400)}


#: The statuses ``GET /orders?status=any`` does not list.
HIDDEN = ("trash", "auto-draft", "checkout-draft")


def grow(data, total):
    """Copy the store's orders under new ids (same payloads, same days) until it lists ``total``; the copies.

    Returns ``[[template id, new id], ...]`` so that the Odoo side can copy the
    template's sale order to the new id (bench/trust_bench.py).
    """
    # Listed orders only (not trash or drafts, which status=any hides): N is what the store lists.
    templates = sorted(order_id for order_id, order in data.orders.items() if order["status"] not in HIDDEN)
    next_id = max(data.orders) + 1000
    copies = []
    while len(templates) + len(copies) < total:
        template = templates[len(copies) % len(templates)]
        data.orders[next_id] = dict(data.orders[template], id=next_id, number=str(next_id))
        copies.append([template, next_id])
        next_id += 1
    return copies


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    data = generate_store(seed=args.seed, orders=args.orders)
    with EmulatedStore(data) as store:
        print(json.dumps({"url": store.url, "consumer_key": store.consumer_key,
                          "consumer_secret": store.consumer_secret, "mix": data_mix(data)}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "log":
                print(json.dumps(request_summary(list(store.request_log))), flush=True)
            elif command.startswith("grow "):
                print(json.dumps(grow(data, int(command.split()[1]))), flush=True)
            elif command == "quit":
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
