"""A payload we cannot use raises PayloadError naming the record, its id and the field.

One test per validation rule, each breaking one thing in an otherwise valid record.
Missing optional fields get neutral defaults instead.
"""

import copy
from datetime import datetime, timezone
from decimal import Decimal

import pytest

from wc_connector.errors import PayloadError
from wc_connector.payloads import (
    Address,
    parse_customer,
    parse_order,
    parse_product,
    parse_refund,
    parse_variation,
)

LINE = {"id": 7, "name": "Chair", "product_id": 14, "variation_id": 0, "quantity": 2,
        "subtotal": "200.00", "subtotal_tax": "38.00", "total": "200.00", "total_tax": "38.00",
        "taxes": [{"id": 1, "total": "38", "subtotal": "38"}], "meta_data": [], "sku": "CH", "price": 100}
ORDER = {"id": 42, "status": "processing", "currency": "EUR", "customer_id": 3,
         "billing": {"first_name": "Anna", "email": "anna@example.de"}, "shipping": {},
         "line_items": [LINE], "tax_lines": [{"id": 9, "rate_id": 1, "tax_total": "38.00", "rate_percent": 19}],
         "coupon_lines": [{"id": 8, "code": "welcome10", "discount": "0"}],
         "meta_data": [], "total": "238.00", "total_tax": "38.00", "date_created_gmt": "2024-05-31T10:00:00"}
REFUND = {"id": 98, "amount": "10.00", "reason": "", "line_items": [
    {**LINE, "quantity": -1, "total": "-8.40", "total_tax": "-1.60",
     "meta_data": [{"id": 1, "key": "_refunded_item_id", "value": "7"}]}]}


def order(**changes):
    data = copy.deepcopy(ORDER)
    data.update(changes)
    return data


def line(**changes):
    return order(line_items=[{**copy.deepcopy(LINE), **changes}])


def refuse(parse, data, field, record_id=42, record_type="order"):
    """Parse and expect a PayloadError about ``field``; return its message."""
    with pytest.raises(PayloadError) as caught:
        parse(data)
    error = caught.value
    assert (error.record_type, error.record_id, error.field) == (record_type, record_id, field)
    assert f"'{field}'" in str(error)
    return str(error)


def test_the_valid_payload_parses():
    parsed = parse_order(order())
    assert parsed.total == Decimal("238.00") and parsed.totals_difference.adds_up
    assert parsed.line_items[0].price == Decimal("100")


def test_error_message_names_the_record_and_the_field():
    message = refuse(parse_order, order(total="ten euros"), "total")
    assert message.startswith("The store's order 42 has an invalid 'total': ")
    assert "ten euros" in message


# -- the record itself --------------------------------------------------------------


def test_a_record_must_be_an_object():
    refuse(parse_order, ["not", "an", "order"], "body", record_id=None)


def test_id_is_required():
    data = order()
    del data["id"]
    refuse(parse_order, data, "id", record_id=None)


def test_id_must_be_a_whole_number():
    refuse(parse_order, order(id="abc"), "id", record_id="abc")


def test_id_must_be_positive():
    refuse(parse_order, order(id=0), "id", record_id=0)


def test_id_sent_as_text_is_read_as_a_number():
    assert parse_order(order(id="42")).id == 42


# -- required order fields ------------------------------------------------------------


def test_status_is_required():
    data = order()
    del data["status"]
    assert "missing" in refuse(parse_order, data, "status")


def test_status_must_not_be_empty():
    assert "empty" in refuse(parse_order, order(status=""), "status")


def test_total_is_required():
    data = order()
    del data["total"]
    refuse(parse_order, data, "total")


def test_total_tax_is_required():
    refuse(parse_order, order(total_tax=None), "total_tax")


def test_total_must_not_be_a_boolean():
    refuse(parse_order, order(total=True), "total")


def test_total_must_be_finite():
    refuse(parse_order, order(total="NaN"), "total")


def test_total_must_not_be_a_list():
    refuse(parse_order, order(total=["238.00"]), "total")


def test_money_sent_as_a_number_is_exact():
    assert parse_order(order(total=238.1)).total == Decimal("238.1")
    assert parse_order(order(total=238)).total == Decimal("238")


def test_optional_amount_sent_empty_is_zero():
    assert parse_order(order(discount_total="")).discount_total == 0


def test_customer_id_must_not_be_negative():
    refuse(parse_order, order(customer_id=-1), "customer_id")


def test_flag_must_be_true_or_false():
    refuse(parse_order, order(prices_include_tax="maybe"), "prices_include_tax")


