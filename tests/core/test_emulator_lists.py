"""Lists: per_page limits, paging headers, filters and the missing tie-breaker."""

import copy

import pytest
from test_emulator_helpers import call, capture

from wc_emulator import EmulatedStore
from wc_emulator.data import StoreClock, parse_gmt
from wc_emulator.generator import generate_store


def _stamp_modified(order, gmt_text):
    local, gmt = StoreClock.pair(parse_gmt(gmt_text))
    order["date_modified"], order["date_modified_gmt"] = local, gmt


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=5, orders=30)) as running:
        yield running


def visible_orders(store):
    return [o for o in store.data.orders.values() if o["status"] not in ("trash", "checkout-draft", "auto-draft")]


def test_per_page_101_is_the_captured_400(store):
    answer = call(store, "GET", "/orders", per_page=101)
    assert answer.status_code == 400
    assert answer.json() == capture("error_400_per_page_101.json")["body"]


def test_bad_page_and_orderby_values(store):
    assert call(store, "GET", "/orders", per_page="x").json()["code"] == "rest_invalid_param"
    assert call(store, "GET", "/orders", page=0).status_code == 400
    answer = call(store, "GET", "/orders", orderby="bogus", order="sideways")
    assert set(answer.json()["data"]["params"]) == {"orderby", "order"}
    assert call(store, "GET", "/orders", after="not-a-date").json()["data"]["details"]["after"]["code"] == "rest_invalid_date"


