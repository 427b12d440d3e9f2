"""Writes: orders, refunds, notes, customers, products, batches and error bodies."""

import time
from decimal import Decimal

import pytest
import requests
from test_emulator_helpers import call, capture

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store


@pytest.fixture
def store():
    with EmulatedStore(generate_store(seed=11, orders=10)) as running:
        yield running


def simple_product(store):
    return next(p for p in store.data.products.values()
                if p["type"] == "simple" and p.get("price") and p.get("tax_class") == "")


def test_not_found_bodies(store):
    assert call(store, "GET", "/orders/999999").json() == capture("error_404_order.json")["body"]
    assert call(store, "GET", "/customers/999999").json() == capture("error_404_customer.json")["body"]
    route = call(store, "GET", "/no-such-endpoint")
    assert route.json() == capture("error_404_route.json")["body"] and "Allow" not in route.headers
    refunds = call(store, "GET", "/refunds", per_page=10)
    assert refunds.json() == capture("error_404_refunds_toplevel_route.json")["body"]
    assert call(store, "GET", "/orders/999999").headers["Allow"] == "GET, POST, PUT, PATCH, DELETE"
    assert call(store, "GET", "/products/999999").json()["code"] == "woocommerce_rest_product_invalid_id"
    assert call(store, "GET", "/webhooks/999999").status_code == 404
    assert call(store, "GET", "/orders/999999/notes").json()["code"] == "woocommerce_rest_order_invalid_id"


def test_create_order_computes_taxes_and_totals(store):
    product = simple_product(store)
    answer = call(store, "POST", "/orders", {
        "billing": {"first_name": "Anna", "country": "DE", "email": "anna@example.de"},
        "line_items": [{"product_id": product["id"], "quantity": 3}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "DHL", "total": "4.90"}],
        "fee_lines": [{"name": "Handling", "total": "2.00"}],
        "set_paid": True})
    assert answer.status_code == 201
    order = answer.json()
    assert answer.headers["Location"].endswith(f"/orders/{order['id']}")
    assert order["status"] == "processing" and order["date_paid"]
    line = order["line_items"][0]
    assert line["subtotal"] == str((Decimal(product["price"]) * 3).quantize(Decimal("0.01")))
    net = Decimal(line["total"]) + Decimal(order["shipping_total"]) + Decimal("2.00")
    assert Decimal(order["total"]) == net + Decimal(order["total_tax"])
    assert order["tax_lines"][0]["rate_percent"] == 19
    assert Decimal(order["shipping_tax"]) == Decimal("0.93")


def test_percent_coupon_discounts_lines(store):
    product = simple_product(store)
    coupon = call(store, "POST", "/coupons", {"code": "TENOFF", "discount_type": "percent", "amount": "10"})
    assert coupon.status_code == 201
    order = call(store, "POST", "/orders", {"line_items": [{"product_id": product["id"], "quantity": 2}],
                                            "coupon_lines": [{"code": "tenoff"}]}).json()
    line = order["line_items"][0]
    assert Decimal(line["total"]) == Decimal(line["subtotal"]) * Decimal("0.9")
    assert order["coupon_lines"][0]["discount"] == order["discount_total"]
    assert order["coupon_lines"][0]["discount_type"] == "percent"
    duplicate = call(store, "POST", "/coupons", {"code": "tenoff"})
    assert duplicate.json()["code"] == "woocommerce_rest_coupon_code_already_exists"


def test_fixed_coupons(store):
    product = simple_product(store)
    call(store, "POST", "/coupons", {"code": "cart5", "discount_type": "fixed_cart", "amount": "5"})
    call(store, "POST", "/coupons", {"code": "prod1", "discount_type": "fixed_product", "amount": "1",
                                     "product_ids": [product["id"]]})
    order = call(store, "POST", "/orders", {
        "line_items": [{"product_id": product["id"], "quantity": 2}],
        "coupon_lines": [{"code": "cart5"}, {"code": "prod1"}]}).json()
    assert Decimal(order["discount_total"]) == Decimal("7.00")


def test_unknown_product_is_accepted_with_product_id_zero(store):
    answer = call(store, "POST", "/orders", {"line_items": [{"product_id": 999999, "quantity": 1}]})
    assert answer.status_code == 201
    line = answer.json()["line_items"][0]
    captured = capture("error_400_orders_invalid_product.json")["body"]["line_items"][0]
    assert (line["product_id"], line["total"], line["name"]) == (captured["product_id"], captured["total"], "")


