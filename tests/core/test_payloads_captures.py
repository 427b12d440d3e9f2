"""Every order, customer, product, variation and refund the real store sent parses,
and every order adds up to the store's totals to the cent, except the three the
store itself got a cent wrong (round tax at subtotal on), whose difference is reported.

Records are collected from every capture in tests/fixtures/woocommerce/: single
records, lists, batch answers and webhook delivery bodies; each is its own test.
"""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from wc_connector.payloads import (
    Customer,
    Order,
    Product,
    Refund,
    TotalsDifference,
    Variation,
    parse_customer,
    parse_order,
    parse_product,
    parse_refund,
    parse_variation,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"

# Which REST route answers with which record type (path without /wp-json/wc/v3).
ROUTES = (
    (re.compile(r"^/orders/(\d+)/refunds(/\d+)?$"), "refund"),
    (re.compile(r"^/orders(/batch|/\d+)?$"), "order"),
    (re.compile(r"^/customers(/batch|/\d+)?$"), "customer"),
    (re.compile(r"^/products/(\d+)/variations(/batch|/\d+)?$"), "variation"),
    (re.compile(r"^/products(/batch|/\d+)?$"), "product"),
)
WEBHOOK_RESOURCES = {"order": "order", "customer": "customer", "product": "product"}

#: The store's own cent-off orders (more/tax/*rsub-yes*, see more/INDEX.txt KEY OBSERVATIONS).
KNOWN_CENT_OFF = {
    # AT, prices incl. tax: item taxes 11.89 vs total_tax 11.88, so the parts make 81.50 vs total 81.49.
    726: TotalsDifference(total=Decimal("0.01"), total_tax=Decimal("0.01"), tax_lines=Decimal("0")),
    # DE, prices incl. tax: tax lines 22.25 vs total_tax 22.24; parts 158.67 vs total 158.68.
    728: TotalsDifference(total=Decimal("-0.01"), total_tax=Decimal("0"), tax_lines=Decimal("0.01")),
    # DE guest, prices excl. tax: item taxes 9.14 vs total_tax 9.13; parts 124.81 vs total 124.80.
    731: TotalsDifference(total=Decimal("0.01"), total_tax=Decimal("0.01"), tax_lines=Decimal("0")),
}


def _records(body):
    """The record objects in an answer: one, a list, or a batch answer's successful items."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict) and {"create", "update", "delete"} & set(body) and "id" not in body:
        return [item for key in ("create", "update", "delete") for item in body.get(key, [])
                if isinstance(item, dict) and "error" not in item]
    return [body] if isinstance(body, dict) else []


def _capture_records(path):
    capture = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(capture, dict):
        return []
    if "request" in capture and "status" in capture:
        if not isinstance(capture["status"], int) or capture["status"] >= 400:
            return []  # the store's error bodies
        route = capture["request"]["path"].split("/wc/v3", 1)[-1]
        for pattern, kind in ROUTES:
            match = pattern.match(route)
            if match:
                order_id = int(match.group(1)) if kind == "refund" else None
                return [(kind, record, order_id) for record in _records(capture["body"])]
        return []
    if "body_json" in capture:  # a webhook delivery
        headers = {key.lower(): value for key, value in capture.get("headers", {}).items()}
        kind = WEBHOOK_RESOURCES.get(headers.get("x-wc-webhook-resource"))
        if kind and headers.get("x-wc-webhook-event") != "deleted":  # deleted: just {"id": N}
            return [(kind, capture["body_json"], None)]
    return []


def _collect():
    found = []
    for path in sorted(FIXTURES.rglob("*.json")):
        relative = path.relative_to(FIXTURES).as_posix()
        for index, (kind, record, order_id) in enumerate(_capture_records(path)):
            found.append(pytest.param(kind, record, order_id, id=f"{relative}[{index}]:{kind}-{record.get('id')}"))
    return found


RECORDS = _collect()


def _of_kind(kind):
    return [param for param in RECORDS if param.values[0] == kind]


def test_the_captures_hold_every_kind_of_record():
    counts = {kind: len(_of_kind(kind)) for kind in ("order", "customer", "product", "variation", "refund")}
    assert counts["order"] >= 300
    assert counts["customer"] >= 30
    assert counts["product"] >= 50
    assert counts["variation"] >= 14
    assert counts["refund"] >= 11


@pytest.mark.parametrize("kind, record, order_id", _of_kind("order"))
def test_order_parses_and_adds_up(kind, record, order_id):
    order = parse_order(record)
    assert isinstance(order, Order)
    assert order.id == record["id"]
    assert isinstance(order.total, Decimal)
    assert order.date_created.utcoffset().total_seconds() == 0
    expected = KNOWN_CENT_OFF.get(order.id, TotalsDifference())
    assert order.totals_difference == expected
    assert order.totals_difference.adds_up is (order.id not in KNOWN_CENT_OFF)


@pytest.mark.parametrize("kind, record, order_id", _of_kind("customer"))
def test_customer_parses(kind, record, order_id):
    customer = parse_customer(record)
    assert isinstance(customer, Customer)
    assert customer.id == record["id"]
    assert customer.email == record["email"]
    assert customer.billing.postcode == record["billing"]["postcode"]


@pytest.mark.parametrize("kind, record, order_id", _of_kind("product"))
def test_product_parses(kind, record, order_id):
    product = parse_product(record)
    assert isinstance(product, Product)
    assert product.id == record["id"]
    assert product.price == (Decimal(record["price"]) if record["price"] else None)
    if product.type == "variation":  # a variation seen through a product.updated webhook
        variation = parse_variation(record)
        assert variation.parent_id == record["parent_id"] > 0
        assert variation.attributes


@pytest.mark.parametrize("kind, record, order_id", _of_kind("variation"))
def test_variation_parses(kind, record, order_id):
    variation = parse_variation(record)
    assert isinstance(variation, Variation)
    assert variation.id == record["id"]
    assert variation.parent_id > 0
    assert all(isinstance(option, str) for option in variation.attributes.values())


@pytest.mark.parametrize("kind, record, order_id", _of_kind("refund"))
def test_refund_parses(kind, record, order_id):
    refund = parse_refund(record, order_id=order_id)
    assert isinstance(refund, Refund)
    assert refund.order_id == order_id
    assert refund.amount >= 0
    assert all(line.quantity <= 0 and line.refunded_item_id for line in refund.line_items)
    if refund.line_items or refund.shipping_lines or refund.fee_lines:
        assert refund.lines_amount == refund.amount