def test_flag_accepts_the_stores_yes_and_no():
    assert parse_order(order(prices_include_tax="yes")).prices_include_tax is True
    assert parse_order(order(prices_include_tax=0)).prices_include_tax is False


def test_text_must_not_be_an_object():
    refuse(parse_order, order(payment_method={"id": "bacs"}), "payment_method")


def test_number_sent_as_text_field_is_read_as_text():
    assert parse_order(order(number=1042)).number == "1042"


# -- dates ------------------------------------------------------------------------------


def test_date_must_be_a_date():
    refuse(parse_order, order(date_created_gmt="yesterday"), "date_created_gmt")


def test_date_must_be_text():
    refuse(parse_order, order(date_modified_gmt=1717149600), "date_modified_gmt")


def test_date_with_an_offset_is_converted_to_utc():
    parsed = parse_order(order(date_created_gmt="2024-05-31T12:00:00+02:00", date_paid_gmt="2024-05-31T10:00:00Z"))
    assert parsed.date_created == datetime(2024, 5, 31, 10, tzinfo=timezone.utc)
    assert parsed.date_paid == parsed.date_created


# -- addresses --------------------------------------------------------------------------


def test_billing_must_be_an_object():
    refuse(parse_order, order(billing="Anna"), "billing")


def test_address_field_must_be_text():
    refuse(parse_order, order(billing={"first_name": ["Anna"]}), "billing.first_name")


def test_empty_php_array_is_an_empty_address():
    parsed = parse_order(order(shipping=[]))
    assert parsed.shipping == Address() and parsed.shipping.is_empty


def test_address_helpers():
    address = Address(first_name="Anna", last_name="Schmidt", address_1="Lindenstraße 12", address_2="Hof")
    assert address.full_name == "Anna Schmidt"
    assert address.street == "Lindenstraße 12, Hof"
    assert address.company_name is None and not address.is_empty


# -- lines --------------------------------------------------------------------------------


def test_line_items_must_be_a_list():
    refuse(parse_order, order(line_items={"id": 7}), "line_items")


def test_each_line_must_be_an_object():
    refuse(parse_order, order(line_items=[LINE, "chair"]), "line_items[1]")


def test_line_id_is_required():
    refuse(parse_order, line(id=None), "line_items[0].id")


def test_line_quantity_is_required():
    data = line()
    del data["line_items"][0]["quantity"]
    refuse(parse_order, data, "line_items[0].quantity")


def test_line_quantity_must_be_a_whole_number():
    assert "whole number" in refuse(parse_order, line(quantity=2.5), "line_items[0].quantity")


@pytest.mark.parametrize("quantity", [0, -1, "-3"])
def test_an_order_line_sells_at_least_one(quantity):
    assert "at least 1" in refuse(parse_order, line(quantity=quantity), "line_items[0].quantity")


@pytest.mark.parametrize("total", ["1e30", "10000000000000", "-1e13", 1e30])
def test_an_amount_too_large_for_odoo_is_refused_with_its_field(total):
    assert "below 10,000,000,000,000" in refuse(parse_order, order(total=total), "total")


def test_the_largest_amount_is_read():
    assert parse_order(order(total="9999999999999.99")).total == Decimal("9999999999999.99")


def test_line_quantity_sent_as_text_or_float_is_read():
    assert parse_order(line(quantity="2")).line_items[0].quantity == 2
    assert parse_order(line(quantity=2.0)).line_items[0].quantity == 2


def test_line_total_is_required():
    refuse(parse_order, line(total=""), "line_items[0].total")


def test_line_total_tax_is_required():
    data = line()
    del data["line_items"][0]["total_tax"]
    refuse(parse_order, data, "line_items[0].total_tax")


def test_line_without_subtotal_has_its_total_as_subtotal():
    data = line()
    del data["line_items"][0]["subtotal"], data["line_items"][0]["subtotal_tax"]
    parsed = parse_order(data).line_items[0]
    assert (parsed.subtotal, parsed.subtotal_tax) == (Decimal("200.00"), Decimal("38.00"))


def test_line_tax_needs_its_rate_id():
    refuse(parse_order, line(taxes=[{"total": "38"}]), "line_items[0].taxes[0].id")


def test_line_price_must_be_an_amount():
    refuse(parse_order, line(price="cheap"), "line_items[0].price")


def test_meta_row_needs_a_key():
    refuse(parse_order, line(meta_data=[{"id": 1, "value": "x"}]), "line_items[0].meta_data[0].key")


def test_refunded_item_id_must_be_a_whole_number():
    meta = [{"id": 1, "key": "_refunded_item_id", "value": "the chair"}]
    refuse(parse_order, line(meta_data=meta), "line_items[0].meta_data._refunded_item_id")


