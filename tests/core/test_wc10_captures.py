"""WooCommerce 10.5 (`wc10/` captures, the same data as the 8.9.1 ones): the import reads it unchanged.

The parsers, the totals-to-the-cent rules and the refund rules give for each
10.5.0 order and refund exactly what they give for the same order or refund
captured from 8.9.1, although 10.5 rounds the per-rate taxes (`taxes[]`) and
adds fields. (Every wc10 order is also in the every-captured-order proofs of
test_rules_lines.py and test_payloads_captures.py, which walk all the
captures.)
"""

import json
from dataclasses import fields
from decimal import Decimal
from pathlib import Path

import pytest

from wc_connector.payloads import parse_order, parse_refund
from wc_connector.rules.lines import plan_lines
from wc_connector.rules.taxes import tax_specs

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"
WC10 = FIXTURES / "wc10"
STORE_RATES = json.loads((FIXTURES / "taxes.json").read_text())["body"]


def _body(path):
    return json.loads(path.read_text())["body"]


def _orders(body):
    for item in body if isinstance(body, list) else [body]:
        if isinstance(item, dict) and "line_items" in item and "status" in item:
            yield item


def _same_state(order, other):
    """Whether two captures show an order in the same state (totals, lines, status, refunds)."""
    keys = ("status", "total", "total_tax", "shipping_total", "discount_total")
    return all(order[key] == other[key] for key in keys) and \
        [(line["id"], line["quantity"], line["total"]) for line in order["line_items"]] == \
        [(line["id"], line["quantity"], line["total"]) for line in other["line_items"]] and \
        [refund["total"] for refund in order["refunds"]] == [refund["total"] for refund in other["refunds"]]


def _pairs():
    """(10.5 order, the same order in the same state as 8.9.1 sent it), for every 10.5 order that has one."""
    old = {}
    for path in sorted(FIXTURES.rglob("*.json")):
        if WC10 in path.parents:
            continue
        capture = json.loads(path.read_text())
        if isinstance(capture, dict) and isinstance(capture.get("body"), (dict, list)):
            for order in _orders(capture["body"]):
                old.setdefault(order["id"], []).append(order)
    pairs = []
    for path in sorted(WC10.glob("*.json")):
        capture = json.loads(path.read_text())
        body = capture.get("body") if "body" in capture else capture.get("body_json")
        for order in _orders(body):
            match = next((o for o in old.get(order["id"], []) if _same_state(order, o)), None)
            if match is not None:
                pairs.append(pytest.param(order, match, id=f"{path.name}#{order['id']}"))
    return pairs


PAIRS = _pairs()


def _plan(order):
    plan = plan_lines(order, tax_specs(STORE_RATES, order.prices_include_tax))
    return plan, [(line.kind, line.store_line_id, line.quantity, line.price_unit, line.rate_ids, line.product)
                  for line in plan.lines]


def test_most_10_5_orders_have_an_8_9_twin():
    assert len(PAIRS) >= 15
    # 10.5 prints per-rate taxes rounded: the twins differ there, or this file would prove nothing.
    assert any(json.dumps(new["line_items"][0]["taxes"]) != json.dumps(old["line_items"][0]["taxes"])
               for new, old in (param.values for param in PAIRS) if new["line_items"])


@pytest.mark.parametrize("new, old", PAIRS)
def test_a_10_5_order_parses_to_what_its_8_9_twin_parses_to(new, old):
    parsed_new, parsed_old = parse_order(new), parse_order(old)
    for name in ("id", "status", "total", "total_tax", "shipping_total", "discount_total", "prices_include_tax",
                 "currency", "customer_id", "tax_lines", "coupon_lines", "refunds", "billing", "shipping",
                 "payment_method", "transaction_id", "totals_difference"):
        assert getattr(parsed_new, name) == getattr(parsed_old, name), name
    for new_part, old_part in zip((*parsed_new.line_items, *parsed_new.shipping_lines, *parsed_new.fee_lines),
                                  (*parsed_old.line_items, *parsed_old.shipping_lines, *parsed_old.fee_lines)):
        assert (new_part.id, new_part.total, new_part.total_tax) == (old_part.id, old_part.total, old_part.total_tax)
        # The rate ids are the same; the amounts only as rounded as the store's decimals.
        assert [(tax.rate_id, tax.total.quantize(Decimal("0.01"))) for tax in old_part.taxes] == \
            [(tax.rate_id, tax.total) for tax in new_part.taxes]


@pytest.mark.parametrize("new, old", PAIRS)
def test_a_10_5_order_totals_in_odoo_to_the_cent_as_its_8_9_twin(new, old):
    plan_new, lines_new = _plan(parse_order(new))
    plan_old, lines_old = _plan(parse_order(old))
    assert lines_new == lines_old
    assert plan_new.odoo == plan_old.odoo
    assert plan_new.difference == plan_old.difference
    assert [p.code for p in plan_new.problems] == [p.code for p in plan_old.problems]
    if plan_new.adds_up:
        assert plan_new.odoo.amount_total == parse_order(new).total


def test_a_10_5_refund_parses_to_what_the_8_9_refund_parses_to():
    new = [parse_refund(data, order_id=78) for data in _body(WC10 / "order_refunds_78.json")]
    old = [parse_refund(data, order_id=78) for data in _body(FIXTURES / "order_refunds_line_item.json")
           if data["id"] in {refund.id for refund in new}] or \
          [parse_refund(data, order_id=78) for data in _body(FIXTURES / "order_refunds_amount_only.json")
           if data["id"] in {refund.id for refund in new}]
    if not old:
        pytest.skip("no 8.9.1 capture of the same refund")
    for refund_new, refund_old in zip(new, old):
        for field in fields(refund_new):
            if field.name in ("meta", "internal_meta", "line_items", "shipping_lines", "fee_lines", "date_created"):
                continue
            assert getattr(refund_new, field.name) == getattr(refund_old, field.name), field.name
        assert refund_new.lines_amount == refund_old.lines_amount


def test_a_10_5_refund_keeps_its_amount_lines_and_type_as_internal_meta():
    [data] = _body(WC10 / "order_refunds_78.json")
    refund = parse_refund(data, order_id=78)
    assert refund.amount == Decimal(data["amount"]) > 0
    assert refund.lines_amount == refund.amount  # refunded line by line: the lines come to the amount
    assert refund.internal_meta.get("_refund_type") == "partial"
    assert "_refund_type" not in refund.meta
