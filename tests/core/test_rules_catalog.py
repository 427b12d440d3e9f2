"""The catalog: SKU join, conflicts held, newer-only updates, export payloads and error words."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal

from wc_connector.rules.catalog import (
    CONFLICT,
    CREATE,
    LINK,
    SKIP,
    UPDATE,
    ExportProduct,
    ExportVariation,
    decide_item,
    export_error,
    gross_price,
    is_newer,
    net_price,
    product_payload,
    variation_payload,
)
from wc_connector.rules.echo import is_unchanged_since_our_write as is_echo

T0 = datetime(2026, 12, 3, 10, 0, 0, tzinfo=timezone.utc)


def test_a_linked_item_is_updated_only_when_newer():
    assert decide_item("A", T0 + timedelta(seconds=1), linked=7, applied=T0).action == UPDATE
    assert decide_item("A", T0, linked=7, applied=T0).action == SKIP
    assert decide_item("A", T0 - timedelta(seconds=5), linked=7, applied=T0).action == SKIP
    assert decide_item("A", T0, linked=7, applied=None).action == UPDATE


def test_an_unlinked_item_joins_the_one_product_with_its_sku():
    decision = decide_item("A", T0, sku_owners=[5])
    assert (decision.action, decision.product_id) == (LINK, 5)


def test_without_sku_or_owner_the_item_is_created():
    assert decide_item("", T0, sku_owners=[5]).action == CREATE
    assert decide_item("B", T0).action == CREATE


def test_a_sku_that_belongs_to_another_product_is_a_conflict_naming_both():
    taken = decide_item("A", T0, linked=7, applied=None, sku_owners=[5])
    assert (taken.action, taken.conflicting, taken.reason) == (CONFLICT, (7, 5), "sku_taken")
    shared = decide_item("A", T0, sku_owners=[5, 6])
    assert (shared.action, shared.conflicting) == (CONFLICT, (5, 6))
    linked_elsewhere = decide_item("A", T0, sku_owners=[5], owner_links={5: (99, 0)})
    assert (linked_elsewhere.action, linked_elsewhere.conflicting) == (CONFLICT, (5,))


def test_is_newer_compares_whole_seconds():
    assert not is_newer(T0.replace(microsecond=500), T0)
    assert not is_newer(None, T0)
    assert is_newer(None, None)


def test_prices_net_of_tax_when_the_store_includes_it_and_back():
    assert net_price(Decimal("23.80"), True, 19) == Decimal("20.0000")
    assert net_price(Decimal("23.80"), False, 19) == Decimal("23.80")
    assert net_price(None, True, 19) is None
    assert gross_price(Decimal("20"), True, 19) == Decimal("23.80")
    assert gross_price(Decimal("19.9"), False, 19) == Decimal("19.90")


def test_product_payloads():
    simple = product_payload(ExportProduct(name="Pen", sku="P1", price=Decimal("7.90"), category_ids=(3,), wc_id=12))
    assert simple == {"id": 12, "name": "Pen", "type": "simple", "status": "publish", "description": "",
                      "sku": "P1", "categories": [{"id": 3}], "regular_price": "7.90"}
    variable = product_payload(ExportProduct(name="Shirt", active=False, attributes={"Size": ("S", "M")}))
    assert variable["type"] == "variable" and variable["status"] == "draft" and "regular_price" not in variable
    assert variable["attributes"] == [{"name": "Size", "options": ["S", "M"], "variation": True, "visible": True}]
    variation = variation_payload(ExportVariation(sku="S-S", price=Decimal("9.50"), options={"Size": "S"}, wc_id=4))
    assert variation == {"id": 4, "sku": "S-S", "status": "publish", "regular_price": "9.50",
                         "attributes": [{"name": "Size", "option": "S"}]}
    assert "regular_price" not in variation_payload(ExportVariation(active=False))


def test_export_errors_in_the_shops_words():
    assert export_error("product_invalid_sku", "Invalid or duplicated SKU.", {"resource_id": 371}, sku="X") == (
        "the SKU 'X' is already used by store product 371")
    assert export_error("other", "Boom") == "Boom (other)"
    assert export_error("", "") == "unknown error"


def test_an_echo_is_a_delivery_with_the_date_our_write_returned():
    assert is_echo(T0.replace(microsecond=0), T0.replace(microsecond=300))
    assert not is_echo(T0 + timedelta(seconds=1), T0)
    assert not is_echo(None, T0) and not is_echo(T0, None)


def test_a_product_payload_names_its_categories():
    from wc_connector.payloads.products import parse_product

    product = parse_product({"id": 5, "categories": [{"id": 20, "name": "Apparel", "slug": "apparel"}],
                             "description": "<p>Soft</p>"})
    assert product.categories == ((20, "Apparel"),) and product.description == "<p>Soft</p>"