def test_invalid_coupon_answers_400_but_saves_the_order(store):
    before = len(store.data.orders)
    answer = call(store, "POST", "/orders", {"line_items": [{"product_id": 10, "quantity": 1}],
                                             "coupon_lines": [{"code": "nosuchcoupon"}]})
    assert answer.status_code == 400
    assert answer.json() == capture("error_400_orders_invalid_coupon.json")["body"]
    assert len(store.data.orders) == before + 1


def test_invalid_customer_and_payload(store):
    answer = call(store, "POST", "/orders", {"customer_id": 999999, "line_items": []})
    assert answer.json() == capture("error_400_orders_invalid_customer.json")["body"]
    bad = call(store, "POST", "/orders", capture("error_400_orders_invalid_payload.json")["request"]["body"])
    assert bad.status_code == 400
    assert bad.json()["data"]["params"] == capture("error_400_orders_invalid_payload.json")["body"]["data"]["params"]


def test_put_bumps_modified_and_updates_only_sent_keys(store):
    order = next(o for o in store.data.orders.values() if o["status"] == "processing" and o["billing"]["city"])
    store.data.clock.advance(5)
    answer = call(store, "PUT", f"/orders/{order['id']}", {"billing": {"company": "Neue GmbH"},
                                                           "status": "completed"})
    changed = answer.json()
    assert changed["billing"]["company"] == "Neue GmbH"
    assert changed["billing"]["city"] == order["billing"]["city"]
    assert changed["status"] == "completed" and changed["date_completed"]
    assert changed["date_modified_gmt"] > changed["date_created_gmt"]
    other = next(c for c in store.data.customers.values())
    moved = call(store, "PUT", f"/orders/{order['id']}", {"customer_id": other["id"]}).json()
    assert moved["customer_id"] == other["id"] and moved["billing"]["company"] == "Neue GmbH"
    lines = call(store, "PUT", f"/orders/{order['id']}", {"line_items": [
        {"id": moved["line_items"][0]["id"], "quantity": 7}, {"product_id": simple_product(store)["id"], "quantity": 1}]})
    assert lines.json()["line_items"][0]["quantity"] == 7
    assert call(store, "PUT", f"/orders/{order['id']}", {"status": "bogus"}).status_code == 400


def test_delete_order_trash_then_force(store):
    order = call(store, "POST", "/orders", {"status": "processing"}).json()
    trashed = call(store, "DELETE", f"/orders/{order['id']}")
    assert trashed.status_code == 200 and trashed.json()["status"] == "processing"
    assert call(store, "GET", f"/orders/{order['id']}").json()["status"] == "trash"
    listed = [o["id"] for o in call(store, "GET", "/orders", per_page=100).json()]
    assert order["id"] not in listed
    assert [o["id"] for o in call(store, "GET", "/orders", status="trash").json()] == [order["id"]]
    assert call(store, "DELETE", f"/orders/{order['id']}").status_code == 410
    assert call(store, "DELETE", f"/orders/{order['id']}", force="true").status_code == 200
    assert call(store, "GET", f"/orders/{order['id']}").json() == capture("error_404_order.json")["body"]


