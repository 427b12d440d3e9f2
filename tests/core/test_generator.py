"""The emulator's data generator: realistic, deterministic, shaped like the captures, adding up to the cent."""

import json
import os
import re
from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from wc_emulator.generator import ORDER_STATUSES, generate_store
from wc_emulator.shapes import check, differences, merge, shape_of

FIXTURES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures", "woocommerce")
CYRILLIC = re.compile("[\u0400-\u04ff]")
ARABIC = re.compile("[\u0600-\u06ff]")


def capture_body(name):
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as handle:
        return json.load(handle)["body"]


def without_links(record):
    return {key: value for key, value in record.items() if key != "_links"}


def merged_shape(bodies):
    shape = None
    for body in bodies:
        shape = merge(shape, shape_of(without_links(body)))
    return shape


@pytest.fixture(scope="module")
def store():
    return generate_store(seed=7, orders=2000)


@pytest.fixture(scope="module")
def small_store():
    return generate_store(seed=1, orders=40)


def D(text):
    return Decimal(text)


# --- money ------------------------------------------------------------------------------------

def test_every_order_adds_up_to_the_cent(store):
    assert len(store.orders) == 2000
    for order in store.orders.values():
        lines = sum(D(line["total"]) for line in order["line_items"])
        fees = sum(D(fee["total"]) for fee in order["fee_lines"])
        shipping = sum(D(line["total"]) for line in order["shipping_lines"])
        assert D(order["shipping_total"]) == shipping, order["id"]
        assert lines + fees + shipping + D(order["total_tax"]) == D(order["total"]), order["id"]
        tax_lines = sum(D(t["tax_total"]) + D(t["shipping_tax_total"]) for t in order["tax_lines"])
        assert tax_lines == D(order["total_tax"]), order["id"]
        assert D(order["cart_tax"]) + D(order["shipping_tax"]) == D(order["total_tax"]), order["id"]
        discount = sum(D(line["subtotal"]) - D(line["total"]) for line in order["line_items"])
        assert discount == D(order["discount_total"]), order["id"]
        item_taxes = sum(D(item["total_tax"]) for item in order["line_items"] + order["fee_lines"]
                         + order["shipping_lines"])
        assert item_taxes == D(order["total_tax"]), order["id"]
        if order["coupon_lines"]:
            assert sum(D(c["discount"]) for c in order["coupon_lines"]) == D(order["discount_total"])


def test_money_is_formatted_like_the_store(store):
    two_decimals = re.compile(r"^-?\d+\.\d\d$")
    for order in store.orders.values():
        for key in ("discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax", "total",
                    "total_tax"):
            assert two_decimals.match(order[key]), (order["id"], key, order[key])
        for line in order["line_items"]:
            assert two_decimals.match(line["total"]) and two_decimals.match(line["subtotal"])
            assert isinstance(line["price"], (int, float)) and not isinstance(line["price"], bool)
            assert abs(D(str(line["price"])) * line["quantity"] - D(line["total"])) < D("0.000001")
            for tax in line["taxes"]:
                decimals = tax["total"].split(".")[1] if "." in tax["total"] else ""
                assert len(decimals) <= 4 and not decimals.endswith("0"), tax
                assert abs(D(tax["total"]) - D(line["total_tax"])) <= D("0.005")


def test_line_taxes_follow_the_customer_country(store):
    rates = {(t["country"], "" if t["class"] == "standard" else t["class"]): D(t["rate"])
             for t in store.taxes.values()}
    for order in store.orders.values():
        country = order["billing"]["country"]
        for line in order["line_items"]:
            rate = rates.get((country, line["tax_class"]))
            if rate is None:
                assert line["taxes"] == [] and line["total_tax"] == "0.00"
            else:
                assert D(line["subtotal_tax"]) == (D(line["subtotal"]) * rate / 100).quantize(D("0.01"),
                                                                                             rounding="ROUND_HALF_UP")
    countries_with_tax = {order["billing"]["country"] for order in store.orders.values()
                          if D(order["total_tax"]) > 0}
    assert {"DE", "AT", "FR", "NL"} <= countries_with_tax
    assert not countries_with_tax & {"RU", "IR"}


def test_coupons_of_both_kinds_and_fees_appear(store):
    kinds = Counter(c["discount_type"] for o in store.orders.values() for c in o["coupon_lines"])
    assert kinds["percent"] > 10 and kinds["fixed_cart"] > 10
    fees = Counter(f["tax_status"] for o in store.orders.values() for f in o["fee_lines"])
    assert fees["taxable"] > 10 and fees["none"] > 10


# --- people ---------------------------------------------------------------------------------------

