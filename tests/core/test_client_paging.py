"""Reading listings page by page from the emulated store."""

from datetime import datetime, timedelta, timezone

import pytest

from wc_connector.client import StoreClient, StoreConfig
from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=7, orders=230)) as running:
        yield running


@pytest.fixture
def client(store):
    with StoreClient(StoreConfig(store.url, store.consumer_key, store.consumer_secret)) as connected:
        yield connected


def listed_orders(store):
    """The orders the store lists by default (drafts and trash are hidden)."""
    return sorted(i for i, o in store.data.orders.items() if o["status"] not in ("trash", "checkout-draft", "auto-draft"))


def requests_since(store, mark):
    return store.request_log[mark:]


def test_pages_of_100_stop_at_the_total_pages_the_store_reports(store, client):
    mark = len(store.request_log)
    pages = list(client.iter_pages("orders"))
    total = len(listed_orders(store))
    assert total > 200
    assert [page.number for page in pages] == [1, 2, 3]
    assert [len(page.records) for page in pages] == [100, 100, total - 200]
    assert all((page.total, page.total_pages) == (total, 3) for page in pages)
    sent = requests_since(store, mark)
    # One request per page, each built and signed by us (the store accepted
    # every one: a followed Link header would reuse a nonce and get a 401).
    assert [(r.method, r.params.get("page"), r.params.get("per_page"), r.status) for r in sent] == [
        ("GET", "1", "100", 200), ("GET", "2", "100", 200), ("GET", "3", "100", 200),
    ]


def test_iter_records_yields_every_record_once(store, client):
    ids = [order["id"] for order in client.iter_records("orders", {"orderby": "id", "order": "asc"})]
    assert ids == listed_orders(store)


def test_filters_are_sent_with_every_page(store, client):
    mark = len(store.request_log)
    statuses = ["processing", "completed"]
    pages = list(client.iter_pages("orders", {"status": statuses}, per_page=25))
    records = [order for page in pages for order in page.records]
    expected = [order for order in store.data.orders.values() if order["status"] in statuses]
    assert len(records) == len(expected) == pages[0].total
    assert {order["status"] for order in records} == set(statuses)
    sent = requests_since(store, mark)
    assert len(sent) == pages[0].total_pages == len(pages)
    assert all(r.params["status"] == "processing,completed" and r.params["per_page"] == "25" for r in sent)
    assert not any(key.startswith("oauth_") for r in sent for key in r.params)


def test_an_empty_listing_is_one_empty_page(client):
    pages = list(client.iter_pages("orders", {"search": "no-such-order-anywhere"}))
    assert [(page.records, page.number, page.total, page.total_pages) for page in pages] == [([], 1, 0, 0)]


def test_a_listing_without_paging_headers_is_a_single_page(client):
    pages = list(client.iter_pages("taxes/classes"))
    assert len(pages) == 1 and pages[0].total_pages == 1 and pages[0].total == len(pages[0].records) > 0


def test_more_than_100_per_page_is_refused_before_asking(client):
    with pytest.raises(ValueError):
        next(client.iter_pages("orders", per_page=101))


def test_values_the_store_encodes_differently_still_sign_correctly(store, client):
    sku = store.data.products[next(iter(store.data.products))]["sku"]
    assert client.get("products", {"sku": sku})[0]["sku"] == sku
    # "/" is where the woocommerce package and the store disagree on encoding.
    assert client.get("products", {"sku": "AB/12 Ω+&=?"}) == []


def test_the_link_header_is_not_handed_out(client):
    answer = client.request("GET", "orders", params={"per_page": 5, "page": 2})
    assert answer.status == 200 and len(answer.data) == 5
    assert "Link" not in answer.headers and int(answer.headers["x-wp-totalpages"]) > 2


def test_aware_datetimes_go_out_as_gmt_and_empty_filters_are_left_out(store, client):
    newest = max(store.data.orders.values(), key=lambda order: order["date_modified_gmt"])
    cursor = datetime.strptime(newest["date_modified_gmt"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    local_cursor = cursor.astimezone(timezone(timedelta(hours=3)))  # same moment, another zone
    mark = len(store.request_log)
    after = client.get("orders", {"modified_after": local_cursor - timedelta(seconds=1), "dates_are_gmt": True,
                                  "search": None, "orderby": "modified", "order": "asc"})
    assert newest["id"] in [order["id"] for order in after]
    assert store.request_log[mark].params == {
        "modified_after": (cursor - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S"),
        "dates_are_gmt": "true", "orderby": "modified", "order": "asc",
    }
