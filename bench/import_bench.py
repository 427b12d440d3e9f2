"""The connector's side of the benchmark: N generated store orders imported into an Odoo database.

    python bench/import_bench.py --db DB --orders N --out result.json --spec spec.json [--workers W] [--quotations] \
        [--trace] -- <odoo options>

The database must have the addon installed (``bench/run`` makes it). The
store runs in a process of its own (``store_process.py``). Steps:

1. a ``wc.store`` connected to the emulated store with its keys, the
   store's currency rated, every status mapped to "Quotation" with
   ``--quotations`` (a quotation-only import), then
   ``action_setup_from_store`` (taxes, shipping methods, numbering) — timed
   apart, not part of the import;
2. the import, the way the sync runs it: the store's history-import jobs
   when the addon has them (``wc.store._wc_import_history``, run by
   ``--workers`` worker processes forked from this one after the registry
   is loaded, as Odoo's prefork server forks its workers, through
   queue_job's own runner steps: the store channel at that capacity; see
   ``channel_workers.py``), else one page of 100 orders at a time through the store's
   client and ``_wc_import_orders``, each page in a fresh cursor and
   environment committed at its end, like a job;
3. the figures (orders per second, HTTP requests by method, SQL queries
   per order, memory at N/4 and at N) to ``--out``, and what the import
   created (partners, products, sale orders, invoices, credit notes,
   payments, page by page) to ``--spec``, for ``floor.py`` to create again
   with the ORM alone.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchlib  # noqa: E402
import channel_workers  # noqa: E402
from benchlib import SPEC_MODELS, Meter, StoreProcess, environment, log, rate_currencies  # noqa: E402

PER_PAGE = 100
#: Models the floor needs as configuration (created before its timed part).
SETUP_MODELS = ("account.tax", "account.journal", "product.pricelist", "res.partner.category", "product.category",
                "res.currency.rate")


def quotations_only(store):
    """Map every store status to "Quotation" on ``store``: orders arrive as quotations, nothing else is made.

    The way a shop owner gets a quotation-only import: the store form's
    status mapping, one row per status (no confirmation, delivery, invoice,
    payment or credit note follows).
    """
    from odoo.addons.woocommerce_connector.wc_connector.rules import statuses

    store.env["wc.order.status"].create([
        {"store_id": store.id, "wc_status": status, "target": statuses.QUOTATION}
        for status in statuses.DEFAULT_STATUS_TARGETS
    ])


def max_ids(env):
    """``{model: highest id}`` for the compared and configuration models (archived records too)."""
    marks = {}
    for model in SPEC_MODELS + SETUP_MODELS:
        env.cr.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{env[model]._table}"')  # noqa: S608 - our model list
        marks[model] = env.cr.fetchone()[0]
    return marks


def import_pages(registry, store_id, meter, total_orders):
    """Page through the store's orders and import each page like a job; ``(counts, pages marks)``."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    marks, done, quarter = [], 0, None
    with environment(registry) as env:
        client = env["wc.store"].browse(store_id)._client()
    try:
        for page in client.iter_pages("orders", {"orderby": "id", "order": "asc"}, per_page=PER_PAGE):
            if not page.records:
                break
            with environment(registry) as env:
                result = env["wc.store"].browse(store_id)._wc_import_orders(page.records)
                env.cr.commit()
                marks.append(max_ids(env))
            for key in counts:
                value = result.get(key, 0)
                counts[key] += value if isinstance(value, int) else len(value)
            done += len(page.records)
            if quarter is None and done >= benchlib.quarter_mark(total_orders):
                quarter = meter.checkpoint("N/4", done)
            log(f"  page {page.number}/{page.total_pages}: {result} ({done} orders, {meter.checkpoint('page', done)['seconds']} s)")
    finally:
        client.close()
    return counts, marks