def test_customers_include_russian_and_persian_names_and_companies(store):
    customers = [c for c in store.customers.values() if c["role"] == "customer"]
    assert any(CYRILLIC.search(c["last_name"]) and CYRILLIC.search(c["billing"]["city"]) for c in customers)
    assert any(ARABIC.search(c["last_name"]) and ARABIC.search(c["billing"]["address_1"]) for c in customers)
    companies = [c for c in customers if c["billing"]["company"]]
    assert 0.2 <= len(companies) / len(customers) <= 0.4
    assert len({c["username"] for c in customers}) == len(customers)
    assert len({c["email"] for c in customers}) == len(customers)
    assert store.customers[1]["role"] == "administrator"
    assert any(c["billing"]["email"] == "" and c["email"] for c in customers)


def test_company_orders_carry_the_vat_id(store):
    for order in store.orders.values():
        keys = {m["key"]: m["value"] for m in order["meta_data"]}
        if order["billing"]["company"]:
            assert keys["_billing_vat_id"] == keys["vat_id"]
        else:
            assert "_billing_vat_id" not in keys


def test_some_people_buy_for_two_companies(store):
    companies = {}
    for order in store.orders.values():
        if order["customer_id"] and order["billing"]["company"]:
            companies.setdefault(order["customer_id"], set()).add(order["billing"]["company"])
    assert any(len(names) == 2 for names in companies.values())


def test_guest_orders_and_repeating_guest_emails(store):
    guests = [o for o in store.orders.values() if o["customer_id"] == 0]
    assert 0.15 <= len(guests) / len(store.orders) <= 0.25
    emails = Counter(o["billing"]["email"] for o in guests)
    assert len(emails) < len(guests) / 2
    registered = set(store.customers)
    assert all(o["customer_id"] in registered for o in store.orders.values() if o["customer_id"])


# --- orders -------------------------------------------------------------------------------------------

def test_every_status_even_in_a_small_store(small_store):
    assert set(ORDER_STATUSES) <= {o["status"] for o in small_store.orders.values()}


def test_paid_orders_have_a_payment_date_and_gateway(store):
    gateways = {g["id"] for g in store.payment_gateways}
    assert {"bacs", "cheque", "cod", "stripe"} <= gateways
    for order in store.orders.values():
        if order["status"] == "checkout-draft":
            continue
        assert order["payment_method"] in gateways
        if order["status"] in ("completed", "refunded"):
            assert order["date_paid"] and order["date_paid_gmt"] and order["date_completed_gmt"]
        if order["status"] in ("pending", "failed", "cancelled", "on-hold"):
            assert order["date_paid"] is None
        if order["payment_method"] == "stripe" and order["date_paid"]:
            assert order["transaction_id"].startswith("ch_")


def test_refunds_partial_by_amount_by_line_and_full(store):
    kinds = Counter()
    for order_id, refunds in store.refunds.items():
        order = store.orders[order_id]
        line_ids = {line["id"] for line in order["line_items"]}
        listed = {entry["id"]: entry for entry in order["refunds"]}
        for refund in refunds:
            assert listed[refund["id"]]["total"] == "-" + refund["amount"]
            if refund["line_items"]:
                kinds["line"] += 1
                for line in refund["line_items"]:
                    assert line["quantity"] < 0 and D(line["total"]) < 0
                    meta = {m["key"]: m["value"] for m in line["meta_data"]}
                    assert int(meta["_refunded_item_id"]) in line_ids
                    assert D(refund["amount"]) == -(D(line["total"]) + D(line["total_tax"]))
            elif order["status"] == "refunded":
                assert refund["amount"] == order["total"]
                kinds["full"] += 1
            else:
                kinds["amount"] += 1
    assert kinds["line"] and kinds["full"] and kinds["amount"]
    assert all(store.refunds.get(o["id"]) for o in store.orders.values() if o["status"] == "refunded")


