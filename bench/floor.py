"""The floor: the records the connector's import made, made again with Odoo's ORM alone.

    python bench/floor.py --db DB --spec spec.json --out result.json [--naive] [--trace] -- <odoo options>

No connector, no HTTP, no parsing: ``spec.json`` (written by
``import_bench.py``) lists, page by page, the partners, products, sale orders
(same lines, prices, discounts and taxes), deliveries, invoices, credit notes
and payments the import created. This script creates them in a second fresh
database the plain way — batched ``create``, ``action_confirm``,
``button_validate``, ``_create_invoices``, ``action_post``, the "Register
payment" wizard — one page per fresh cursor committed at its end, like the
import, and times it the same way. The configuration the import found or
made on the fly (taxes, gateway journals, pricelists, tags) is created
before the clock starts; the floor is what the same data costs at least.

``--naive`` is the floor of an importer that goes record by record: each
product, partner, sale order (created, confirmed, its delivery validated)
and invoice or credit note (created, posted) with ORM calls of its own; the
payments are one wizard each either way.
"""

import argparse
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchlib  # noqa: E402
from benchlib import Meter, environment, log  # noqa: E402

#: The context the connector creates sale orders (and so their invoices and payments) with.
SALE_CONTEXT = {"tracking_disable": True, "mail_create_nolog": True, "mail_create_nosubscribe": True}


class IdMap:
    """Connector database ids -> floor database ids.

    Both databases are copies of one fresh install: a record that existed
    before the import (id at most the template mark, or a model the
    benchmark does not create) has the same id in both.
    """

    def __init__(self, template):
        self.template = template
        self.ids = {}

    def add(self, model, old_id, new_id):
        self.ids.setdefault(model, {})[old_id] = new_id

    def __call__(self, model, old_id):
        if not old_id:
            return False
        if model not in self.template or old_id <= self.template[model]:
            return old_id
        return self.ids[model][old_id]

    def many(self, model, old_ids):
        return [self(model, old_id) for old_id in old_ids]


def in_range(records, low, high):
    return [record for record in records if low < record["id"] <= high]


def create_setup(env, spec, ids):
    """The configuration the connector made or found: taxes, journals, pricelists, tags, categories."""
    env.company.tax_calculation_rounding_method = "round_per_line"
    setup = spec["setup"]
    for categ in setup["product.category"]:
        values = {"name": categ["name"], "parent_id": ids("product.category", categ["parent_id"])}
        ids.add("product.category", categ["id"], env["product.category"].create(values).id)
    for tax in setup["account.tax"]:
        values = {key: tax[key] for key in ("name", "amount", "amount_type", "type_tax_use",
                                             "price_include_override", "tax_group_id", "country_id", "active")}
        ids.add("account.tax", tax["id"], env["account.tax"].create(values).id)
    for journal in setup["account.journal"]:
        values = {key: journal[key] for key in ("name", "code", "type")}
        ids.add("account.journal", journal["id"], env["account.journal"].create(values).id)
    currencies = {p["currency_id"] for p in setup["product.pricelist"]}
    currencies |= {m["currency_id"] for m in spec["records"]["account.move"]}
    currencies |= {r["currency_id"] for r in setup.get("res.currency.rate", ())}
    env["res.currency"].with_context(active_test=False).browse(sorted(currencies)).active = True
    env["res.currency.rate"].create(setup.get("res.currency.rate", []))
    for pricelist in setup["product.pricelist"]:
        values = {"name": pricelist["name"], "currency_id": pricelist["currency_id"]}
        ids.add("product.pricelist", pricelist["id"], env["product.pricelist"].create(values).id)
    for tag in setup["res.partner.category"]:
        ids.add("res.partner.category", tag["id"], env["res.partner.category"].create({"name": tag["name"]}).id)


def create_products(env, products, ids):
    if not products:
        return
    values = [
        {"name": p["name"], "default_code": p["default_code"], "type": p["type"], "is_storable": p["is_storable"],
         "list_price": p["list_price"], "taxes_id": [(6, 0, ids.many("account.tax", p["taxes_id"]))],
         "categ_id": ids("product.category", p["categ_id"]), "invoice_policy": p["invoice_policy"]}
        for p in products
    ]
    for product, record in zip(products, env["product.product"].create(values)):
        ids.add("product.product", product["id"], record.id)