def run_history_jobs(registry, store_id, meter, workers=1, trace=False, profile=None):
    """Start the store's history import (all dates) and run its jobs in ``workers`` worker processes.

    The store's channel at capacity ``workers``, run the way Odoo's worker
    processes run it (``channel_workers.run_channel``). ``(counts, pages
    marks, per-worker figures, PostgreSQL CPU seconds)``; ``meter`` gets the
    N/4 point: the largest worker's memory when the run had imported a
    quarter of its orders.
    """
    with environment(registry) as env:
        store = env["wc.store"].browse(store_id)
        channel = store._wc_channel()
        run_id = store._wc_import_history(None, None).id
        postgres_before = benchlib.postgres_cpu(env)

    def postgres_spent():  # the workers' backends are measured before the workers exit and close them
        with environment(registry) as env:
            return benchlib.postgres_cpu_since(postgres_before, benchlib.postgres_cpu(env))

    def progress(env):
        run = env["wc.sync.run"].browse(run_id)
        return run.done, run.total

    figures, postgres_seconds = channel_workers.run_channel(
        registry, channel, workers, progress, max_ids, postgres_spent, trace=trace, profile=profile)
    quarters = [mine["quarter"] for mine in figures if mine["quarter"]]
    if quarters:
        meter.checkpoints.append({
            **max(quarters, key=lambda point: point["max_rss_mb"]),
            "orders": min(point["orders"] for point in quarters),
            "seconds": min(point["seconds"] for point in quarters),
        })
    with environment(registry) as env:
        run = env["wc.sync.run"].browse(run_id)
        counts = {"created": run.created, "updated": run.updated, "unchanged": run.unchanged, "failed": run.failed,
                  "run_state": run.state, "listed": run.total, "jobs": sum(mine["jobs"] for mine in figures),
                  "jobs_postponed": sum(mine["postponed"] for mine in figures),
                  "jobs_failed": sum(mine["failed"] for mine in figures)}
    return counts, page_marks(figures), figures, postgres_seconds


def imported_of(counts):
    """The orders the import went through: the run's listed count, else the sum of its outcomes."""
    return counts.get("listed") or sum(counts[key] for key in ("created", "updated", "unchanged", "failed"))


def workers_total(figures):
    """The import's figures from its workers': CPU, SQL queries and wait summed, memory of the largest worker."""
    ends = [mine["end"] for mine in figures]
    total = {
        "cpu_seconds": round(sum(mine["cpu_seconds"] for mine in figures), 3),
        "queries": sum(mine["sql_queries"] for mine in figures),
        "sql_seconds": round(sum(mine["sql_seconds"] for mine in figures), 3),
    }
    for key in ("rss_mb", "max_rss_mb", "pss_mb", "private_mb", "traced_peak_mb"):
        if all(key in end for end in ends):
            total[key] = max(end[key] for end in ends)
    return total


def page_marks(figures):
    """The workers' marks in the order they were taken, each at least the one before (for the floor's pages).

    Two workers commit out of order: a page's highest ids can be below the
    previous page's, and the floor takes each page as the ids above the one
    before, so the marks are made to only ever grow.
    """
    marks, highest = [], {}
    for _when, mark in sorted(mark for mine in figures for mark in mine.pop("marks")):
        highest = {model: max(value, highest.get(model, 0)) for model, value in mark.items()}
        marks.append(highest)
    return marks