def test_refunds(store):
    order = call(store, "POST", "/orders", {"line_items": [{"product_id": simple_product(store)["id"], "quantity": 2}],
                                            "set_paid": True}).json()
    line = order["line_items"][0]
    refund = call(store, "POST", f"/orders/{order['id']}/refunds", {
        "reason": "broken", "api_refund": False,
        "line_items": [{"id": line["id"], "quantity": 1, "refund_total": "5.00",
                        "refund_tax": [{"id": 1, "refund_total": "0.95"}]}]})
    assert refund.status_code == 201
    body = refund.json()
    assert set(body) == set(capture("write_order_refund_create.json")["body"])
    assert body["amount"] == "5.95" and body["line_items"][0]["quantity"] == -1
    assert body["line_items"][0]["meta_data"][0]["key"] == "_refunded_item_id"
    after = call(store, "GET", f"/orders/{order['id']}").json()
    assert after["refunds"] == [{"id": body["id"], "reason": "broken", "total": "-5.95"}]
    assert after["status"] == "processing"
    listed = call(store, "GET", f"/orders/{order['id']}/refunds")
    assert [r["id"] for r in listed.json()] == [body["id"]]
    assert call(store, "GET", f"/orders/{order['id']}/refunds/{body['id']}").json()["amount"] == "5.95"
    too_much = call(store, "POST", f"/orders/{order['id']}/refunds", {"amount": "100000.00"})
    assert too_much.json()["code"] == "woocommerce_rest_cannot_create_order_refund"
    rest = Decimal(order["total"]) - Decimal("5.95")
    full = call(store, "POST", f"/orders/{order['id']}/refunds", {"amount": str(rest)})
    assert full.status_code == 201
    assert call(store, "GET", f"/orders/{order['id']}").json()["status"] == "refunded"
    assert call(store, "DELETE", f"/orders/{order['id']}/refunds/{body['id']}").status_code == 501
    assert call(store, "DELETE", f"/orders/{order['id']}/refunds/{body['id']}", force="true").status_code == 200
    assert call(store, "GET", f"/orders/{order['id']}/refunds/{body['id']}").status_code == 404


def test_notes(store):
    order = next(iter(store.data.orders.values()))
    modified = order["date_modified_gmt"]
    customer = call(store, "POST", f"/orders/{order['id']}/notes", {"note": "Versendet", "customer_note": True})
    internal = call(store, "POST", f"/orders/{order['id']}/notes", {"note": "intern", "added_by_user": True})
    assert customer.status_code == 201 and internal.json()["author"] == "admin"
    kinds = {kind: [n["id"] for n in call(store, "GET", f"/orders/{order['id']}/notes", type=kind).json()]
             for kind in ("any", "customer", "internal")}
    assert customer.json()["id"] in kinds["customer"] and internal.json()["id"] in kinds["internal"]
    assert set(kinds["customer"]) | set(kinds["internal"]) == set(kinds["any"])
    assert store.data.orders[order["id"]]["date_modified_gmt"] == modified  # notes change nothing
    note_id = internal.json()["id"]
    assert call(store, "GET", f"/orders/{order['id']}/notes/{note_id}").json()["note"] == "intern"
    assert call(store, "DELETE", f"/orders/{order['id']}/notes/{note_id}", force="true").status_code == 200
    assert call(store, "GET", f"/orders/{order['id']}/notes/{note_id}").status_code == 404
    assert call(store, "POST", f"/orders/{order['id']}/notes", {}).status_code == 400


def test_customers_create_duplicate_update_delete(store):
    created = call(store, "POST", "/customers", {"email": "neu@example.de", "first_name": "Neu",
                                                 "billing": {"company": "Neu AG", "postcode": "10115"}})
    assert created.status_code == 201
    customer = created.json()
    assert customer["billing"]["postcode"] == "10115" and customer["role"] == "customer"
    duplicate = call(store, "POST", "/customers", {"email": "NEU@example.de"})
    assert duplicate.json() == capture("error_400_customers_duplicate_email.json")["body"]
    updated = call(store, "PUT", f"/customers/{customer['id']}", {"last_name": "Kunde"}).json()
    assert updated["last_name"] == "Kunde"
    order = call(store, "POST", "/orders", {"customer_id": customer["id"]}).json()
    refused = call(store, "DELETE", f"/customers/{customer['id']}")
    assert refused.status_code == 501
    assert refused.json() == capture("more/deletions/customer_delete_02_delete_no_force.json")["body"]
    assert call(store, "DELETE", f"/customers/{customer['id']}", force="true").status_code == 200
    assert call(store, "GET", f"/customers/{customer['id']}").status_code == 404
    assert call(store, "GET", f"/orders/{order['id']}").json()["customer_id"] == 0  # now a guest order