def test_dates_are_berlin_local_and_utc_and_some_share_a_second(store):
    berlin = ZoneInfo("Europe/Berlin")
    records = list(store.orders.values()) + list(store.customers.values()) + list(store.products.values())
    for record in records:
        for name in ("date_created", "date_modified", "date_paid", "date_completed"):
            if record.get(name) is None:
                continue
            gmt = datetime.strptime(record[name + "_gmt"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
            assert gmt.astimezone(berlin).strftime("%Y-%m-%dT%H:%M:%S") == record[name]
        if record.get("date_modified_gmt"):
            assert record["date_modified_gmt"] >= record["date_created_gmt"]
    ties = Counter(o["date_modified_gmt"] for o in store.orders.values())
    assert sum(1 for count in ties.values() if count > 1) >= 20


def test_notes_are_listed_newest_first(store):
    assert store.notes
    for order_id, notes in store.notes.items():
        assert order_id in store.orders
        stamps = [note["date_created_gmt"] for note in notes]
        assert stamps == sorted(stamps, reverse=True)


# --- products -------------------------------------------------------------------------------------------

def test_products_have_skus_stock_and_variations(store):
    skus = [p["sku"] for p in store.products.values()] + [v["sku"] for v in store.variations.values()]
    assert len(skus) == len(set(skus)) and all(skus)
    variable = [p for p in store.products.values() if p["type"] == "variable"]
    assert variable
    for product in variable:
        prices = [D(store.variations[v]["price"]) for v in product["variations"]]
        assert D(product["price"]) == min(prices) and product["regular_price"] == ""
        for variation_id in product["variations"]:
            variation = store.variations[variation_id]
            assert variation["parent_id"] == product["id"] and variation["manage_stock"]
            assert {a["slug"] for a in variation["attributes"]} <= {"pa_color", "pa_size"}
    assert any(p["manage_stock"] and p["stock_quantity"] is not None for p in store.products.values())
    assert {p["tax_class"] for p in store.products.values()} == {"", "reduced-rate", "zero-rate"}


def test_variation_lines_carry_attribute_meta(store):
    for order in store.orders.values():
        for line in order["line_items"]:
            if line["variation_id"]:
                keys = [m["key"] for m in line["meta_data"]]
                assert "pa_color" in keys and line["parent_name"]
                assert line["image"] == {"id": 0, "src": ""}


def test_more_products_and_customers_on_request():
    store = generate_store(seed=3, orders=10, customers=50, products=60)
    assert len(store.products) == 60
    assert len([c for c in store.customers.values() if c["role"] == "customer"]) == 50


# --- shapes match the captures ---------------------------------------------------------------------------------

ORDER_CAPTURES = ["order_single_b2b_coupon.json", "order_single_guest.json", "order_single_partial_refund.json",
                  "order_single_refunded_russian.json", "orders_list_p1.json", "orders_list_p2_with_headers.json"]


def _bodies(names):
    bodies = []
    for name in names:
        body = capture_body(name)
        bodies.extend(body if isinstance(body, list) else [body])
    return bodies


@pytest.mark.parametrize("table, captures", [
    ("orders", ORDER_CAPTURES),
    ("customers", ["customer_single_b2b.json", "customer_single_persian_b2b.json", "customer_single_russian.json",
                   "customers_list_role_all.json"]),
    ("products", ["product_single_simple_on_sale.json", "product_single_variable.json", "products_list_p1.json",
                  "products_list_p2.json"]),
    ("variations", ["products_variation_single.json", "products_variations_list.json"]),
    ("coupons", ["coupons.json"]),
])
def test_records_have_the_captured_shape(store, table, captures):
    shape = merged_shape(_bodies(captures))
    for record in getattr(store, table).values():
        assert check(shape, record) == [], record["id"]


def test_refunds_and_notes_have_the_captured_shape(store):
    refund_shape = merged_shape(_bodies(["order_refunds_line_item.json", "order_refunds_amount_only.json",
                                         "more/refunds/08_order_refunds_list.json"]))
    note_shape = merged_shape(_bodies(["order_notes.json", "order_notes_internal.json"]))
    for refunds in store.refunds.values():
        for refund in refunds:
            assert check(refund_shape, refund) == []
    for notes in store.notes.values():
        for note in notes:
            assert check(note_shape, note) == []


def test_store_configuration_is_the_captured_one(store):
    assert differences([without_links(t) for t in capture_body("taxes.json")], list(store.taxes.values())) == []
    assert differences([without_links(g) for g in capture_body("payment_gateways.json")],
                       store.payment_gateways) == []
    assert store.settings["currency"]["code"] == "EUR"
    assert store.system_status["environment"]["version"] == "8.9.1"


# --- determinism and speed ---------------------------------------------------------------------------------------

def test_same_seed_same_data_other_seed_other_data():
    first, second = generate_store(seed=5, orders=60), generate_store(seed=5, orders=60)
    assert first.orders == second.orders and first.customers == second.customers
    assert first.products == second.products and first.refunds == second.refunds
    assert generate_store(seed=6, orders=60).orders != first.orders


def test_sequences_continue_after_the_generated_ids(small_store):
    assert small_store.next_id() > max(small_store.orders)
    item_ids = [line["id"] for o in small_store.orders.values() for line in o["line_items"]]
    assert small_store.next_item_id() > max(item_ids)


def test_five_thousand_orders_are_generated():
    # How fast is the benchmarks' business (bench/), not a timed test's: a busy machine would fail it.
    store = generate_store(seed=2, orders=5000)
    assert len(store.orders) == 5000