def spec_of(env, marks):
    """What the import created, as plain values with the ids of ``env``'s database; see floor.py."""
    from odoo.addons.woocommerce_connector.models.compat import LINE_TAXES  # tax_id on 18, tax_ids on 19
    template, pages = marks["template"], marks["pages"]
    last = pages[-1] if pages else marks["base"]

    def created(model, domain=()):
        return env[model].with_context(active_test=False).search(
            [("id", ">", template[model]), ("id", "<=", last[model]), *domain], order="id")

    def ids(records):
        return records.ids

    spec = {"marks": marks, "setup": {}, "records": {}}
    spec["setup"]["account.tax"] = [
        {"id": tax.id, "name": tax.name, "amount": tax.amount, "amount_type": tax.amount_type,
         "type_tax_use": tax.type_tax_use, "price_include_override": tax.price_include_override,
         "tax_group_id": tax.tax_group_id.id, "country_id": tax.country_id.id, "active": tax.active}
        for tax in env["account.tax"].with_context(active_test=False).search([("id", ">", template["account.tax"])], order="id")
    ]
    spec["setup"]["res.currency.rate"] = [
        {"currency_id": rate.currency_id.id, "rate": rate.rate, "name": rate.name, "company_id": rate.company_id.id}
        for rate in env["res.currency.rate"].search([("id", ">", template["res.currency.rate"])], order="id")
    ]
    spec["setup"]["account.journal"] = [
        {"id": journal.id, "name": journal.name, "code": journal.code, "type": journal.type}
        for journal in env["account.journal"].search([("id", ">", template["account.journal"])], order="id")
    ]
    spec["setup"]["product.pricelist"] = [
        {"id": pricelist.id, "name": pricelist.name, "currency_id": pricelist.currency_id.id}
        for pricelist in env["product.pricelist"].search([("id", ">", template["product.pricelist"])], order="id")
    ]
    spec["setup"]["res.partner.category"] = [
        {"id": tag.id, "name": tag.name}
        for tag in env["res.partner.category"].search([("id", ">", template["res.partner.category"])], order="id")
    ]
    spec["setup"]["product.category"] = [
        {"id": categ.id, "name": categ.name, "parent_id": categ.parent_id.id}
        for categ in env["product.category"].search([("id", ">", template["product.category"])], order="id")
    ]
    spec["records"]["res.partner"] = [
        {"id": partner.id, "name": partner.name, "is_company": partner.is_company, "parent_id": partner.parent_id.id,
         "type": partner.type, "email": partner.email, "phone": partner.phone, "street": partner.street,
         "street2": partner.street2, "city": partner.city, "zip": partner.zip, "country_id": partner.country_id.id,
         "state_id": partner.state_id.id, "vat": partner.vat, "lang": partner.lang,
         "category_id": ids(partner.category_id)}
        for partner in created("res.partner")
    ]
    spec["records"]["product.product"] = [
        {"id": product.id, "name": product.name, "default_code": product.default_code, "type": product.type,
         "is_storable": product.is_storable, "list_price": product.list_price, "taxes_id": ids(product.taxes_id),
         "categ_id": product.categ_id.id, "invoice_policy": product.invoice_policy}
        for product in created("product.product")
    ]
    spec["records"]["sale.order"] = [
        {"id": sale.id, "partner_id": sale.partner_id.id, "partner_invoice_id": sale.partner_invoice_id.id,
         "partner_shipping_id": sale.partner_shipping_id.id, "pricelist_id": sale.pricelist_id.id,
         "date_order": sale.date_order, "client_order_ref": sale.client_order_ref, "origin": sale.origin,
         "state": sale.state,
         "delivered": bool(sale.picking_ids) and all(p.state == "done" for p in sale.picking_ids),
         "lines": [
             {"product_id": line.product_id.id, "name": line.name, "product_uom_qty": line.product_uom_qty,
              "price_unit": line.price_unit, "discount": line.discount, "tax_id": ids(line[LINE_TAXES]),
              "sequence": line.sequence, "display_type": line.display_type}
             for line in sale.order_line
         ]}
        for sale in created("sale.order")
    ]
    spec["records"]["account.move"] = [
        {"id": move.id, "move_type": move.move_type, "partner_id": move.partner_id.id, "state": move.state,
         "invoice_date": move.invoice_date, "reversed_entry_id": move.reversed_entry_id.id,
         "sale_order_ids": ids(move.line_ids.sale_line_ids.order_id), "currency_id": move.currency_id.id,
         "journal_id": move.journal_id.id,
         "lines": [
             {"product_id": line.product_id.id, "name": line.name, "quantity": line.quantity,
              "price_unit": line.price_unit, "discount": line.discount, "tax_ids": ids(line.tax_ids),
              "display_type": line.display_type}
             for line in move.invoice_line_ids
         ]}
        for move in created("account.move", [("move_type", "in", ("out_invoice", "out_refund"))])
    ]
    spec["records"]["account.payment"] = [
        {"id": payment.id, "amount": payment.amount, "journal_id": payment.journal_id.id, "date": payment.date,
         "memo": payment.memo, "payment_type": payment.payment_type,
         "move_ids": ids(payment.reconciled_invoice_ids)}
        for payment in created("account.payment")
    ]
    return spec