def test_products_and_variations_writes(store):
    created = call(store, "POST", "/products", {"name": "Neu", "sku": "NEW-1", "regular_price": "9.99",
                                                "manage_stock": True, "stock_quantity": 3})
    assert created.status_code == 201 and created.json()["price"] == "9.99"
    product_id = created.json()["id"]
    assert call(store, "POST", "/products", {"name": "Dup", "sku": "NEW-1"}).json()["code"] == "product_invalid_sku"
    stock = call(store, "PUT", f"/products/{product_id}", {"stock_quantity": 0}).json()
    assert stock["stock_status"] == "outofstock"
    assert stock["generated_slug"] == stock["slug"] and stock["permalink_template"].endswith("/product/%pagename%/")
    assert "generated_slug" not in call(store, "GET", f"/products/{product_id}").json()
    variable = next(p for p in store.data.products.values() if p["type"] == "variable")
    variation = call(store, "POST", f"/products/{variable['id']}/variations", {"regular_price": "1.00", "sku": "V-NEW"})
    assert variation.status_code == 201
    assert call(store, "GET", f"/products/{variable['id']}").json()["price"] == "1"
    vid = variation.json()["id"]
    assert call(store, "PUT", f"/products/{variable['id']}/variations/{vid}", {"sale_price": "0.50"}).json()["on_sale"]
    assert call(store, "DELETE", f"/products/{variable['id']}/variations/{vid}").status_code == 501
    assert call(store, "DELETE", f"/products/{variable['id']}/variations/{vid}", force="true").status_code == 200
    assert call(store, "DELETE", f"/products/{product_id}").json()["id"] == product_id
    assert call(store, "DELETE", f"/products/{product_id}").status_code == 410
    batch = call(store, "POST", f"/products/{variable['id']}/variations/batch", {"create": [{"regular_price": "2"}],
                                                                                 "delete": [999999]}).json()
    assert batch["create"][0]["id"] and batch["delete"][0]["error"]["data"]["status"] == 400


def test_batch_limits_and_per_item_errors(store):
    too_many = call(store, "POST", "/orders/batch", {"delete": list(range(900001, 900102))})
    assert too_many.status_code == 413
    assert too_many.json() == capture("error_413_batch_over_limit.json")["body"]
    existing = next(o for o in store.data.orders.values() if o["status"] == "processing")
    doomed = call(store, "POST", "/orders", {}).json()
    answer = call(store, "POST", "/orders/batch", {
        "create": [{"status": "bogus"}, {"line_items": [{"product_id": 10, "quantity": 1}]}],
        "update": [{"id": existing["id"], "status": "on-hold"}, {"id": 999999, "status": "completed"}],
        "delete": [doomed["id"]]})
    assert answer.status_code == 200 and answer.headers["Allow"] == "POST, PUT, PATCH"
    body = answer.json()
    assert list(body) == ["create", "update", "delete"]
    assert body["create"][0]["status"] == "pending"  # batch creates skip validation
    assert body["update"][0]["status"] == "on-hold"
    captured_error = capture("write_orders_batch_create_update_delete.json")["body"]["update"][1]
    assert body["update"][1] == captured_error
    assert body["delete"][0]["id"] == doomed["id"]
    assert doomed["id"] not in store.data.orders  # batch deletes are permanent
    customers = call(store, "POST", "/customers/batch", {"create": [{"email": "b1@example.de"}, {"email": "b1@example.de"}]}).json()
    assert customers["create"][1]["error"]["code"] == "registration-error-email-exists"
    coupons = call(store, "POST", "/coupons/batch", {"create": [{"code": "bc"}], "update": [{"id": 0}]}).json()
    assert coupons["update"][0]["error"]["data"]["status"] == 400
    products = call(store, "POST", "/products/batch", {"update": [{"id": simple_product(store)["id"], "name": "X"}]}).json()
    assert products["update"][0]["name"] == "X"


def test_keep_alive_and_index(store):
    session = requests.Session()
    for _ in range(3):
        assert call(store, "GET", "/orders", session=session, per_page=1).status_code == 200
    assert requests.get(store.url + "/wp-json/").json()["namespaces"][1] == "wc/v3"
    assert requests.get(store.url + "/wp-json/wc/v3").json()["namespace"] == "wc/v3"
    assert requests.get(store.url + "/shop/").status_code == 404
    assert requests.get(store.url + "/wp-json/wp/v2/posts").json()["code"] == "rest_no_route"
    bad_json = requests.post(store.url + "/wp-json/wc/v3/orders", data=b"{not json",
                             headers={"Content-Type": "application/json"})
    assert bad_json.json()["code"] == "rest_invalid_json"
    assert time.time() > 0
