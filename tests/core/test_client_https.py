"""A store served over https: Basic auth, certificate checks, the verify-SSL switch."""

import logging

import pytest

from wc_connector.client import StoreClient, StoreConfig
from wc_connector.errors import AuthenticationError, StoreSSLError
from wc_connector.retry import RetryPolicy
from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store

# Switching verification off is the user's explicit choice; urllib3 still warns each time.
pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=11, orders=15), https=True) as running:
        yield running


def connect(store, verify_ssl, secret=None):
    return StoreClient(StoreConfig(store.url, store.consumer_key, secret or store.consumer_secret,
                                   verify_ssl=verify_ssl, retry=RetryPolicy(attempts=2, sleep=lambda s: None)))


def test_a_self_signed_certificate_is_refused_when_verifying(store, caplog):
    caplog.set_level(logging.DEBUG)
    mark = len(store.request_log)
    with connect(store, verify_ssl=True) as client:
        with pytest.raises(StoreSSLError) as caught:
            client.store_info()
    error = caught.value
    assert error.code == "ssl_error" and "Verify SSL" in str(error)
    assert error.__context__ is None
    assert store.request_log[mark:] == []  # refused before any request was sent, and not retried
    for secret in (store.consumer_key, store.consumer_secret):
        assert secret not in str(error) + repr(error) + caplog.text


def test_the_stores_own_certificate_can_be_trusted(store):
    with StoreClient(StoreConfig(store.url, store.consumer_key, store.consumer_secret,
                                 verify_ssl=store.cert_path)) as client:
        assert client.store_info().wc_version == "8.9.1"


def test_without_verification_basic_auth_works(store):
    mark = len(store.request_log)
    with connect(store, verify_ssl=False) as client:
        info = client.store_info()
        orders = list(client.iter_records("orders"))
    assert (info.url, info.currency) == (store.url, "EUR")
    assert orders and all(r.status == 200 for r in store.request_log[mark:])
    assert not any(key.startswith(("oauth_", "consumer_")) for r in store.request_log[mark:] for key in r.params)


def test_a_wrong_secret_over_https_is_an_authentication_error(store):
    with connect(store, verify_ssl=False, secret="cs_wrong") as client:
        with pytest.raises(AuthenticationError) as caught:
            client.get("orders")
    assert caught.value.message == "Consumer secret is invalid."
    assert "cs_wrong" not in str(caught.value)
