"""Odoo → store benchmark: a status push for N orders, and how soon one change reaches the store.

    python bench/push_bench.py --db DB --orders 1000 [--out result.json] -- <odoo options>

The database must have the addon installed (``bench/push`` makes a fresh one
and drops it). The store (N generated orders) runs in a process of its own
(``store_process.py``). Steps:

1. a ``wc.store`` connected to the store; one sale order per store order
   is created with the ORM (a draft with one line, linked to its store
   order and its ``date_modified``) — setup, not timed;
2. **throughput**: the N sale orders are cancelled in Odoo (one
   ``action_cancel``: each marks its order and the store's push job is
   queued) and committed; then the push job runs in this process the way a
   worker runs it. Measured: Odoo's wall and CPU seconds for marking and for
   the job, SQL queries, and the store's requests (GETs and write calls);
3. **latency**: Odoo is started as a server with the queue_job runner
   (``--load=base,web,queue_job``, http on a free port), idle; one more
   sale order is cancelled and committed here, and the store's request log
   is polled until the write arrives: seconds from the commit.

Targets (issue 8): ≤ 10 write calls to the store for 1,000 orders
(orders/batch), ≤ 0.02 s of Odoo time per order, a change in the store
within 5 s of the commit.
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchlib  # noqa: E402
from benchlib import StoreProcess, environment, log, sql_queries  # noqa: E402


def writes(summary):
    methods = summary.get("by_method", {})
    return methods.get("POST", 0) + methods.get("PUT", 0)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup(registry, store, orders):
    """The store record and one draft sale order per store order; ``(store id, sale ids)``."""
    with environment(registry) as env:
        wc_store = env["wc.store"].create({"name": "Bench push", "url": store.info["url"],
                                           "consumer_key": store.info["consumer_key"],
                                           "consumer_secret": store.info["consumer_secret"]})
        client = wc_store._client()
        try:
            records = list(client.iter_records("orders", {"status": "any", "orderby": "id", "order": "asc"}))
        finally:
            client.close()
        partner = env["res.partner"].create({"name": "Bench buyer"})
        product = env["product.product"].create({"name": "Bench product", "list_price": 10.0})
        vals = [{
            "partner_id": partner.id, "wc_store_id": wc_store.id, "wc_order_id": record["id"],
            "wc_status": record["status"],
            "wc_date_modified": record["date_modified_gmt"].replace("T", " "),
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
        } for record in records[:orders]]
        sales = env["sale.order"].with_context(wc_import=True, tracking_disable=True).create(vals)
        return wc_store.id, sales.ids, {record["id"]: record["status"] for record in records}


def throughput(registry, store_id, sale_ids):
    result = {}
    with environment(registry) as env:
        start_wall, start_cpu, start_sql = time.perf_counter(), time.process_time(), sql_queries()
        env["sale.order"].browse(sale_ids).with_context(disable_cancel_warning=True).action_cancel()
        env.flush_all()
        result["mark"] = {"wall": time.perf_counter() - start_wall, "cpu": time.process_time() - start_cpu,
                          "sql": sql_queries() - start_sql}
        jobs = env["queue.job"].search([("method_name", "=", "_wc_push_orders"), ("state", "=", "pending")])
        result["jobs_queued"] = len(jobs)
    with environment(registry) as env:
        start_wall, start_cpu, start_sql = time.perf_counter(), time.process_time(), sql_queries()
        answer = env["wc.store"].browse(store_id)._wc_push_orders()
        env.flush_all()
        result["job"] = {"wall": time.perf_counter() - start_wall, "cpu": time.process_time() - start_cpu,
                         "sql": sql_queries() - start_sql, "result": answer}
        env["queue.job"].search([("method_name", "=", "_wc_push_orders")]).unlink()
    return result


def latency(db, odoo_args, registry, store, store_id):
    """Seconds from the commit of one cancel to the store's write, with a real Odoo + job runner idle."""
    port = free_port()
    config = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".push_bench_odoo.conf")
    with open(config, "w") as handle:
        handle.write("[options]\n[queue_job]\nchannels = root:2\n")
    server = subprocess.Popen(
        [sys.executable, "-m", "odoo", "-c", config, "-d", db, f"--db-filter=^{db}$", "--load=base,web,queue_job",
         "--workers=0", f"--http-port={port}", "--http-interface=127.0.0.1", "--log-level=warn",
         *[arg for arg in odoo_args if not arg.startswith("--http-port")]],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with environment(registry) as env:
            env["ir.config_parameter"].set_param("web.base.url", f"http://127.0.0.1:{port}")
        time.sleep(15)  # the server and its job runner start, then stay idle
        before = writes(store.request_log())
        with environment(registry) as env:
            sale = env["sale.order"].search([("wc_store_id", "=", store_id), ("state", "!=", "cancel")], limit=1)
            sale.with_context(disable_cancel_warning=True).action_cancel()
        committed = time.perf_counter()
        while time.perf_counter() - committed < 60:
            if writes(store.request_log()) > before:
                return time.perf_counter() - committed
            time.sleep(0.1)
        return None
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.remove(config)


def main(argv=None):
    ours, odoo_args = benchlib.split_argv(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args(ours)
    registry = benchlib.open_registry(args.db, odoo_args)
    store = StoreProcess("store_process.py", orders=args.orders + 1, seed=args.seed)
    try:
        store_id, sale_ids, statuses = setup(registry, store, args.orders + 1)
        pushed, spare = sale_ids[:-1], sale_ids[-1:]
        # Keep one order that can still be cancelled for the latency step.
        with environment(registry) as env:
            spare_sale = env["sale.order"].browse(spare)
            if statuses.get(spare_sale.wc_order_id) in ("cancelled", "refunded", "trash"):
                log("the spare order is already final in the store; latency may show no write")
        base = store.request_log()
        result = {"orders": len(pushed), **throughput(registry, store_id, pushed)}
        after = store.request_log()
        result["store"] = {"gets": after["by_method"].get("GET", 0) - base["by_method"].get("GET", 0),
                           "write_calls": writes(after) - writes(base),
                           "by_kind": after["by_kind"]}
        result["expected_writes"] = sum(1 for status in list(statuses.values())[:len(pushed)]
                                        if status not in ("cancelled", "refunded", "trash"))
        result["odoo_seconds_per_order"] = (result["mark"]["wall"] + result["job"]["wall"]) / len(pushed)
        result["latency_seconds"] = latency(args.db, odoo_args, registry, store, store_id)
    finally:
        store.close()
    text = json.dumps(result, indent=2, default=str)
    print(text)
    if args.out:
        with open(args.out, "w") as handle:
            handle.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