def main(argv=None):
    ours, odoo_args = benchlib.split_argv(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="the figures (JSON)")
    parser.add_argument("--spec", required=True, help="what the import created, for floor.py (JSON)")
    parser.add_argument("--profile", help="write cProfile stats of the timed part to this file")
    parser.add_argument("--trace", action="store_true", help="measure Python allocations with tracemalloc (slower)")
    parser.add_argument("--workers", type=int, default=1,
                        help="parallel job workers, i.e. the store channel's capacity (default 1)")
    parser.add_argument("--quotations", action="store_true",
                        help="quotation-only import: every store status mapped to 'Quotation' on the store")
    args = parser.parse_args(ours)

    log(f"connector: generating and serving a store of {args.orders} orders")
    store_process = StoreProcess("store_process.py", orders=args.orders, seed=args.seed)
    try:
        registry = benchlib.open_registry(args.db, odoo_args)
        registry_rss = round(benchlib.rss_mb(), 1)  # Odoo and the registry: fixed, whatever the import
        with environment(registry) as env:
            marks = {"template": max_ids(env)}
            store = env["wc.store"].create({
                "name": "Benchmark store",
                "url": store_process.info["url"],
                "consumer_key": store_process.info["consumer_key"],
                "consumer_secret": store_process.info["consumer_secret"],
            })
            store_id = store.id
            rate_currencies(env, store_process.info["mix"]["currencies"])
            has_jobs = hasattr(store, "_wc_import_history")
            if args.quotations:
                quotations_only(store)
        setup = Meter().start()
        with environment(registry) as env:
            env["wc.store"].browse(store_id).action_setup_from_store()
        setup_point = setup.stop(0)
        with environment(registry) as env:
            marks["base"] = max_ids(env)
        requests_before = store_process.request_log()

        log(f"connector: importing ({'history jobs, %d worker process(es)' % args.workers if has_jobs else 'pages of %d' % PER_PAGE})")
        if has_jobs:
            # The work is done in the worker processes: they are measured, this one only keeps the clock.
            meter = Meter().start()
            counts, marks["pages"], workers, postgres_seconds = run_history_jobs(
                registry, store_id, meter, args.workers, trace=args.trace, profile=args.profile)
            end = meter.stop(imported_of(counts))
            end.update(workers_total(workers), postgres_cpu_seconds=postgres_seconds)
        else:
            with environment(registry) as env:
                postgres_before = benchlib.postgres_cpu(env)
            meter = Meter(trace=args.trace, profile=args.profile).start()
            counts, marks["pages"] = import_pages(registry, store_id, meter, args.orders)
            workers = []
            end = meter.stop(imported_of(counts))
            with environment(registry) as env:
                end["postgres_cpu_seconds"] = benchlib.postgres_cpu_since(postgres_before, benchlib.postgres_cpu(env))
            end["sql_seconds"] = None
        imported = end["orders"]
        requests_after = store_process.request_log()

        with environment(registry) as env:
            failures = env["wc.sync.log"].search_read(
                [("store_id", "=", store_id), ("state", "=", "failed")], ["entity", "wc_id", "reason"], limit=20)
            spec = spec_of(env, marks)
        benchlib.write_json(args.spec, spec)
        result = {
            "side": "connector",
            "path": f"history jobs, {args.workers} worker(s)" if has_jobs else f"pages of {PER_PAGE} via _wc_import_orders",
            "workers": args.workers if has_jobs else 1,
            "per_worker": workers,
            "orders": imported,
            "generated": args.orders,
            "mix": store_process.info["mix"],
            "setup": setup_point,
            "counts": counts,
            "failures": failures,
            "checkpoints": [point for point in meter.checkpoints if point["label"] != "page"],
            "end": end,
            "requests_setup": requests_before,
            "requests": requests_after,
            "created": {model: len(spec["records"][model]) for model in SPEC_MODELS},
            "trace": args.trace,
            "registry_rss_mb": registry_rss,
            "quotations": args.quotations,
        }
        benchlib.write_json(args.out, result)
        log(f"connector: {counts} in {end['seconds']} s")
    finally:
        store_process.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
