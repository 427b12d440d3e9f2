"""Writing many records with the batch helper against the emulated store."""

from decimal import Decimal

import pytest

from wc_connector.client import StoreClient, StoreConfig
from wc_connector.errors import InvalidRequestError, PayloadTooLargeError, StoreUnavailableError
from wc_connector.retry import RetryPolicy
from wc_emulator import EmulatedStore
from wc_emulator.faults import Fault, FaultPlan
from wc_emulator.generator import generate_store


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=3, orders=20)) as running:
        yield running


@pytest.fixture
def waits():
    return []


@pytest.fixture
def client(store, waits):
    store.faults.clear()
    config = StoreConfig(store.url, store.consumer_key, store.consumer_secret,
                         retry=RetryPolicy(sleep=waits.append))
    with StoreClient(config) as connected:
        yield connected


def batch_requests(store, mark):
    return [r for r in store.request_log[mark:] if r.path.endswith("/batch")]


def new_products(count, prefix):
    return [{"name": f"Batch product {n}", "type": "simple", "sku": f"{prefix}-{n:04d}", "regular_price": "9.90"}
            for n in range(count)]


def test_250_creates_go_out_in_three_requests_of_at_most_100(store, client):
    mark = len(store.request_log)
    result = client.batch("products", create=new_products(250, "B250"))
    assert len(batch_requests(store, mark)) == 3
    assert result.ok and len(result.items) == 250
    assert [item.record["sku"] for item in result.items] == [f"B250-{n:04d}" for n in range(250)]
    assert all(item.action == "create" and item.error is None for item in result.items)
    assert len({item.record["id"] for item in result.items}) == 250


def test_creates_updates_and_deletes_share_the_100_item_limit(store, client):
    created = client.batch("products", create=new_products(60, "MIX")).of("create")
    ids = [item.record["id"] for item in created]
    mark = len(store.request_log)
    result = client.batch(
        "products",
        create=new_products(70, "MIX2"),
        update=[{"id": product_id, "regular_price": "12.50"} for product_id in ids[:40]],
        delete=ids[40:],
    )
    assert len(batch_requests(store, mark)) == 2  # 70 + 40 + 20 = 130 items
    assert result.ok
    assert [len(result.of(action)) for action in ("create", "update", "delete")] == [70, 40, 20]
    assert {item.record["regular_price"] for item in result.of("update")} == {"12.50"}
    assert [item.record["id"] for item in result.of("delete")] == ids[40:]
    assert all(product_id not in store.data.products for product_id in ids[40:])


def test_failed_items_carry_the_stores_error_while_the_batch_answers_200(store, client):
    order_id = next(iter(store.data.orders))
    result = client.batch("orders", update=[{"id": order_id, "customer_note": "batch"}, {"id": 999999, "status": "completed"}])
    assert not result.ok
    good, bad = result.of("update")
    assert good.ok and good.record["customer_note"] == "batch"
    assert not bad.ok and result.failed == [bad]
    assert isinstance(bad.error, InvalidRequestError)
    assert (bad.error.code, bad.error.status, bad.record["id"]) == ("woocommerce_rest_shop_order_invalid_id", 400, 999999)
    assert "Invalid ID." in str(bad.error)


def test_a_chunk_that_fails_as_a_whole_fails_its_items_and_the_rest_and_is_not_retried(store, client, waits):
    store.faults.fail(503, count=1, path="products/batch")
    mark = len(store.request_log)
    result = client.batch("products", create=new_products(150, "FAIL"))
    assert len(batch_requests(store, mark)) == 1 and waits == []  # a POST is never sent twice
    assert len(result.failed) == 150
    assert all(isinstance(item.error, StoreUnavailableError) for item in result.items)
    assert result.items[0].record["sku"] == "FAIL-0000"  # what we sent: the store never answered for it
    assert not any(p.get("sku", "").startswith("FAIL-") for p in store.data.products.values())


class DropTheSecondBatch(FaultPlan):
    """The store's fault plan, dropping the connection of the second batch request only."""

    def __init__(self):
        super().__init__()
        self.batches = 0

    def take(self, path):
        if path.endswith("/batch"):
            self.batches += 1
            if self.batches == 2:
                return [Fault("drop", 1)]
        return super().take(path)


def test_a_later_chunk_failing_keeps_the_results_of_the_chunks_before_it(store, client, monkeypatch):
    monkeypatch.setattr(store, "faults", DropTheSecondBatch())
    mark = len(store.request_log)
    result = client.batch("products", create=new_products(230, "DROP"))
    assert len(batch_requests(store, mark)) == 2
    assert [item.ok for item in result.items] == [True] * 100 + [False] * 130
    assert all(item.record.get("id") for item in result.items[:100])
    assert {item.error.code for item in result.failed} == {"connection_failed"}
    assert {type(item.error) for item in result.failed} == {StoreUnavailableError}


def test_more_than_100_items_in_one_request_is_payload_too_large(client):
    with pytest.raises(PayloadTooLargeError) as caught:
        client.request("POST", "orders/batch", json={"delete": list(range(900001, 900102))})
    assert (caught.value.code, caught.value.status) == ("woocommerce_rest_request_entity_too_large", 413)
    assert "Unable to accept more than 100 items" in str(caught.value)


def test_an_empty_batch_sends_nothing(store, client):
    mark = len(store.request_log)
    assert client.batch("products").items == ()
    assert store.request_log[mark:] == []


def test_money_as_decimal_is_sent_as_the_stores_string(store, client):
    product_id = client.batch("products", create=new_products(1, "DEC")).items[0].record["id"]
    answer = client.request("PUT", f"products/{product_id}", json={"regular_price": Decimal("12.30")})
    assert answer.data["regular_price"] == "12.30"
    with pytest.raises(TypeError):
        client.request("PUT", f"products/{product_id}", json={"regular_price": object()})
