"""The trust tools' benchmark: reconciliation of a month of N orders, and the dry run of M orders.

    python bench/trust_bench.py --db DB [--orders 10000] [--dry-run-orders 1000] [--imported 300] \
        --out result.json -- <odoo options>

The database must have the addon installed (``bench/trust`` makes it).

Reconciliation
    A generated store of ``--imported`` orders is imported by the connector
    (the real import, page by page; the store's currency, EUR, rated 1 in
    the company first, as an order in a currency without a rate is
    refused). The store then gets N orders: its imported orders and copies
    of them under new ids (the same payloads, the same creation days), and
    Odoo gets the same copies of their sale orders, lines, invoices, credit
    notes and payments, made in SQL (importing 10,000 orders would take half
    an hour and measure the import, not the reconciliation). So both sides
    hold N orders that match, as after a month of sync. Then
    ``wc.store._wc_reconcile`` runs over the whole period: measured are its GETs (the store's request log), its wall time and the
    Odoo process's CPU time (the store is another process), SQL queries, and
    the differences found (0 expected).

Dry run
    A second store of M orders, none imported: ``wc.store._wc_dry_run`` over
    all of them (every order a creation, every buyer planned). Measured:
    seconds per order and GETs; PostgreSQL's per-table write counters of the
    transaction before and after must be equal (nothing written).
"""

import argparse
import json
import os
import sys
import time
from collections import Counter
from datetime import date, datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import (  # noqa: E402
    StoreProcess,
    environment,
    log,
    open_registry,
    rate_currencies,
    split_argv,
    sql_queries,
    write_json,
)

PER_PAGE = 100

#: What the copies of the imported orders are made of, table by table.
CLONED = ("sale_order", "sale_order_line", "account_move", "account_payment")


def columns(cr, table):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name != 'id'",
               (table,))
    return [name for (name,) in cr.fetchall()]


def clone_sales(env, store_id, copies):
    """Copy the store's sale orders (and their lines, invoices, credit notes, payments) in SQL.

    ``copies``: ``[(template store order id, new store order id)]``.
    """
    cr = env.cr
    cr.execute("CREATE TEMP TABLE wc_clone (template integer, new_wc integer, n serial) ON COMMIT DROP")
    cr.execute("INSERT INTO wc_clone (template, new_wc) SELECT * FROM unnest(%s::int[], %s::int[])",
               ([t for t, _n in copies], [n for _t, n in copies]))

    def copy(table, join, replace):
        cols = columns(cr, table)
        select = ", ".join(replace.get(col, f"t.{col}") for col in cols)
        cr.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} {join}")  # noqa: S608 - our tables
        return cr.rowcount

    made = {}
    made["sale_order"] = copy(
        "sale_order",
        f"FROM sale_order t JOIN wc_clone c ON t.wc_store_id = {int(store_id)} AND t.wc_order_id = c.template",
        {"wc_order_id": "c.new_wc", "name": "t.name || '-' || c.n"})
    cr.execute(f"""
        CREATE TEMP TABLE wc_clone_sale ON COMMIT DROP AS
        SELECT o.id AS old_id, n.id AS new_id FROM wc_clone c
          JOIN sale_order o ON o.wc_store_id = {int(store_id)} AND o.wc_order_id = c.template
          JOIN sale_order n ON n.wc_store_id = {int(store_id)} AND n.wc_order_id = c.new_wc""")
    made["sale_order_line"] = copy(
        "sale_order_line", "FROM sale_order_line t JOIN wc_clone_sale s ON t.order_id = s.old_id",
        {"order_id": "s.new_id"})
    # Numbers, hashes and store refund ids are unique: the copies get none (the reconciliation reads none of them).
    unique = {"sequence_number": "NULL", "sequence_prefix": "NULL", "inalterable_hash": "NULL",
              "secure_sequence_number": "NULL", "wc_refund_id": "NULL"}
    made["account_move"] = copy(
        "account_move",
        f"FROM account_move t JOIN wc_clone c ON t.wc_store_id = {int(store_id)} AND t.wc_order_id = c.template",
        {**unique, "wc_order_id": "c.new_wc", "name": "t.name || '-' || c.n"})
    made["account_payment"] = copy(
        "account_payment",
        f"FROM account_payment t JOIN wc_clone c ON t.wc_store_id = {int(store_id)} AND t.wc_order_id = c.template",
        {"wc_refund_id": "NULL", "wc_order_id": "c.new_wc", "name": "t.name || '-' || c.n", "move_id": "NULL"})
    return made


def writes(env):
    env.flush_all()
    env.cr.execute("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
                   "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0")
    return dict(env.cr.fetchall())


def connect(env, store, name):
    record = env["wc.store"].create({"name": name, "url": store.info["url"],
                                     "consumer_key": store.info["consumer_key"],
                                     "consumer_secret": store.info["consumer_secret"]})
    rate_currencies(env, store.info["mix"]["currencies"])
    record.action_setup_from_store()
    return record


