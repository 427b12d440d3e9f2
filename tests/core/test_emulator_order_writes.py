"""The emulator applies ERP → store order writes like the real store (reverse/2_orders, 3_customer, 5_echo)."""

import json

import pytest
from test_emulator_helpers import call

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store

SECRET = "lab-webhook-secret-Ω-2024"


@pytest.fixture
def store():
    with EmulatedStore(generate_store(seed=31, orders=6)) as running:
        running.data.webhooks.clear()
        yield running


def hooked(store, receiver, *topics):
    for topic in topics:
        assert call(store, "POST", "/webhooks", {"name": topic, "topic": topic, "delivery_url": receiver.url,
                                                 "secret": SECRET, "status": "active"}).status_code == 201
    receiver.received.clear()


def stocked_order(store, status="processing", **values):
    product = next(p for p in store.data.products.values() if p["type"] == "simple" and p.get("manage_stock"))
    body = {"status": status, "line_items": [{"product_id": product["id"], "quantity": 2}],
            "billing": {"first_name": "Anna", "last_name": "Schmidt", "phone": "+49 30 1234567",
                        "email": "anna@example.de", "country": "DE"},
            "shipping": {"first_name": "Anna", "last_name": "Schmidt", "country": "DE"}, **values}
    answer = call(store, "POST", "/orders", body)
    assert answer.status_code == 201
    return answer.json(), product


def deliveries(receiver):
    return [(headers["X-WC-Webhook-Topic"], json.loads(body)) for _path, headers, body in receiver.received]


def test_a_partial_billing_put_changes_only_the_keys_sent_and_the_request_body_is_logged(store):
    order, _product = stocked_order(store)
    store.data.clock.advance(2)
    body = {"billing": {"first_name": "Sophie"}, "shipping": {"phone": "+49 89 1"}}
    answer = call(store, "PUT", f"/orders/{order['id']}", body).json()
    assert answer["billing"] == dict(order["billing"], first_name="Sophie")
    assert answer["shipping"] == dict(order["shipping"], phone="+49 89 1")
    assert answer["date_modified_gmt"] > order["date_modified_gmt"]
    [put] = [entry for entry in store.request_log if entry.method == "PUT"]
    assert put.body == body and put.path.endswith(f"/orders/{order['id']}")


def test_an_unknown_customer_id_is_a_400_and_nothing_of_the_put_is_saved(store):
    order, _product = stocked_order(store)
    answer = call(store, "PUT", f"/orders/{order['id']}", {"customer_id": 999999, "billing": {"first_name": "X"}})
    assert answer.status_code == 400
    assert answer.json() == {"code": "woocommerce_rest_invalid_customer_id", "message": "Customer ID is invalid.",
                             "data": {"status": 400}}
    assert call(store, "GET", f"/orders/{order['id']}").json()["billing"]["first_name"] == "Anna"
    guest = call(store, "PUT", f"/orders/{order['id']}", {"customer_id": 0}).json()
    assert guest["customer_id"] == 0 and guest["billing"] == order["billing"]


def test_set_paid_on_a_pending_order_makes_it_processing_paid_and_reduces_stock(store):
    order, product = stocked_order(store, status="pending")
    stock = store.data.products[product["id"]]["stock_quantity"]
    assert order["date_paid"] is None
    paid = call(store, "PUT", f"/orders/{order['id']}", {"set_paid": True}).json()
    assert paid["status"] == "processing" and paid["date_paid_gmt"]
    assert store.data.products[product["id"]]["stock_quantity"] == stock - 2
    notes = call(store, "GET", f"/orders/{order['id']}/notes").json()
    assert notes[0]["note"] == "Order status changed from Pending payment to Processing."


def test_completed_sets_date_completed_and_cancelled_restores_the_stock(store):
    order, product = stocked_order(store)
    stock = store.data.products[product["id"]]["stock_quantity"]
    completed = call(store, "PUT", f"/orders/{order['id']}", {"status": "completed"}).json()
    assert completed["date_completed_gmt"] and store.data.products[product["id"]]["stock_quantity"] == stock
    other, _ = stocked_order(store)
    call(store, "PUT", f"/orders/{other['id']}", {"status": "cancelled"})
    assert store.data.products[product["id"]]["stock_quantity"] == stock
    notes = [note["note"] for note in call(store, "GET", f"/orders/{other['id']}/notes").json()]
    assert "Order status changed from Processing to Cancelled." in notes
    assert any(note.startswith("Stock levels increased: ") for note in notes)


