"""The emulator applies stock and catalog writes like the real store (reverse/1_stock, reverse/4_products)."""

import pytest
from test_emulator_helpers import call, reverse_capture

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store


@pytest.fixture
def store():
    with EmulatedStore(generate_store(seed=11, orders=0)) as running:
        yield running


def simple_stocked(store):
    return next(p for p in store.data.products.values() if p["type"] == "simple" and p.get("manage_stock"))


def variable(store):
    return next(p for p in store.data.products.values() if p["type"] == "variable")


def test_batch_stock_items_skip_validation_like_the_store(store):
    ids = [p["id"] for p in store.data.products.values() if p["type"] == "simple" and p.get("manage_stock")][:3]
    sent = reverse_capture("1_stock/31_products_batch_stock_string_abc.json")
    body = {"update": [dict(item, id=pid) for item, pid in zip(sent["request"]["body"]["update"], ids)]}
    answer = call(store, "POST", "/products/batch", body).json()["update"]
    assert [(item["stock_quantity"], item["stock_status"]) for item in answer] == [
        (item["stock_quantity"], item["stock_status"]) for item in sent["body"]["update"]]


def test_stock_alone_on_an_unmanaged_product_is_ignored_and_manage_stock_turns_it_on(store):
    product = next(p for p in store.data.products.values() if p["type"] == "simple" and not p.get("manage_stock"))
    ignored = call(store, "POST", "/products/batch", {"update": [{"id": product["id"], "stock_quantity": 9}]}).json()
    assert (ignored["update"][0]["manage_stock"], ignored["update"][0]["stock_quantity"]) == (False, None)
    managed = call(store, "POST", "/products/batch",
                   {"update": [{"id": product["id"], "manage_stock": True, "stock_quantity": 9}]}).json()
    assert (managed["update"][0]["manage_stock"], managed["update"][0]["stock_quantity"]) == (True, 9)


def test_a_variation_in_products_batch_fails_alone_with_the_stores_error(store):
    parent = variable(store)
    expected = reverse_capture("1_stock/48_products_batch_with_variation_id.json")["body"]["update"][0]
    simple = simple_stocked(store)
    answer = call(store, "POST", "/products/batch", {"update": [
        {"id": parent["variations"][0], "stock_quantity": 8}, {"id": simple["id"], "stock_quantity": 8}]}).json()
    assert answer["update"][0] == dict(expected, id=parent["variations"][0])
    assert answer["update"][1]["stock_quantity"] == 8


def test_all_variations_at_zero_put_the_parent_out_of_stock_and_back(store):
    parent = variable(store)
    before = parent["date_modified_gmt"]
    store.data.clock.advance(5)
    zero = [{"id": vid, "manage_stock": True, "stock_quantity": 0} for vid in parent["variations"]]
    call(store, "POST", f"/products/{parent['id']}/variations/batch", {"update": zero})
    shown = call(store, "GET", f"/products/{parent['id']}").json()
    assert shown["stock_status"] == reverse_capture("1_stock/45_variable_parent_get_after_all_zero.json")["body"][
        "stock_status"] == "outofstock"
    assert shown["date_modified_gmt"] >= before
    call(store, "POST", f"/products/{parent['id']}/variations/batch",
         {"update": [{"id": parent["variations"][0], "stock_quantity": 2}]})
    assert call(store, "GET", f"/products/{parent['id']}").json()["stock_status"] == "instock"


def test_every_batch_write_is_recorded_and_bumps_date_modified_even_unchanged(store):
    product = simple_stocked(store)
    stamps = []
    for _ in range(2):
        store.data.clock.advance(2)
        answer = call(store, "POST", "/products/batch",
                      {"update": [{"id": product["id"], "manage_stock": True, "stock_quantity": 4}]}).json()
        stamps.append(answer["update"][0]["date_modified_gmt"])
    assert stamps[0] < stamps[1]
    writes = [w for w in store.writes if w.path == "/products/batch"]
    assert len(writes) == 2 and writes[-1].body["update"][0]["stock_quantity"] == 4 and writes[-1].status == 200


def test_duplicate_sku_fails_only_that_batch_item(store):
    taken = simple_stocked(store)["sku"]
    expected = reverse_capture("4_products/13_products_batch_create_one_duplicate_sku.json")["body"]["create"][1]
    answer = call(store, "POST", "/products/batch", {"create": [
        {"name": "New", "sku": "NEW-1", "regular_price": "5.00"}, {"name": "Dup", "sku": taken}]}).json()["create"]
    assert answer[0]["sku"] == "NEW-1"
    assert answer[1]["id"] == 0 and answer[1]["error"]["code"] == expected["error"]["code"] == "product_invalid_sku"
    assert answer[1]["error"]["data"]["unique_sku"] == f"{taken}-1"


def test_categories_are_created_and_a_taken_name_under_the_same_parent_is_term_exists(store):
    created = call(store, "POST", "/products/categories", {"name": "REV Export"})
    assert created.status_code == 201 and created.json()["slug"] == "rev-export"
    expected = reverse_capture("4_products/01_category_create_duplicate_name.json")
    again = call(store, "POST", "/products/categories", {"name": "REV Export"})
    assert again.status_code == expected["status"] == 400
    assert again.json() == dict(expected["body"], data=dict(expected["body"]["data"], resource_id=created.json()["id"]))
    product = call(store, "POST", "/products", {"name": "P", "categories": [{"id": created.json()["id"]}]}).json()
    assert product["categories"] == [{"id": created.json()["id"], "name": "REV Export", "slug": "rev-export"}]


def test_a_sale_price_above_the_regular_price_is_dropped_silently(store):
    expected = reverse_capture("4_products/22_product_put_sale_above_regular.json")
    product = simple_stocked(store)
    answer = call(store, "PUT", f"/products/{product['id']}", dict(expected["request"]["body"])).json()
    assert answer["sale_price"] == expected["body"]["sale_price"] == ""
    assert answer["price"] == answer["regular_price"]