def create_partners(env, partners, ids, one_by_one=False):
    """Parents first: one ``create`` per generation, as any importer must (``one_by_one``: one per partner)."""
    pending = list(partners)
    while pending:
        known = ids.ids.get("res.partner", {})
        ready = [p for p in pending if not p["parent_id"] or p["parent_id"] <= ids.template["res.partner"]
                 or p["parent_id"] in known]
        if one_by_one:
            ready = ready[:1]
        values = [
            {**{key: p[key] for key in ("name", "is_company", "type", "email", "phone", "street", "street2", "city",
                                        "zip", "country_id", "state_id", "vat", "lang")},
             "parent_id": ids("res.partner", p["parent_id"]),
             "category_id": [(6, 0, ids.many("res.partner.category", p["category_id"]))]}
            for p in ready
        ]
        # As the connector does: the store's VAT number is kept as sent, base_vat does not check it.
        for partner, record in zip(ready, env["res.partner"].with_context(no_vat_validation=True).create(values)):
            ids.add("res.partner", partner["id"], record.id)
        pending = [p for p in pending if p not in ready]


def line_values(line, ids):
    from odoo.addons.woocommerce_connector.models.compat import LINE_TAXES  # tax_id on 18, tax_ids on 19

    if line["display_type"]:
        return {"display_type": line["display_type"], "name": line["name"], "sequence": line["sequence"]}
    return {"product_id": ids("product.product", line["product_id"]), "name": line["name"],
            "product_uom_qty": line["product_uom_qty"], "price_unit": line["price_unit"],
            "discount": line["discount"], LINE_TAXES: [(6, 0, ids.many("account.tax", line["tax_id"]))],
            "sequence": line["sequence"]}


def create_sales(env, sales, ids):
    """Sale orders in one batch, then confirmed, cancelled and delivered as the connector left them."""
    if not sales:
        return {}
    values = [
        {"partner_id": ids("res.partner", s["partner_id"]),
         "partner_invoice_id": ids("res.partner", s["partner_invoice_id"]),
         "partner_shipping_id": ids("res.partner", s["partner_shipping_id"]),
         "pricelist_id": ids("product.pricelist", s["pricelist_id"]), "date_order": s["date_order"],
         "client_order_ref": s["client_order_ref"], "origin": s["origin"],
         "order_line": [(0, 0, line_values(line, ids)) for line in s["lines"]]}
        for s in sales
    ]
    records = env["sale.order"].create(values)
    by_old = {}
    for sale, record in zip(sales, records):
        ids.add("sale.order", sale["id"], record.id)
        by_old[sale["id"]] = record
    confirm = records.browse([by_old[s["id"]].id for s in sales if s["state"] == "sale"])
    confirm.action_confirm()
    cancel = records.browse([by_old[s["id"]].id for s in sales if s["state"] == "cancel"])
    cancel.with_context(disable_cancel_warning=True).action_cancel()
    delivered = records.browse([by_old[s["id"]].id for s in sales if s["delivered"]])
    pickings = delivered.picking_ids.filtered(lambda picking: picking.state not in ("done", "cancel"))
    for move in pickings.move_ids.filtered(lambda move: move.state not in ("done", "cancel")):
        move.quantity = move.product_uom_qty
        move.picked = True
    if pickings:
        pickings.with_context(skip_backorder=True, skip_sms=True, skip_immediate=True).button_validate()
    return by_old


def create_moves(env, moves, ids):
    """Invoices from their sale orders (one each), credit notes from their lines; posted as the connector's are."""
    invoices = [m for m in moves if m["move_type"] == "out_invoice" and m["sale_order_ids"]]
    orders = env["sale.order"].browse(ids.many("sale.order", [m["sale_order_ids"][0] for m in invoices]))
    made = orders._create_invoices(grouped=True, final=True) if orders else env["account.move"]
    by_order = {move.line_ids.sale_line_ids.order_id.id: move for move in made}
    for move in invoices:
        ids.add("account.move", move["id"], by_order[ids("sale.order", move["sale_order_ids"][0])].id)
    # Credit notes (and any invoice made without a sale order): from their lines.
    refunds = [m for m in moves if m["move_type"] == "out_refund" or not m["sale_order_ids"]]
    values = [
        {"move_type": m["move_type"], "partner_id": ids("res.partner", m["partner_id"]),
         "invoice_date": m["invoice_date"], "currency_id": m["currency_id"],
         "journal_id": ids("account.journal", m["journal_id"]),
         "reversed_entry_id": ids("account.move", m["reversed_entry_id"]),
         "invoice_line_ids": [
             (0, 0, {"product_id": ids("product.product", line["product_id"]), "name": line["name"],
                     "quantity": line["quantity"], "price_unit": line["price_unit"], "discount": line["discount"],
                     "tax_ids": [(6, 0, ids.many("account.tax", line["tax_ids"]))]})
             if line["display_type"] == "product" else
             (0, 0, {"display_type": line["display_type"], "name": line["name"]})
             for line in m["lines"]
         ]}
        for m in refunds
    ]
    for move, record in zip(refunds, env["account.move"].create(values)):
        ids.add("account.move", move["id"], record.id)
    posted = env["account.move"].browse(ids.many("account.move", [m["id"] for m in moves if m["state"] == "posted"]))
    posted.action_post()