def test_refunded_by_status_alone_refunds_the_whole_amount(store):
    order, _product = stocked_order(store)
    refunded = call(store, "PUT", f"/orders/{order['id']}", {"status": "refunded"}).json()
    [refund] = call(store, "GET", f"/orders/{order['id']}/refunds").json()
    assert (refund["amount"], refund["reason"], refund["line_items"]) == (order["total"], "Order fully refunded.", [])
    assert refunded["refunds"][0]["total"] == "-" + order["total"]


def test_meta_is_stored_and_returned_but_a_key_naming_a_property_sets_it(store, receiver):
    hooked(store, receiver, "order.updated")
    order, _product = stocked_order(store)
    body = {"meta_data": [{"key": "_odoo_sync_token", "value": "T1"}, {"key": "_billing_phone", "value": "+49 0"},
                          {"key": "_order_total", "value": "1.00"}]}
    answer = call(store, "PUT", f"/orders/{order['id']}", body).json()
    assert [(m["key"], m["value"]) for m in answer["meta_data"]] == [("_odoo_sync_token", "T1")]
    assert answer["billing"]["phone"] == "+49 0" and answer["total"] == order["total"]
    assert call(store, "GET", f"/orders/{order['id']}").json()["meta_data"] == answer["meta_data"]
    receiver.received.clear()
    store.flush_webhooks()
    [(topic, payload)] = deliveries(receiver)
    assert topic == "order.updated" and payload["meta_data"] == answer["meta_data"]
    assert payload["date_modified_gmt"] == answer["date_modified_gmt"]


def test_a_customer_note_mails_but_fires_no_webhook_and_keeps_date_modified(store, receiver):
    order, _product = stocked_order(store)
    hooked(store, receiver, "order.updated")
    store.data.clock.advance(5)
    note = call(store, "POST", f"/orders/{order['id']}/notes",
                {"note": "Your parcel is on its way: DHL tracking 0034", "customer_note": True})
    assert note.status_code == 201 and note.json()["customer_note"] is True
    assert call(store, "GET", f"/orders/{order['id']}").json()["date_modified_gmt"] == order["date_modified_gmt"]
    store.flush_webhooks()
    assert deliveries(receiver) == []


def test_two_writes_before_the_queue_runs_give_one_delivery_with_the_latest_state(store, receiver):
    order, _product = stocked_order(store)
    hooked(store, receiver, "order.updated")
    ours = call(store, "PUT", f"/orders/{order['id']}",
                {"status": "on-hold", "meta_data": [{"key": "_odoo_sync_token", "value": "T-coalesce"}]}).json()
    store.data.clock.advance(1)
    shop = call(store, "PUT", f"/orders/{order['id']}", {"billing": {"phone": "+49 30 SHOP-EDIT"}}).json()
    store.flush_webhooks()
    [(_topic, payload)] = deliveries(receiver)
    assert payload["billing"]["phone"] == "+49 30 SHOP-EDIT"
    assert payload["meta_data"] == ours["meta_data"]
    assert payload["date_modified_gmt"] == shop["date_modified_gmt"] != ours["date_modified_gmt"]


def test_a_batch_update_applies_items_alone_and_reports_a_bad_customer_per_item(store):
    first, _ = stocked_order(store)
    second, _ = stocked_order(store)
    answer = call(store, "POST", "/orders/batch", {"update": [
        {"id": first["id"], "status": "completed"}, {"id": second["id"], "customer_id": 999999}]}).json()
    assert answer["update"][0]["status"] == "completed"
    assert answer["update"][1] == {"id": second["id"], "error": {
        "code": "woocommerce_rest_invalid_customer_id", "message": "Customer ID is invalid.", "data": {"status": 400}}}