def test_shipping_line_total_is_required():
    refuse(parse_order, order(shipping_lines=[{"id": 5, "method_id": "flat_rate"}]), "shipping_lines[0].total")


def test_fee_line_total_is_required():
    refuse(parse_order, order(fee_lines=[{"id": 6, "name": "Express"}]), "fee_lines[0].total")


def test_coupon_code_is_required():
    refuse(parse_order, order(coupon_lines=[{"id": 8, "discount": "5"}]), "coupon_lines[0].code")


def test_tax_line_id_is_required():
    refuse(parse_order, order(tax_lines=[{"rate_id": 1, "tax_total": "38.00"}]), "tax_lines[0].id")


def test_refund_summary_total_is_required():
    refuse(parse_order, order(refunds=[{"id": 99, "reason": "late"}]), "refunds[0].total")


def test_a_minimal_order_gets_neutral_defaults():
    parsed = parse_order({"id": 1, "status": "pending", "total": "0.00", "total_tax": "0.00"})
    assert parsed.is_guest and parsed.number == "1" and parsed.company is None and parsed.vat_id is None
    assert parsed.line_items == () and parsed.meta == {} and parsed.date_created is None
    assert parsed.billing == Address() and parsed.totals_difference.adds_up


# -- refunds ----------------------------------------------------------------------------


def test_refund_amount_is_required():
    data = copy.deepcopy(REFUND)
    del data["amount"]
    refuse(parse_refund, data, "amount", record_id=98, record_type="refund")


def test_refund_amount_must_not_be_negative():
    refuse(parse_refund, {**REFUND, "amount": "-10.00"}, "amount", record_id=98, record_type="refund")


def test_refund_line_quantity_must_not_be_positive():
    data = copy.deepcopy(REFUND)
    data["line_items"][0]["quantity"] = 1
    refuse(parse_refund, data, "line_items[0].quantity", record_id=98, record_type="refund")


def test_valid_refund_reads_its_refunded_item():
    refund = parse_refund(copy.deepcopy(REFUND), order_id=42)
    assert refund.line_items[0].refunded_item_id == 7 and refund.lines_amount == Decimal("10.00")


# -- customers, products, variations --------------------------------------------------------


def test_customer_id_is_required():
    refuse(parse_customer, {"email": "a@example.de"}, "id", record_id=None, record_type="customer")


def test_customer_flag_must_be_true_or_false():
    refuse(parse_customer, {"id": 5, "is_paying_customer": "often"}, "is_paying_customer",
           record_id=5, record_type="customer")


def test_minimal_customer_gets_neutral_defaults():
    customer = parse_customer({"id": 5, "email": " a@example.de "})
    assert customer.email == "a@example.de" and customer.company is None and customer.full_name == ""


def test_product_price_must_be_an_amount():
    refuse(parse_product, {"id": 14, "price": "call us"}, "price", record_id=14, record_type="product")


def test_product_stock_quantity_must_be_a_whole_number():
    refuse(parse_product, {"id": 14, "stock_quantity": "many"}, "stock_quantity", record_id=14, record_type="product")


def test_product_variations_must_be_a_list_of_ids():
    refuse(parse_product, {"id": 25, "variations": "26,27"}, "variations", record_id=25, record_type="product")
    refuse(parse_product, {"id": 25, "variations": [26, "x"]}, "variations[1]", record_id=25, record_type="product")


def test_product_attribute_needs_a_name_and_a_list_of_options():
    refuse(parse_product, {"id": 25, "attributes": [{"id": 1, "options": ["S"]}]}, "attributes[0].name",
           record_id=25, record_type="product")
    refuse(parse_product, {"id": 25, "attributes": [{"name": "Size", "options": "S|M"}]}, "attributes[0].options",
           record_id=25, record_type="product")


def test_minimal_product_gets_neutral_defaults():
    product = parse_product({"id": 14})
    assert product.price is None and product.stock_quantity is None and product.variations == ()
    assert not product.is_variable and not product.manage_stock


def test_variation_needs_a_parent():
    refuse(parse_variation, {"id": 26, "sku": "X"}, "parent_id", record_id=26, record_type="variation")


def test_variation_attribute_needs_a_name():
    refuse(parse_variation, {"id": 26, "parent_id": 25, "attributes": [{"option": "S"}]}, "attributes[0].name",
           record_id=26, record_type="variation")


def test_line_quantity_must_not_be_a_boolean():
    refuse(parse_order, line(quantity=True), "line_items[0].quantity")


def test_money_already_decimal_is_kept():
    assert parse_order(order(total=Decimal("238.00"))).total == Decimal("238.00")
