"""What the parsed records say: guests and companies, meta, money, dates, refunds, products.

Each test reads one real capture and checks one behaviour a sync rule relies on.
"""

import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from wc_connector.payloads import (
    LineTax,
    TotalsDifference,
    parse_customer,
    parse_order,
    parse_product,
    parse_refund,
    parse_variation,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"


def body(name):
    """The body of a capture (or a webhook delivery's JSON body)."""
    capture = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return capture["body"] if "body" in capture else capture["body_json"]


# -- orders: who bought -----------------------------------------------------------


def test_guest_order_has_customer_id_zero():
    order = parse_order(body("order_single_guest.json"))
    assert order.customer_id == 0
    assert order.is_guest
    assert order.billing.email


def test_registered_order_is_not_a_guest():
    order = parse_order(body("order_single_b2b_coupon.json"))
    assert order.customer_id == 3
    assert not order.is_guest


def test_company_comes_from_billing_company():
    order = parse_order(body("order_single_b2b_coupon.json"))
    assert order.company == "Müller Bürotechnik GmbH"
    assert order.billing.company_name == "Müller Bürotechnik GmbH"


def test_guest_order_can_be_a_company():
    order = parse_order(body("order_single_guest.json"))
    assert order.is_guest and order.company == "Schulz & Partner Steuerberater"


def test_no_company_when_billing_company_is_empty_or_blank():
    data = body("order_single_guest.json")
    data["billing"]["company"] = ""
    assert parse_order(data).company is None
    data["billing"]["company"] = "   "
    assert parse_order(data).company is None


def test_company_is_stripped():
    data = body("order_single_guest.json")
    data["billing"]["company"] = "  Acme GmbH \n"
    assert parse_order(data).company == "Acme GmbH"


def test_customer_deleted_in_store_turns_its_order_into_a_guest_order():
    order = parse_order(body("more/deletions/customer_delete_05_order_of_deleted_customer_get.json"))
    assert order.is_guest


def test_russian_names_come_through_intact():
    order = parse_order(body("order_single_refunded_russian.json"))
    assert order.billing.full_name == "Мария Иванова"
    assert order.company == "ООО «Север»"
    assert order.billing.city == "Санкт-Петербург"
    customer = parse_customer(body("customer_single_russian.json"))
    assert all(ord(char) > 0x400 for char in customer.first_name)


def test_persian_names_come_through_intact():
    customer = parse_customer(body("customer_single_persian_b2b.json"))
    assert customer.full_name == "مریم کریمی"
    assert customer.company == "شرکت پارس تجارت"
    assert customer.billing.address_1 == "بلوار کشاورز، شماره ۴۵"
    assert customer.vat_id == "IR811907990"


# -- orders: meta -------------------------------------------------------------------


def test_internal_meta_is_kept_apart_from_the_shops_own():
    order = parse_order(body("order_single_b2b_coupon.json"))
    assert order.internal_meta == {"_billing_vat_id": "DE811907996"}
    assert order.meta == {"lab_seq": "16", "vat_id": "DE811907996"}
    line = order.line_items[0]
    assert line.internal_meta == {"_reduced_stock": "3"}
    assert line.meta == {"pa_color": "white", "pa_size": "m"}


def test_line_attributes_are_what_the_customer_sees():
    line = parse_order(body("order_single_b2b_coupon.json")).line_items[0]
    assert line.attributes == {"Color": "White", "Size": "M"}
    assert line.variation_id == 31 and line.parent_name == "Company T-Shirt"


def test_vat_id_prefers_billing_vat_id_meta_then_other_keys():
    data = body("order_single_b2b_coupon.json")
    data["meta_data"] = [{"id": 1, "key": "vat_id", "value": "DE1"}, {"id": 2, "key": "_billing_vat_id", "value": " DE2 "}]
    assert parse_order(data).vat_id == "DE2"
    data["meta_data"] = [{"id": 1, "key": "billing_vat", "value": "DE3"}]
    assert parse_order(data).vat_id == "DE3"
    data["meta_data"] = [{"id": 1, "key": "_billing_vat_id", "value": ""}]
    assert parse_order(data).vat_id is None


def test_first_meta_row_wins_when_a_key_repeats():
    data = body("order_single_guest.json")
    data["meta_data"] = [{"id": 1, "key": "source", "value": "a"}, {"id": 2, "key": "source", "value": "b"}]
    assert parse_order(data).meta == {"source": "a"}


# -- orders: money and dates ----------------------------------------------------------


def test_money_is_decimal_with_unrounded_tax_breakdowns():
    order = parse_order(body("order_single_b2b_coupon.json"))
    line = order.line_items[0]
    assert line.total == Decimal("53.73") and line.total_tax == Decimal("10.21")
    assert line.taxes == (LineTax(rate_id=1, total=Decimal("10.2087"), subtotal=Decimal("11.343")),)
    assert order.shipping_lines[0].taxes[0].total == Decimal("0.931")
    assert order.shipping_lines[0].taxes[0].subtotal is None
    assert order.total == Decimal("1253.27") and order.total_tax == Decimal("182.14")


def test_line_price_is_the_exact_decimal_of_the_stores_float():
    order = parse_order(body("more/tax/incl-yes_rsub-yes/o4_at_nonbase-country_pct-coupon_paid.json"))
    assert order.line_items[0].price == Decimal("14.695541666666665")
    assert parse_order(body("order_single_b2b_coupon.json")).line_items[2].price == Decimal("225")


def test_coupon_discount_comes_unrounded_with_round_tax_at_subtotal():
    order = parse_order(body("more/tax/incl-yes_rsub-yes/o4_at_nonbase-country_pct-coupon_paid.json"))
    coupon = order.coupon_lines[0]
    assert (coupon.code, coupon.discount_type) == ("lab-rnd-pct125", "percent")
    assert coupon.discount == Decimal("7.748333") and coupon.discount_tax == Decimal("1.261667")
    assert coupon.nominal_amount == Decimal("12.5")
    assert coupon.internal_meta == {} and "coupon_info" in coupon.meta


def test_tax_lines_have_their_rate_as_decimal():
    tax = parse_order(body("order_single_b2b_coupon.json")).tax_lines[0]
    assert (tax.rate_id, tax.rate_code, tax.label, tax.compound) == (1, "DE-MWST. 19%-1", "MwSt. 19%", False)
    assert tax.rate_percent == Decimal("19")
    assert tax.amount == Decimal("181.21") + Decimal("0.93")


def test_fee_lines_are_net_with_their_tax():
    fee = parse_order(body("more/tax/incl-yes_rsub-yes/o4_at_nonbase-country_pct-coupon_paid.json")).fee_lines[0]
    assert (fee.name, fee.tax_status, fee.amount) == ("Expresszuschlag", "taxable", None)
    assert (fee.total, fee.total_tax) == (Decimal("3.33"), Decimal("0.67"))


def test_dates_are_aware_utc_from_the_gmt_fields():
    order = parse_order(body("more/tax/incl-yes_rsub-yes/o4_at_nonbase-country_pct-coupon_paid.json"))
    # date_created is 16:22:37 Berlin time; date_created_gmt 15:22:37 is the truth.
    assert order.date_created == datetime(2026, 11, 23, 15, 22, 37, tzinfo=timezone.utc)
    assert order.date_paid == order.date_created and order.is_paid
    assert order.date_completed is None


def test_unpaid_order_has_no_payment_date():
    order = parse_order(body("order_single_b2b_coupon.json"))
    assert order.date_paid is None and not order.is_paid


def test_order_line_of_a_nonexistent_product_parses_with_product_id_zero():
    order = parse_order(body("error_400_orders_invalid_product.json"))
    assert any(line.product_id == 0 for line in order.line_items)


# -- orders: totals ------------------------------------------------------------------


def test_order_that_adds_up_reports_no_difference():
    order = parse_order(body("more/tax/incl-yes_rsub-no/o4_at_nonbase-country_pct-coupon_paid.json"))
    assert order.totals_difference == TotalsDifference()
    assert order.totals_difference.adds_up


def test_store_a_cent_off_is_reported_not_hidden():
    order = parse_order(body("more/tax/incl-yes_rsub-yes/o4_at_nonbase-country_pct-coupon_paid.json"))
    assert order.id == 726
    assert order.totals_difference.total == Decimal("0.01")
    assert order.totals_difference.total_tax == Decimal("0.01")
    assert order.totals_difference.tax_lines == 0
    assert not order.totals_difference.adds_up


def test_an_order_read_with_six_decimals_gives_the_same_difference():
    for spec, expected in (
        ("incl-yes_rsub-yes/o4_at_nonbase-country_pct-coupon_paid", Decimal("0.01")),
        ("incl-yes_rsub-yes/o6_de_b2b_variation_negotiated-line_no-coupon_paid", Decimal("-0.01")),
        ("incl-yes_rsub-no/o4_at_nonbase-country_pct-coupon_paid", Decimal("0")),
    ):
        plain = parse_order(body(f"more/tax/{spec}.json"))
        precise = parse_order(body(f"more/tax/{spec}__dp6.json"))
        assert precise.totals_difference == plain.totals_difference
        assert plain.totals_difference.total == expected


def test_totals_are_checked_at_the_currencys_precision():
    line = {"id": 1, "quantity": 1, "total": "1000", "total_tax": "100"}
    tax = {"id": 2, "tax_total": "100", "shipping_tax_total": "0"}
    data = {"id": 1, "status": "pending", "currency": "JPY", "line_items": [line], "tax_lines": [tax],
            "total": "1100.4", "total_tax": "100"}
    assert parse_order(data).totals_difference.adds_up  # 1100.4 yen is shown as 1100
    data["currency"] = "EUR"
    assert parse_order(data).totals_difference.total == Decimal("-0.40")


# -- orders: refunds ------------------------------------------------------------------


def test_order_lists_its_refunds_with_negative_totals():
    order = parse_order(body("order_single_refunded_russian.json"))
    assert order.status == "refunded"
    assert [(refund.id, refund.total) for refund in order.refunds] == [(100, Decimal("-1912.25"))]
    assert order.refunds[0].amount == Decimal("1912.25")
    assert order.refunded_amount == Decimal("1912.25")


def test_refund_lines_have_negative_quantities_and_point_at_the_order_line():
    refund = parse_refund(body("more/refunds/03_refund1_get_single.json"))
    assert refund.amount == Decimal("32.09")
    assert [line.quantity for line in refund.line_items] == [-2, -1]
    assert [line.total for line in refund.line_items] == [Decimal("-9.98"), Decimal("-18.90")]
    assert [line.refunded_item_id for line in refund.line_items] == [2812, 2814]
    assert refund.line_items[0].price == Decimal("4.99")  # the price stays positive
    assert refund.lines_amount == refund.amount
    assert refund.order_id == 744  # from the answer's "up" link
    assert refund.reason == "Teilretoure: 2x Papier beschädigt, Kaffee zurück"


def test_shipping_refund_carries_its_tax_in_shipping_tax_total():
    refund = parse_refund(body("more/refunds/06_refund2_get_single.json"), order_id=744)
    assert refund.shipping_lines[0].total == Decimal("-4.90")
    assert refund.shipping_lines[0].refunded_item_id == 2815
    assert refund.tax_lines[0].tax_total == 0
    assert refund.tax_lines[0].shipping_tax_total == Decimal("-0.93")
    assert refund.lines_amount == refund.amount == Decimal("5.83")


def test_refund_by_amount_only_has_no_lines():
    (data,) = body("order_refunds_amount_only.json")
    refund = parse_refund(data)
    assert refund.amount == Decimal("10.00") and refund.lines_amount == 0
    assert refund.order_id == 77
    assert refund.refunded_payment is False and refund.refunded_by == 1


def test_refund_order_id_given_by_the_caller_wins():
    (data,) = body("order_refunds_amount_only.json")
    assert parse_refund(data, order_id=5).order_id == 5
    del data["_links"]
    assert parse_refund(data).order_id is None


# -- customers -----------------------------------------------------------------------


def test_customer_with_account_email_but_empty_billing_email_parses():
    data = body("customer_single_b2b.json")
    data["billing"]["email"] = ""
    customer = parse_customer(data)
    assert customer.email and customer.billing.email == ""


def test_customer_company_and_meta():
    customer = parse_customer(body("customer_single_b2b.json"))
    assert customer.company
    assert customer.meta.get("customer_group") == "b2b"
    assert customer.is_paying_customer is False
    assert parse_customer(body("customer_single_persian_b2b.json")).is_paying_customer is True
    assert customer.date_created.tzinfo is timezone.utc


def test_customer_full_name_falls_back_to_billing_name():
    data = body("customer_single_b2b.json")
    data["first_name"] = data["last_name"] = ""
    customer = parse_customer(data)
    assert customer.full_name == customer.billing.full_name != ""


def test_customer_list_with_role_all_includes_non_customers():
    roles = {parse_customer(record).role for record in body("customers_list_role_all.json")}
    assert "administrator" in roles


# -- products and variations ------------------------------------------------------------


def test_variable_product_has_empty_regular_price_and_its_variations():
    product = parse_product(body("product_single_variable.json"))
    assert product.is_variable
    assert product.regular_price is None and product.price == Decimal("17.90")
    assert product.variations == tuple(range(26, 38))
    color = product.attributes[0]
    assert (color.name, color.slug, color.options, color.variation) == ("Color", "pa_color", ("Black", "Blue", "White"), True)


def test_simple_product_on_sale_has_its_prices_and_stock():
    product = parse_product(body("product_single_simple_on_sale.json"))
    assert product.type == "simple" and product.on_sale
    assert product.sale_price is not None and product.sale_price < product.regular_price
    assert product.price == product.sale_price
    assert product.manage_stock and isinstance(product.stock_quantity, int)


def test_product_without_managed_stock_has_no_quantity():
    product = parse_product(body("write_product_put_stock_unmanaged.json"))
    assert product.manage_stock is False and product.stock_quantity is None


def test_variation_attributes_are_name_to_option():
    variation = parse_variation(body("products_variation_single.json"))
    assert variation.attributes == {"Color": "Black", "Size": "S"}
    assert variation.parent_id == 25 and variation.sku == "LAB-TSHIRT-BLA-S"


def test_variation_seen_through_a_product_webhook():
    data = body("more/webhooks/deliveries/0076-product_updated-42-prod-variation42-price-stock.json")
    product = parse_product(data)
    assert product.type == "variation" and product.parent_id == 38
    assert product.attributes[0].options == ("Red",)
    variation = parse_variation(data)
    assert (variation.id, variation.parent_id, variation.price, variation.stock_quantity) == (42, 38, Decimal("52.50"), 9)
    assert variation.attributes == {"Color": "Red", "Size": "M"}


def test_variation_whose_stock_is_its_parents():
    data = body("products_variation_single.json")
    data["manage_stock"] = "parent"
    variation = parse_variation(data)
    assert variation.manage_stock and variation.stock_at_parent


def test_variation_parent_from_the_caller_when_the_body_has_none():
    data = body("products_variation_single.json")
    del data["parent_id"]
    assert parse_variation(data, parent_id=25).parent_id == 25
