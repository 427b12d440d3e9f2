"""The store's errors, as exceptions a shop owner can read and code can tell apart."""

import logging
import socket

import pytest

from wc_connector.client import StoreClient, StoreConfig
from wc_connector.errors import (
    AuthenticationError,
    InvalidRequestError,
    NotFoundError,
    StoreUnavailableError,
    WooCommerceError,
)
from wc_connector.retry import RetryPolicy
from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=5, orders=10)) as running:
        yield running


def connect(url, key, secret, **options):
    options.setdefault("retry", RetryPolicy(attempts=1))
    return StoreClient(StoreConfig(url, key, secret, **options))


@pytest.fixture
def client(store):
    store.faults.clear()
    with connect(store.url, store.consumer_key, store.consumer_secret) as connected:
        yield connected


@pytest.fixture
def secrets(store):
    """Every string that must never appear in a log or an error."""
    return [store.consumer_key, store.consumer_secret, store.readonly_key, store.readonly_secret,
            "wrong-secret-value", "oauth_signature", "oauth_nonce", "oauth_consumer_key"]


def assert_clean(text, secrets):
    for secret in secrets:
        assert secret not in text, f"{secret!r} leaked"


def full_text(error):
    """Everything an error could show: its text, repr, data and its chain."""
    parts = [str(error), repr(error), repr(getattr(error, "data", None))]
    assert error.__cause__ is None
    assert error.__context__ is None or isinstance(error.__context__, WooCommerceError)
    return " ".join(parts)


def test_a_wrong_secret_is_an_authentication_error(store, secrets, caplog):
    caplog.set_level(logging.DEBUG)
    with connect(store.url, store.consumer_key, "wrong-secret-value") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.get("orders")
    error = caught.value
    assert (error.status, error.code) == (401, "woocommerce_rest_authentication_error")
    assert error.message == "Invalid signature - provided signature does not match."
    assert str(error).startswith("The store refused our credentials")
    assert_clean(full_text(error) + caplog.text, secrets)


def test_an_unknown_key_is_an_authentication_error(store):
    with connect(store.url, "ck_unknown", "cs_unknown") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.store_info()
    assert caught.value.message == "Consumer key is invalid."


def test_a_read_only_key_cannot_write(store, secrets):
    with connect(store.url, store.readonly_key, store.readonly_secret) as client:
        assert client.get("orders", {"per_page": 1})
        with pytest.raises(AuthenticationError) as caught:
            client.request("POST", "orders", json={"status": "pending"})
    assert caught.value.message == "The API key provided does not have write permissions."
    assert_clean(full_text(caught.value), secrets)


def test_a_missing_record_is_not_found(client):
    with pytest.raises(NotFoundError) as caught:
        client.get("orders/999999")
    assert (caught.value.status, caught.value.code) == (404, "woocommerce_rest_shop_order_invalid_id")
    assert "Invalid ID." in str(caught.value)


def test_an_invalid_parameter_is_an_invalid_request(client):
    with pytest.raises(InvalidRequestError) as caught:
        client.get("orders", {"per_page": 101})
    assert (caught.value.status, caught.value.code) == (400, "rest_invalid_param")
    assert "per_page" in caught.value.message


def test_a_rejected_create_is_an_invalid_request_and_is_sent_once(store, client):
    mark = len(store.request_log)
    with pytest.raises(InvalidRequestError) as caught:
        client.request("POST", "customers", json={"email": "not-an-email"})
    assert caught.value.status == 400 and caught.value.message
    assert len(store.request_log) - mark == 1


def test_the_store_root_and_store_info(store, client):
    assert client.get("")["namespace"] == "wc/v3"
    info = client.store_info()
    assert (info.name, info.url, info.wc_version, info.currency) == ("WooCommerce Lab", store.url, "8.9.1", "EUR")


def test_a_closed_port_is_store_unavailable(secrets):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    waits = []
    with connect(f"http://127.0.0.1:{port}", "ck_closed_port_key", "cs_closed_port_secret",
                 retry=RetryPolicy(attempts=2, sleep=waits.append)) as client:
        with pytest.raises(StoreUnavailableError) as caught:
            client.get("orders")
    assert caught.value.code == "connection_refused" and len(waits) == 1
    assert "could not be reached" in str(caught.value)
    assert_clean(full_text(caught.value), secrets + ["ck_closed_port_key", "cs_closed_port_secret", str(port)])


def test_a_slow_store_times_out(store, client):
    store.faults.latency(0.5, count=1)
    with connect(store.url, store.consumer_key, store.consumer_secret, timeout=0.1) as impatient:
        with pytest.raises(StoreUnavailableError) as caught:
            impatient.get("orders/999999")
    assert caught.value.code == "timeout"
    assert_clean(full_text(caught.value), [store.consumer_key, "oauth"])


def test_a_client_closes_and_works_as_a_context_manager(store):
    client = connect(store.url, store.consumer_key, store.consumer_secret)
    with client as same:
        assert same is client and same.get("orders", {"per_page": 1})
    client.close()


def test_the_store_url_must_be_a_full_address():
    for url in ("shop.example.com", "ftp://shop.example.com", "", "http://"):
        with pytest.raises(ValueError):
            StoreConfig(url, "ck", "cs")


def test_config_and_client_reprs_hide_the_credentials(store, secrets):
    config = StoreConfig(store.url, store.consumer_key, store.consumer_secret)
    with StoreClient(config) as client:
        assert_clean(repr(config) + repr(client) + repr(client._auth), secrets)