def create_payments(env, payments, ids):
    """Each payment the way Odoo's "Register payment" makes it, on the invoice or credit note it settled."""
    for payment in payments:
        moves = ids.many("account.move", [move_id for move_id in payment["move_ids"]])
        if not moves:
            continue
        env["account.payment.register"].with_context(active_model="account.move", active_ids=moves).create({
            "journal_id": ids("account.journal", payment["journal_id"]),
            "amount": payment["amount"],
            "payment_date": payment["date"],
            "communication": payment["memo"],
            "payment_difference_handling": "open",
        })._create_payments()


def main(argv=None):
    ours, odoo_args = benchlib.split_argv(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--profile", help="write cProfile stats of the timed part to this file")
    parser.add_argument("--trace", action="store_true")
    parser.add_argument("--naive", action="store_true",
                        help="the naive floor: every record with its own ORM calls (create, confirm, validate, "
                        "invoice, post), one by one, instead of one call per page")
    args = parser.parse_args(ours)

    spec = benchlib.read_json(args.spec)
    marks, records = spec["marks"], spec["records"]
    ids = IdMap(marks["template"])
    registry = benchlib.open_registry(args.db, odoo_args)
    registry_rss = round(benchlib.rss_mb(), 1)  # Odoo and the registry: fixed, whatever the import
    # Made before the import started (the connector's setup): configuration, outside the clock.
    with environment(registry) as env:
        create_setup(env, spec, ids)
        base = marks["base"]
        create_products(env, in_range(records["product.product"], 0, base["product.product"]), ids)
        create_partners(env, in_range(records["res.partner"], 0, base["res.partner"]), ids)

    orders = len(records["sale.order"])
    with environment(registry) as env:
        postgres_before = benchlib.postgres_cpu(env)
    thread = threading.current_thread()
    thread.query_count, thread.query_time = 0, 0.0  # Odoo adds each query's wait to these
    meter = Meter(trace=args.trace, profile=args.profile).start()
    done, quarter, previous = 0, None, base
    for number, mark in enumerate(marks["pages"], 1):
        def page(model, previous=previous, mark=mark):
            return in_range(records[model], previous[model], mark[model])
        with environment(registry) as env:
            sale_env = env(context=SALE_CONTEXT)
            if args.naive:
                for product in page("product.product"):
                    create_products(env, [product], ids)
                create_partners(env, page("res.partner"), ids, one_by_one=True)
                for sale in page("sale.order"):
                    create_sales(sale_env, [sale], ids)
                # As the connector does it: a credit note is posted after its invoice's payment (posted alone
                # before it, it would reverse the invoice and leave nothing to pay).
                moves, payments = page("account.move"), page("account.payment")
                for move in moves:
                    if move["move_type"] == "out_invoice":
                        create_moves(sale_env, [move], ids)
                create_payments(sale_env, [p for p in payments if p["payment_type"] == "inbound"], ids)
                for move in moves:
                    if move["move_type"] != "out_invoice":
                        create_moves(sale_env, [move], ids)
                create_payments(sale_env, [p for p in payments if p["payment_type"] != "inbound"], ids)
            else:
                create_products(env, page("product.product"), ids)
                create_partners(env, page("res.partner"), ids)
                create_sales(sale_env, page("sale.order"), ids)
                create_moves(sale_env, page("account.move"), ids)
                create_payments(sale_env, page("account.payment"), ids)
            env.cr.commit()
        done += len(page("sale.order"))
        previous = mark
        if quarter is None and done >= benchlib.quarter_mark(orders):
            quarter = meter.checkpoint("N/4", done)
        log(f"  floor page {number}/{len(marks['pages'])}: {done} orders, {meter.checkpoint('page', done)['seconds']} s")
    end = meter.stop(orders)
    end["sql_seconds"] = round(thread.query_time, 3)
    with environment(registry) as env:
        end["postgres_cpu_seconds"] = benchlib.postgres_cpu_since(postgres_before, benchlib.postgres_cpu(env))
        created = {
            model: env[model].with_context(active_test=False).search_count([("id", ">", marks["template"][model])]
                                                                            + ([("move_type", "in", ("out_invoice", "out_refund"))]
                                                                               if model == "account.move" else []))
            for model in benchlib.SPEC_MODELS
        }
    benchlib.write_json(args.out, {
        "side": "naive floor" if args.naive else "floor",
        "orders": orders,
        "checkpoints": [point for point in meter.checkpoints if point["label"] != "page"],
        "end": end,
        "created": created,
        "trace": args.trace,
        "registry_rss_mb": registry_rss,
    })
    log(f"floor: {orders} orders in {end['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