def test_paging_headers_and_link(store):
    total = len(visible_orders(store))
    answer = call(store, "GET", "/orders", page=2, per_page=10)
    assert answer.headers["X-WP-Total"] == str(total)
    assert answer.headers["X-WP-TotalPages"] == str((total + 9) // 10)
    link = answer.headers["Link"]
    assert 'rel="prev"' in link and 'rel="next"' in link
    # Like the real store, the Link repeats the request's oauth_* parameters.
    assert "oauth_nonce=" in link and "page=3&per_page=10" in link
    assert answer.headers["Allow"] == "GET, POST"
    assert len(answer.json()) == 10
    last = call(store, "GET", "/orders", page=99, per_page=10)
    assert last.json() == [] and 'rel="prev"' in last.headers["Link"]


def test_default_list_is_newest_first_and_stable(store):
    ids = [o["id"] for o in call(store, "GET", "/orders", per_page=100).json()]
    expected = sorted(visible_orders(store), key=lambda o: (o["date_created_gmt"], o["id"]), reverse=True)
    assert ids == [o["id"] for o in expected]
    by_id = [o["id"] for o in call(store, "GET", "/orders", per_page=100, orderby="id", order="asc").json()]
    assert by_id == sorted(by_id)


def test_status_filter_and_default_any_hides_trash(store):
    answer = call(store, "GET", "/orders", status="processing,on-hold", per_page=100).json()
    assert answer and {o["status"] for o in answer} <= {"processing", "on-hold"}
    drafts = call(store, "GET", "/orders", status="checkout-draft", per_page=100).json()
    assert all(o["status"] == "checkout-draft" for o in drafts)


def test_customer_include_search_and_product_filters(store):
    customer_id = next(o["customer_id"] for o in visible_orders(store) if o["customer_id"])
    orders = call(store, "GET", "/orders", customer=customer_id, per_page=100).json()
    assert orders and all(o["customer_id"] == customer_id for o in orders)
    some = [o["id"] for o in visible_orders(store)][:3]
    included = call(store, "GET", "/orders", include=",".join(map(str, some)), orderby="include",
                    order="asc").json()
    assert [o["id"] for o in included] == some
    excluded = call(store, "GET", "/orders", exclude=some[0], per_page=100).json()
    assert some[0] not in [o["id"] for o in excluded]
    email = visible_orders(store)[0]["billing"]["email"]
    found = call(store, "GET", "/orders", search=email, per_page=100).json()
    assert found and all(email in o["billing"]["email"] for o in found)
    product_id = visible_orders(store)[0]["line_items"][0]["product_id"]
    with_product = call(store, "GET", "/orders", product=product_id, per_page=100).json()
    assert all(any(l["product_id"] == product_id for l in o["line_items"]) for o in with_product)


def test_after_and_before_on_date_created(store):
    dates = sorted(o["date_created_gmt"] for o in visible_orders(store))
    middle = dates[len(dates) // 2]
    after = call(store, "GET", "/orders", after=middle, dates_are_gmt="true", per_page=100).json()
    assert all(o["date_created_gmt"] > middle for o in after)
    before = call(store, "GET", "/orders", before=middle + "Z", per_page=100).json()
    assert all(o["date_created_gmt"] < middle for o in before)
    # Without dates_are_gmt the value is store-local time (Europe/Berlin).
    local_middle = next(o["date_created"] for o in visible_orders(store) if o["date_created_gmt"] == middle)
    local_after = call(store, "GET", "/orders", after=local_middle, per_page=100).json()
    assert {o["id"] for o in local_after} == {o["id"] for o in after}


def test_modified_after_is_strictly_after():
    data = generate_store(seed=6, orders=8)
    orders = sorted(data.orders.values(), key=lambda o: o["id"])
    for n, order in enumerate(orders):
        order["status"] = "processing"
        _stamp_modified(order, "2026-01-01T10:00:0%d" % (n // 2))
    with EmulatedStore(data) as store:
        answer = call(store, "GET", "/orders", modified_after="2026-01-01T10:00:01", dates_are_gmt="true",
                      orderby="modified", order="asc", per_page=100).json()
        assert [o["date_modified_gmt"] for o in answer] == sorted(
            o["date_modified_gmt"] for o in orders if o["date_modified_gmt"] > "2026-01-01T10:00:01")
        before = call(store, "GET", "/orders", modified_before="2026-01-01T10:00:01", dates_are_gmt="true",
                      per_page=100).json()
        assert {o["date_modified_gmt"] for o in before} == {"2026-01-01T10:00:00"}


def _tie_store():
    """15 orders; 3 share one modified second across the page-1/page-2 boundary of per_page=5
    (as in tests/fixtures/woocommerce/more/paging/)."""
    data = generate_store(seed=7, orders=15)
    stamps = ["2026-11-23T14:50:3%d" % s for s in (0, 1, 2, 3, 3, 3, 4, 5, 6, 7)] + \
             ["2026-11-23T14:50:4%d" % s for s in range(5)]
    for order, stamp in zip(sorted(data.orders.values(), key=lambda o: o["id"]), stamps):
        order["status"] = "completed"
        _stamp_modified(order, stamp)
    return data


def _pages(store, per_page, pages):
    seen = []
    for page in range(1, pages + 1):
        answer = call(store, "GET", "/orders", orderby="modified", order="asc", per_page=per_page,
                      page=page, modified_after="2020-01-01T00:00:00", dates_are_gmt="true")
        seen.append([o["id"] for o in answer.json()])
    return seen


def test_modified_paging_without_tie_breaker_duplicates_and_skips_deterministically():
    data = _tie_store()
    with EmulatedStore(copy.deepcopy(data)) as store:
        run_a = _pages(store, 5, 3)
        run_b = _pages(store, 5, 3)
        reference = _pages(store, 100, 1)[0]
    assert run_a == run_b  # the same answer on a second run
    flat = [i for page in run_a for i in page]
    duplicated = {i for i in flat if flat.count(i) > 1}
    skipped = set(reference) - set(flat)
    assert len(duplicated) == 1 and len(skipped) == 1
    assert all(i in run_a[0] and i in run_a[1] for i in duplicated)  # on pages 1 and 2
    # A page large enough for everything lists each order exactly once, sorted by modified.
    assert sorted(reference) == sorted(data.orders)
    stamps = [data.orders[i]["date_modified_gmt"] for i in reference]
    assert stamps == sorted(stamps)


def test_orderby_date_and_id_are_stable_across_pages():
    data = _tie_store()
    for order in data.orders.values():
        order["date_created"], order["date_created_gmt"] = order["date_modified"], order["date_modified_gmt"]
    with EmulatedStore(data) as store:
        for orderby in ("date", "id"):
            pages = [[o["id"] for o in call(store, "GET", "/orders", orderby=orderby, per_page=5, page=p).json()]
                     for p in (1, 2, 3)]
            flat = [i for page in pages for i in page]
            assert sorted(flat) == sorted(data.orders)


def test_customers_role_email_and_default_order(store):
    customers = call(store, "GET", "/customers", per_page=100).json()
    assert customers and all(c["role"] == "customer" for c in customers)
    assert [c["username"] for c in customers] == sorted((c["username"] for c in customers), key=str.lower)
    everyone = call(store, "GET", "/customers", role="all", per_page=100)
    assert int(everyone.headers["X-WP-Total"]) >= len(customers)
    email = customers[0]["email"]
    assert [c["email"] for c in call(store, "GET", "/customers", email=email).json()] == [email]


def test_products_by_sku_search_and_variations(store):
    product = next(p for p in store.data.products.values() if p.get("sku"))
    found = call(store, "GET", "/products", sku=product["sku"]).json()
    assert [p["id"] for p in found] == [product["id"]]
    assert call(store, "GET", "/products", search=product["name"][:5], per_page=100).json()
    variable = next(p for p in store.data.products.values() if p["type"] == "variable")
    variations = call(store, "GET", f"/products/{variable['id']}/variations", per_page=100)
    assert variations.status_code == 200
    assert {v["id"] for v in variations.json()} == {v["id"] for v in store.data.variations.values()
                                                   if v["parent_id"] == variable["id"]}
    first = variations.json()[0]
    assert first["_links"]["up"][0]["href"].endswith(f"/products/{variable['id']}")
    single = call(store, "GET", f"/products/{variable['id']}/variations/{first['id']}")
    assert single.json()["id"] == first["id"]


def test_configuration_endpoints(store):
    for path in ("/coupons", "/taxes", "/taxes/classes", "/payment_gateways", "/shipping/zones",
                 "/shipping_methods", "/settings/general", "/webhooks"):
        answer = call(store, "GET", path)
        assert answer.status_code == 200, path
        assert isinstance(answer.json(), list), path
        assert all(item["_links"]["collection"][0]["href"].startswith(store.api_url) for item in answer.json()), path
    zone = call(store, "GET", "/shipping/zones").json()[0]
    assert call(store, "GET", f"/shipping/zones/{zone['id']}/methods").status_code == 200
    assert call(store, "GET", "/shipping/zones/999").status_code == 404
    assert call(store, "GET", "/data/currencies/current").json()["code"] == "EUR"
    status = call(store, "GET", "/system_status").json()
    assert status["environment"]["home_url"] == store.url
    assert status["environment"]["version"] == "8.9.1"
    tax = call(store, "GET", "/taxes").json()[0]
    assert call(store, "GET", f"/taxes/{tax['id']}").json()["rate"] == tax["rate"]
    assert call(store, "GET", "/taxes/99999").status_code == 404
    coupon = call(store, "GET", "/coupons").json()[0]
    assert call(store, "GET", "/coupons", code=coupon["code"]).json()[0]["id"] == coupon["id"]


def test_categories_attributes_and_settings_groups(store):
    categories = call(store, "GET", "/products/categories", per_page=100)
    assert categories.status_code == 200 and categories.headers["Allow"] == "GET, POST"
    counted = {c["id"]: c["count"] for c in categories.json()}
    first = next(iter(store.data.products.values()))["categories"][0]["id"]
    assert counted[first] >= 1
    attributes = call(store, "GET", "/products/attributes").json()
    assert {a["slug"] for a in attributes} >= {"pa_color"}
    tax = call(store, "GET", "/settings/tax").json()
    assert tax[0]["_links"]["self"][0]["href"].endswith("/settings/tax/" + tax[0]["id"])
    changed = call(store, "PUT", "/settings/tax/woocommerce_prices_include_tax", {"value": "yes"})
    assert changed.json()["value"] == "yes" and changed.json()["group_id"] == "tax"
    assert changed.headers["Allow"] == "GET, POST, PUT, PATCH"
    assert call(store, "PUT", "/settings/tax/woocommerce_prices_include_tax", {"value": "maybe"}).status_code == 400
    assert call(store, "GET", "/settings/general/woocommerce_currency").json()["value"] == "EUR"
    assert call(store, "GET", "/settings/general/nope").status_code == 404
    assert call(store, "GET", "/settings/nope").status_code == 404


def test_variation_id_under_products_answers_in_product_form(store):
    variation = next(iter(store.data.variations.values()))
    shown = call(store, "GET", f"/products/{variation['id']}").json()
    assert shown["type"] == "variation" and shown["parent_id"] == variation["parent_id"]
    assert shown["_links"]["up"][0]["href"].endswith(f"/products/{variation['parent_id']}")
    assert shown["total_sales"] == "0"
