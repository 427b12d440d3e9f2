"""Webhook deliveries: ping, headers, signature, current state, dedupe, disabling."""

import base64
import hashlib
import hmac
import json
import time

import pytest
from test_emulator_helpers import call, capture

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store
from wc_emulator.inbox import WebhookInbox

SECRET = "lab-webhook-secret-Ω-2024"


@pytest.fixture
def store():
    with EmulatedStore(generate_store(seed=21, orders=8)) as running:
        running.data.webhooks.clear()
        yield running


def hook(store, receiver, topic):
    answer = call(store, "POST", "/webhooks", {"name": f"Lab {topic}", "topic": topic,
                                               "delivery_url": receiver.url, "secret": SECRET,
                                               "status": "active"})
    assert answer.status_code == 201
    return answer.json()


def verify(headers, body):
    expected = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return hmac.compare_digest(expected, headers["X-WC-Webhook-Signature"])


def test_creating_a_webhook_sends_the_ping(store, receiver):
    webhook = hook(store, receiver, "order.created")
    captured = capture("webhooks/webhook_single.json")["body"]
    assert set(webhook) == set(captured) and "secret" not in webhook
    assert webhook["hooks"] == ["woocommerce_new_order"]
    path, headers, body = receiver.received[0]
    assert body == f"webhook_id={webhook['id']}".encode()
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert not [h for h in headers if h.startswith("X-WC-")]
    assert headers["User-Agent"] == "WooCommerce/8.9.1 Hookshot (WordPress/6.5.3)"


def test_delivery_headers_and_signature(store, receiver):
    webhook = hook(store, receiver, "order.created")
    receiver.received.clear()
    order = call(store, "POST", "/orders", {"status": "processing", "customer_note": "Вебхук тест"}).json()
    assert store.flush_webhooks() == [(receiver.url, 200)]
    _, headers, body = receiver.received[0]
    captured = capture("webhooks/deliveries/0009-order_created.json")["headers"]
    assert {h for h in captured if h.startswith("X-WC-")} == {h for h in headers if h.startswith("X-WC-")}
    assert headers["X-WC-Webhook-Topic"] == "order.created"
    assert headers["X-WC-Webhook-Resource"] == "order" and headers["X-WC-Webhook-Event"] == "created"
    assert headers["X-WC-Webhook-ID"] == str(webhook["id"])
    assert headers["X-WC-Webhook-Source"] == store.url + "/"
    assert len(headers["X-WC-Webhook-Delivery-ID"]) == 32
    assert verify(headers, body)
    assert b"\\u0412" in body and b"\\/" in body  # PHP json_encode style
    assert json.loads(body)["id"] == order["id"]


def test_payload_is_the_current_state_and_second_event_is_dropped(store, receiver):
    hook(store, receiver, "order.updated")
    receiver.received.clear()
    order_id = next(iter(store.data.orders))
    store.touch_order(order_id, status="on-hold")
    call(store, "PUT", f"/orders/{order_id}", {"status": "completed"})
    store.flush_webhooks()
    assert len(receiver.received) == 1
    assert json.loads(receiver.received[0][2])["status"] == "completed"


def test_trash_sends_only_the_id_and_force_delete_sends_nothing(store, receiver):
    hook(store, receiver, "order.deleted")
    receiver.received.clear()
    first, second = list(store.data.orders)[:2]
    store.delete_order(first)
    store.delete_order(second, force=True)
    store.flush_webhooks()
    assert [json.loads(body) for _, _, body in receiver.received] == [{"id": first}]