def bench_reconcile(registry, orders, imported, seed):
    store = StoreProcess("store_process.py", orders=imported, seed=seed)
    try:
        with environment(registry) as env:
            record = connect(env, store, "Reconciliation bench")
            store_id = record.id
            env.cr.commit()
        log(f"importing {imported} orders...")
        counts = Counter()
        with environment(registry) as env:
            client = env["wc.store"].browse(store_id)._client()
        try:
            for page in client.iter_pages("orders", {"orderby": "id", "order": "asc", "status": "any"},
                                          per_page=PER_PAGE):
                with environment(registry) as env:
                    counts.update(env["wc.store"].browse(store_id)._wc_import_orders(page.records))
                    env.cr.commit()
        finally:
            client.close()
        log(f"  {dict(counts)}")
        copies = store.ask(f"grow {orders}")  # [(template id, new id)] the store added
        log(f"copying {len(copies)} sale orders in SQL...")
        with environment(registry) as env:
            made = clone_sales(env, store_id, copies)
            env.cr.commit()
        log(f"  {made}")
        with environment(registry) as env:
            env.cr.execute("SELECT min(date_order)::date, max(date_order)::date, count(*) FROM sale_order "
                           "WHERE wc_store_id = %s", (store_id,))
            first, last, sales = env.cr.fetchone()
            before = store.request_log()
            rec = env["wc.reconcile"].create({"store_id": store_id, "date_from": first, "date_to": last})
            env.flush_all()
            wall, cpu, queries = time.perf_counter(), time.process_time(), sql_queries()
            env["wc.store"].browse(store_id)._wc_reconcile(rec)
            env.flush_all()
            wall, cpu, queries = time.perf_counter() - wall, time.process_time() - cpu, sql_queries() - queries
            after = store.request_log()
            result = {
                "period": f"{first} – {last}", "store_orders": rec.store_order_count, "sale_orders": sales,
                "odoo_orders_in_period": rec.odoo_order_count, "differences": len(rec.difference_ids),
                "differences_by_kind": {kind: len(rec.difference_ids.filtered(lambda d, k=kind: d.kind == k))
                                        for kind in set(rec.difference_ids.mapped("kind"))},
                "gets": after["by_method"].get("GET", 0) - before["by_method"].get("GET", 0),
                "seconds": round(wall, 2), "odoo_cpu_seconds": round(cpu, 2), "queries": queries,
                "summary_rows": len(rec.summary_ids), "imported": dict(counts),
            }
            env.cr.commit()
        return result
    finally:
        store.close()


def bench_dry_run(registry, orders, seed):
    store = StoreProcess("store_process.py", orders=orders, seed=seed + 1)
    try:
        store.ask(f"grow {orders}")  # generated trash and drafts are not listed: M is what the store lists
        with environment(registry) as env:
            record = connect(env, store, "Dry run bench")
            env.cr.commit()
            before_gets = store.request_log()["by_method"].get("GET", 0)
            before = writes(env)
            wall, cpu, queries = time.perf_counter(), time.process_time(), sql_queries()
            result, gets = record._wc_dry_run(datetime(2000, 1, 1, tzinfo=timezone.utc),
                                              datetime.now(timezone.utc) + timedelta(days=1))
            wall, cpu, queries = time.perf_counter() - wall, time.process_time() - cpu, sql_queries() - queries
            after = writes(env)
            env.cr.rollback()
        return {
            "orders": len(result.orders), "gets": gets,
            "store_gets": store.request_log()["by_method"].get("GET", 0) - before_gets,
            "seconds": round(wall, 2), "seconds_per_order": round(wall / max(1, len(result.orders)), 4),
            "odoo_cpu_seconds": round(cpu, 2), "queries": queries,
            "actions": {action: result.count(action) for action in ("create", "update", "unchanged", "fail")},
            "partners_planned": len(result.partners),
            "rows_written": {table: after[table] - before.get(table, 0)
                             for table in after if after[table] != before.get(table, 0)},
        }
    finally:
        store.close()


def main(argv=None):
    ours, odoo_args = split_argv(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--imported", type=int, default=300)
    parser.add_argument("--dry-run-orders", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args(ours)
    registry = open_registry(args.db, odoo_args)
    results = {"date": str(date.today()), "load_average": os.getloadavg()[0]}
    log(f"dry run of {args.dry_run_orders} orders...")
    results["dry_run"] = bench_dry_run(registry, args.dry_run_orders, args.seed)
    log(json.dumps(results["dry_run"]))
    log(f"reconciliation of {args.orders} orders...")
    results["reconcile"] = bench_reconcile(registry, args.orders, args.imported, args.seed)
    log(json.dumps(results["reconcile"]))
    results["load_average_end"] = os.getloadavg()[0]
    if args.out:
        write_json(args.out, results)
    print(json.dumps(results, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
