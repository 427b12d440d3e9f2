"""Reconciliation: both sides reduced to facts per order, summed per status, and every order that differs named."""

import copy
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from wc_connector.payloads import parse_order
from wc_connector.rules.reconcile import (
    KINDS,
    MISSING_IN_ODOO,
    MISSING_IN_STORE,
    PAYMENT,
    REFUND,
    STATUS,
    TOTAL,
    OdooFacts,
    differences,
    store_facts,
    summarize,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"
D = Decimal


def body(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["body"]


def store_side():
    return [store_facts(parse_order(item)) for item in body("orders_list_p1.json")]


def odoo_copy(facts):
    """What Odoo holds when the import applied every order exactly (invoiced ones paid and credited as the store)."""
    return [
        OdooFacts(wc_id=f.wc_id, sale_id=1000 + f.wc_id, name=f"S{f.wc_id}", status=f.status, total=f.total,
                  tax=f.tax, shipping=f.shipping, invoiced=f.total if f.paid else D(0), refunds=f.refunds, paid=f.paid)
        for f in facts
    ]


def test_store_facts_read_totals_shipping_with_tax_refunds_and_payment():
    data = body("order_single_partial_refund.json")
    facts = store_facts(parse_order(data))
    assert facts.wc_id == data["id"] and facts.status == "completed"
    assert facts.total == D(data["total"]) and facts.tax == D(data["total_tax"])
    assert facts.shipping == D(data["shipping_total"]) + D(data["shipping_tax"])
    assert facts.refunds == D("23.88")
    assert facts.paid == facts.total


def test_an_order_whose_money_never_came_is_not_paid_whatever_date_paid_says():
    data = copy.deepcopy(body("order_single_partial_refund.json"))
    data.update(status="failed")
    assert store_facts(parse_order(data)).paid == 0
    data.update(status="completed", date_paid_gmt=None, date_paid=None)
    assert store_facts(parse_order(data)).paid == 0


def test_an_exact_import_has_no_difference_and_every_summary_row_matches():
    store = store_side()
    odoo = odoo_copy(store)
    assert differences(store, odoo) == []
    rows = summarize(store, odoo)
    assert [row.status for row in rows] == sorted({f.status for f in store})
    assert all(row.matches for row in rows)
    assert sum(row.store_count for row in rows) == len(store)
    refunded = next(row for row in rows if row.status == "refunded")
    assert refunded.store["refunds"] == sum(f.refunds for f in store if f.status == "refunded") > 0


def test_an_order_deleted_in_odoo_is_missing_in_odoo_and_counted_on_the_store_side_only():
    store = store_side()
    odoo = [f for f in odoo_copy(store) if f.wc_id != 96]
    [difference] = differences(store, odoo)
    assert (difference.kind, difference.wc_id, difference.store_value, difference.odoo_value, difference.amount) == (
        MISSING_IN_ODOO, 96, D("153.70"), None, D("-153.70"))
    row = next(row for row in summarize(store, odoo) if row.status == "refunded")
    assert (row.store_count, row.odoo_count, row.matches) == (3, 2, False)
    assert row.store["revenue"] - row.odoo["revenue"] == D("153.70")


def test_an_order_the_store_no_longer_lists_is_missing_in_the_store():
    store = store_side()
    odoo = odoo_copy(store)
    [difference] = differences([f for f in store if f.wc_id != 90], odoo)
    assert (difference.kind, difference.wc_id, difference.sale_id, difference.odoo_value, difference.amount) == (
        MISSING_IN_STORE, 90, 1090, D("93.83"), D("93.83"))


def test_a_total_changed_in_odoo_is_a_total_difference_with_the_amount():
    store = store_side()
    odoo = [replace(f, total=f.total + D("10.01")) if f.wc_id == 89 else f for f in odoo_copy(store)]
    [difference] = differences(store, odoo)
    assert (difference.kind, difference.wc_id, difference.amount) == (TOTAL, 89, D("10.01"))
    assert (difference.store_value, difference.odoo_value) == (D("457.91"), D("467.92"))


def test_the_cents_the_import_recorded_as_the_store_s_own_rounding_are_no_difference():
    store = store_side()
    odoo = [replace(f, total=f.total + D("0.01"), known_difference=D("0.01")) if f.wc_id == 89 else f
            for f in odoo_copy(store)]
    assert differences(store, odoo) == []


def test_a_status_update_that_never_arrived_is_a_status_difference():
    store = store_side()
    odoo = [replace(f, status="processing") if f.wc_id == 87 else f for f in odoo_copy(store)]
    [difference] = differences(store, odoo)
    assert (difference.kind, difference.store_value, difference.odoo_value, difference.amount) == (
        STATUS, "cancelled", "processing", None)


def test_a_refund_missing_in_odoo_is_a_refund_difference():
    store = store_side()
    odoo = [replace(f, refunds=D(0)) if f.wc_id == 95 else f for f in odoo_copy(store)]
    [difference] = differences(store, odoo)
    assert (difference.kind, difference.wc_id, difference.amount) == (REFUND, 95, D("-1912.25"))


def test_a_payment_missing_on_an_invoiced_order_is_a_payment_difference():
    store = store_side()
    odoo = [replace(f, paid=D(0)) if f.wc_id == 94 else f for f in odoo_copy(store)]
    [difference] = differences(store, odoo)
    assert (difference.kind, difference.store_value, difference.odoo_value) == (PAYMENT, D("1172.45"), D(0))


def test_payments_and_refunds_of_an_order_odoo_has_not_invoiced_yet_are_not_expected():
    store = store_side()
    odoo = [replace(f, invoiced=D(0), paid=D(0), refunds=D(0)) if f.wc_id == 94 else f for f in odoo_copy(store)]
    assert differences(store, odoo) == []


def test_differences_are_listed_by_kind_then_order():
    store = store_side()
    odoo = odoo_copy(store)
    odoo = [replace(f, status="x", total=f.total + 1) if f.wc_id in (87, 89) else f for f in odoo if f.wc_id != 96]
    found = differences(store, odoo)
    assert [(d.kind, d.wc_id) for d in found] == [
        (MISSING_IN_ODOO, 96), (TOTAL, 87), (TOTAL, 89), (STATUS, 87), (STATUS, 89)]
    assert KINDS.index(MISSING_IN_ODOO) < KINDS.index(TOTAL) < KINDS.index(STATUS)


def test_a_paid_order_odoo_has_not_invoiced_yet_shows_its_payment_on_the_store_side_and_still_matches():
    store = store_side()
    odoo = [replace(f, invoiced=D(0), paid=D(0), refunds=D(0)) if f.wc_id == 94 else f for f in odoo_copy(store)]
    row = next(row for row in summarize(store, odoo) if row.status == "refunded")
    assert row.store["payments"] - row.odoo["payments"] == D("1172.45")
    assert row.expected["payments"] == row.odoo["payments"]
    assert row.matches
    paid_less = [replace(f, paid=f.paid - 1) if f.wc_id == 95 else f for f in odoo]
    assert not next(row for row in summarize(store, paid_less) if row.status == "refunded").matches
