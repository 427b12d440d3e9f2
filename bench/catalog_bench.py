"""The catalog and stock benchmark: a store's catalog imported, then stock pushed and reconciled.

    python bench/catalog_bench.py --db DB [--products 1000 --variable 250 --variations 12] --out result.json -- <odoo options>

The database must have the addon installed (``bench/catalog_run`` makes it). Each store runs in a
process of its own (``catalog_store.py``), so its data and its Python time are not the importer's.

1. **Catalog import**: a store of ``--products`` products, ``--variable`` of them variable with
   ``--variations`` variations each, imported the way the sync does it ("Import the whole catalog":
   page jobs by id, each with its variations' GETs), every job run in this process through
   queue_job's own runner steps; Odoo's CPU seconds per variant created, SQL queries, GETs, peak RSS
   at N/4 and at N.
2. **Stock push**: a second store of ``--products`` simple products, linked by importing its catalog
   (not timed); one inventory adjustment changes the stock of every product (one ``_action_done``,
   not timed: that is the shop's work), then the one push job that queued is timed: batch calls
   and Odoo seconds.
3. **Idle reconcile**: the nightly reconcile when the store already shows Odoo's numbers (GETs),
   then after one hand edit in the store (what it fixes).
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchlib  # noqa: E402
from benchlib import Meter, StoreProcess, environment, log  # noqa: E402


def connect(registry, store, name):
    with environment(registry) as env:
        record = env["wc.store"].create({
            "name": name, "url": store.info["url"], "consumer_key": store.info["consumer_key"],
            "consumer_secret": store.info["consumer_secret"], "wc_catalog_sync": True, "wc_stock_delay": 0,
            # Stock flows only once a shop starts it (off for a new store); the bench measures the push.
            "wc_stock_flow": "odoo_to_store",
        })
        return record.id


def run_jobs(registry, store_id, meter=None, total=None):
    """Run the store's queued jobs here, one at a time, through queue_job's runner steps; the job count.

    Each finished job readies the jobs that waited for it (a page's import
    once the page is read, the run's closing job at the end), as with the
    real runner.
    """
    number, quarter = 0, None
    while True:
        with environment(registry) as env:
            channel = env["wc.store"].browse(store_id)._wc_channel()
            uuid, left = benchlib.take_job(env, channel)
            if not uuid:
                if not left:
                    return number
                time.sleep(0.05)  # a postponed job waits for its eta
                continue
            try:
                benchlib.run_job(env, uuid)
            except Exception as error:  # noqa: BLE001 - _runjob marked it failed; a benchmark reports, it does not retry
                env.cr.rollback()
                log(f"  job {uuid} failed: {error}")
            done = env["wc.product.link"].search_count([("store_id", "=", store_id)])
        number += 1
        if meter and total:
            if quarter is None and done >= benchlib.quarter_mark(total):
                quarter = meter.checkpoint("N/4", done)
            log(f"  job {number}: {done}/{total} store items linked ({meter.checkpoint('page', done)['seconds']} s)")


def catalog_phase(registry, args):
    store = StoreProcess("catalog_store.py", products=args.products, variable=args.variable,
                         variations=args.variations)
    try:
        store_id = connect(registry, store, "Bench catalog")
        items = store.info["products"] - args.variable + store.info["variations"]
        log(f"Catalog: {store.info['products']} products, {store.info['variations']} variations ({items} items)")
        meter = Meter(profile=args.profile).start()
        with environment(registry) as env:
            env["wc.store"].browse(store_id).action_wc_import_catalog()
        jobs = run_jobs(registry, store_id, meter, items)
        end = meter.stop(items)
        with environment(registry) as env:
            links = env["wc.product.link"].search([("store_id", "=", store_id)])
            variants = len(links.product_id)
            templates = len(links.product_id.product_tmpl_id)
        requests = store.ask("log")
    finally:
        store.close()
    quarter = next((point for point in meter.checkpoints if point["label"] == "N/4"), end)
    return {
        "products": store.info["products"], "variations": store.info["variations"], "variants": variants,
        "templates": templates, "jobs": jobs, "seconds": end["seconds"], "cpu_seconds": end["cpu_seconds"],
        "cpu_seconds_per_variant": round(end["cpu_seconds"] / max(variants, 1), 4),
        "queries_per_variant": round(end["queries"] / max(variants, 1), 1),
        "max_rss_mb_quarter": quarter["max_rss_mb"], "max_rss_mb_end": end["max_rss_mb"],
        "requests": requests,
    }


def stock_phase(registry, args):
    store = StoreProcess("catalog_store.py", products=args.products, variable=0, variations=0)
    try:
        store_id = connect(registry, store, "Bench stock")
        with environment(registry) as env:
            env["wc.store"].browse(store_id).action_wc_import_catalog()
        run_jobs(registry, store_id)
        with environment(registry) as env:
            links = env["wc.product.link"].search([("store_id", "=", store_id)]).filtered("product_id.is_storable")
            warehouse = env["stock.warehouse"].search([], limit=1)
            quants = env["stock.quant"].with_context(inventory_mode=True).create([
                {"product_id": link.product_id.id, "location_id": warehouse.lot_stock_id.id,
                 "inventory_quantity": 5 + index % 40}
                for index, link in enumerate(links)])
            quants._apply_inventory()
            changed = len(links)
        store.ask("reset")
        meter = Meter(profile=None).start()
        run_jobs(registry, store_id)
        push = meter.stop(changed)
        push_requests = store.ask("log")
        store.ask("reset")
        with environment(registry) as env:
            env["wc.store"].browse(store_id)._wc_enqueue_stock_reconcile()
        meter = Meter().start()
        run_jobs(registry, store_id)
        idle = meter.stop(changed)
        idle_requests = store.ask("log")
        store.ask("touch")
        store.ask("reset")
        with environment(registry) as env:
            env["wc.store"].browse(store_id)._wc_enqueue_stock_reconcile()
        run_jobs(registry, store_id)
        with environment(registry) as env:
            run = env["wc.sync.run"].search([("store_id", "=", store_id), ("kind", "=", "stock_reconcile")],
                                            order="id desc", limit=1)
            fixed = {"total": run.total, "updated": run.updated, "unchanged": run.unchanged, "failed": run.failed}
        fix_requests = store.ask("log")
    finally:
        store.close()
    return {
        "changed_products": changed, "push_seconds": push["seconds"], "push_cpu_seconds": push["cpu_seconds"],
        "push_requests": push_requests, "idle_reconcile_seconds": idle["seconds"],
        "idle_reconcile_requests": idle_requests, "reconcile_after_hand_edit": fixed,
        "reconcile_after_hand_edit_requests": fix_requests,
    }


def main(argv=None):
    ours, odoo_args = benchlib.split_argv(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--variable", type=int, default=250)
    parser.add_argument("--variations", type=int, default=12)
    parser.add_argument("--out", required=True)
    parser.add_argument("--profile")
    args = parser.parse_args(ours)
    registry = benchlib.open_registry(args.db, odoo_args)
    started = time.time()
    catalog = catalog_phase(registry, args)
    log(json.dumps({"catalog": catalog}))
    result = {"catalog": catalog, "stock": stock_phase(registry, args),
              "load_average": os.getloadavg()[0], "total_seconds": round(time.time() - started, 1)}
    benchlib.write_json(args.out, result)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