def test_customer_product_events_and_notes_fire_nothing(store, receiver):
    hook(store, receiver, "customer.created")
    hook(store, receiver, "customer.deleted")
    hook(store, receiver, "product.updated")
    receiver.received.clear()
    customer = call(store, "POST", "/customers", {"email": "hook@example.de"}).json()
    product = next(p for p in store.data.products.values() if p["type"] == "simple")
    store.touch_product(product["id"], stock_quantity=5)
    variation = next(iter(store.data.variations.values()))
    store.touch_product(variation["id"], regular_price="3.00")
    call(store, "POST", f"/orders/{next(iter(store.data.orders))}/notes", {"note": "quiet"})
    store.touch_customer(customer["id"], first_name="Hook")
    store.delete_customer(customer["id"])
    store.flush_webhooks()
    topics = [(h["X-WC-Webhook-Topic"], json.loads(b)["id"]) for _, h, b in receiver.received]
    assert ("customer.created", customer["id"]) not in topics  # deleted before the delivery went out
    assert ("customer.deleted", customer["id"]) in topics
    assert ("product.updated", product["id"]) in topics and ("product.updated", variation["id"]) in topics


def test_paid_order_reduces_stock_and_fires_product_updated(store, receiver):
    hook(store, receiver, "product.updated")
    receiver.received.clear()
    product = next(p for p in store.data.products.values() if p["type"] == "simple" and p.get("manage_stock"))
    stock = product["stock_quantity"]
    call(store, "POST", "/orders", {"line_items": [{"product_id": product["id"], "quantity": 2}], "set_paid": True})
    assert store.data.products[product["id"]]["stock_quantity"] == stock - 2
    store.flush_webhooks()
    assert json.loads(receiver.received[0][2])["id"] == product["id"]


def test_webhook_is_disabled_after_more_than_five_failures(store):
    failing = WebhookInbox(status=500)
    try:
        webhook = hook(store, failing, "order.updated")
        order_ids = list(store.data.orders)
        for n in range(6):
            store.touch_order(order_ids[n % len(order_ids)], customer_note=f"try {n}")
            store.flush_webhooks()
            expected = "disabled" if n == 5 else "active"
            assert call(store, "GET", f"/webhooks/{webhook['id']}").json()["status"] == expected
        store.touch_order(order_ids[0], customer_note="after")
        assert store.flush_webhooks() == []
    finally:
        failing.close()


def test_unreachable_url_counts_as_failure(store):
    dead = WebhookInbox()
    dead.close()
    assert store.deliver("order.updated", next(iter(store.data.orders)), dead.url, SECRET) is None


def test_deliver_sends_one_signed_delivery(store, receiver):
    order_id = next(iter(store.data.orders))
    assert store.deliver("order.updated", order_id, receiver.url, SECRET) == 200
    _, headers, body = receiver.received[0]
    assert verify(headers, body) and json.loads(body)["id"] == order_id


def test_webhook_crud_and_errors(store, receiver):
    webhook = hook(store, receiver, "product.updated")
    assert call(store, "POST", "/webhooks", {"topic": "nope", "delivery_url": receiver.url}).json()["code"] == \
        "woocommerce_rest_webhook_invalid_topic"
    assert call(store, "POST", "/webhooks", {"topic": "order.created"}).status_code == 400
    paused = call(store, "PUT", f"/webhooks/{webhook['id']}", {"status": "paused", "topic": "order.updated"}).json()
    assert paused["status"] == "paused" and paused["hooks"] == ["woocommerce_update_order", "woocommerce_order_refunded"]
    assert [w["id"] for w in call(store, "GET", "/webhooks", status="paused").json()] == [webhook["id"]]
    assert call(store, "DELETE", f"/webhooks/{webhook['id']}").status_code == 501
    assert call(store, "DELETE", f"/webhooks/{webhook['id']}", force="true").status_code == 200
    batch = call(store, "POST", "/webhooks/batch", {"create": [{"topic": "order.created", "delivery_url": receiver.url,
                                                                "status": "paused"}]}).json()
    assert batch["create"][0]["status"] == "paused"


def test_auto_deliver_sends_from_a_background_thread(receiver):
    with EmulatedStore(generate_store(seed=22, orders=3), auto_deliver=True, delivery_interval=0.05) as store:
        store.data.webhooks.clear()
        hook(store, receiver, "order.updated")
        store.touch_order(next(iter(store.data.orders)), customer_note="auto")
        deadline = time.time() + 3
        while len(receiver.received) < 2 and time.time() < deadline:
            time.sleep(0.02)
    assert len(receiver.received) == 2
