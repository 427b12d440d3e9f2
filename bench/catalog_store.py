"""The catalog benchmark's store: N products (some variable, with variations) served from a process of its own.

    python bench/catalog_store.py --products 1000 --variable 250 --variations 12

Prints one JSON line {"url", "consumer_key", "consumer_secret", "products", "variations"} when it serves,
then reads commands on stdin, one a line:

* ``log``   -> one JSON line: the requests answered so far, by method and path kind (batch calls apart);
* ``reset`` -> forgets the requests answered so far;
* ``touch`` -> one JSON line: the store changes the stock of one product by hand (a reconcile must fix it);
* ``quit``  (or end of input) -> stops.
"""

import argparse
import copy
import json
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from wc_emulator import EmulatedStore  # noqa: E402 - after the path
from wc_emulator.generator import generate_store  # noqa: E402
from wc_emulator.server import API_PREFIX  # noqa: E402


def catalog(products, variable, variations):
    """A store of ``products`` products, ``variable`` of them variable with ``variations`` variations each."""
    data = generate_store(seed=1, orders=0, products=max(products - variable + 4, 17))  # the generator adds 4 variable ones
    simple = [p for p in data.products.values() if p["type"] == "simple"]
    templates = [p for p in data.products.values() if p["type"] == "variable"]
    data.products = {p["id"]: p for p in simple[: products - variable]}
    data.variations = {}
    template = templates[0]
    child = next(iter(generate_store(seed=1, orders=0).variations.values()))
    for index in range(variable):
        parent = copy.deepcopy(template)
        parent.update(id=data.next_id(), name=f"Bench Shirt {index}", sku=f"BENCH-SHIRT-{index}", variations=[])
        data.products[parent["id"]] = parent
        for number in range(variations):
            variation = copy.deepcopy(child)
            size, color = f"S{number % 4}", f"C{number // 4}"
            variation.update(id=data.next_id(), parent_id=parent["id"], sku=f"BENCH-SHIRT-{index}-{number}",
                             attributes=[{"id": 1, "name": "Color", "slug": "pa_color", "option": color},
                                         {"id": 2, "name": "Size", "slug": "pa_size", "option": size}])
            data.variations[variation["id"]] = variation
            parent["variations"].append(variation["id"])
    return data


def request_summary(log):
    by_kind = Counter()
    for entry in log:
        parts = [part for part in entry.path.split(API_PREFIX, 1)[-1].split("/") if part]
        if parts[-1:] == ["batch"]:
            kind = "products/<id>/variations/batch" if "variations" in parts else "/".join(parts)
        elif len(parts) >= 3 and parts[2] == "variations":
            kind = "products/<id>/variations"
        else:
            kind = parts[0] if parts else "/"
        by_kind[f"{entry.method} {kind}"] += 1
    return {"total": len(log), "by_kind": dict(sorted(by_kind.items())),
            "errors": sum(1 for entry in log if entry.status >= 400)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--variable", type=int, default=250)
    parser.add_argument("--variations", type=int, default=12)
    args = parser.parse_args(argv)
    data = catalog(args.products, args.variable, args.variations)
    with EmulatedStore(data) as store:
        print(json.dumps({"url": store.url, "consumer_key": store.consumer_key,
                          "consumer_secret": store.consumer_secret, "products": len(data.products),
                          "variations": len(data.variations)}), flush=True)
        for line in sys.stdin:
            command = line.strip()
            if command == "log":
                print(json.dumps(request_summary(list(store.request_log))), flush=True)
            elif command == "reset":
                store.request_log.clear()
                store.writes.clear()
                print("{}", flush=True)
            elif command == "touch":
                product = next(p for p in data.products.values() if p["type"] == "simple")
                print(json.dumps(store.touch_product(product["id"], manage_stock=True, stock_quantity=-7)["id"]),
                      flush=True)
            elif command == "quit":
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
