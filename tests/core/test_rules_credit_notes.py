"""Credit notes: a store refund is credited to the cent, by lines or by amount, and reverses its VAT."""

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from wc_connector.payloads import parse_refund
from wc_connector.payloads.refunds import Refund
from wc_connector.rules import odoo_math
from wc_connector.rules.credit_notes import InvoicedLine, plan_credit_note

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"

VAT20 = odoo_math.Tax(key="vat20", amount=Decimal(20))
VAT19 = odoo_math.Tax(key="vat19", amount=Decimal(19))
VAT7 = odoo_math.Tax(key="vat7", amount=Decimal(7))
VAT19_INCL = odoo_math.Tax(key="vat19i", amount=Decimal(19), price_include=True)


def D(text):
    return Decimal(text)


def refunds(name, order_id):
    body = json.loads((FIXTURES / name).read_text())["body"]
    return {data["id"]: parse_refund(data, order_id=order_id) for data in (body if isinstance(body, list) else [body])}


def odoo_total(plan, invoiced):
    """What Odoo books for the plan: its lines computed as Odoo does, with the plan's tax amounts set."""
    specs = {tax.key: tax for line in invoiced for tax in line.taxes}
    amounts = odoo_math.order_amounts(
        [odoo_math.Line(price_unit=line.price_unit, quantity=line.quantity, taxes=tuple(specs[k] for k in line.taxes))
         for line in plan.lines]
    )
    taxes = {**amounts.tax_amounts, **plan.tax_amounts}
    return amounts.amount_untaxed, taxes


# -- by lines -----------------------------------------------------------------------------------


def test_refund_of_a_line_credits_that_invoice_line_with_the_store_amounts():
    # Order 78: 2 T-shirts at 19.90 (+20 %), shipping 12.00; refund 98 takes one T-shirt back.
    invoiced = (InvoicedLine(key=1, store_line_id=109, total=D("47.76"), taxes=(VAT20,)),
                InvoicedLine(key=2, store_line_id=110, total=D("14.40"), taxes=(VAT20,)))
    plan = plan_credit_note(refunds("order_refunds_line_item.json", 78)[98], invoiced, currency="EUR")
    assert plan.by_lines
    assert [(line.source, line.quantity, line.price_unit, line.taxes, line.store_line_id) for line in plan.lines] == [
        (1, 1, D("19.90"), ("vat20",), 109)
    ]
    assert plan.tax_amounts == {}  # Odoo's 20 % of 19.90 is the store's 3.98
    assert (plan.amount_untaxed, plan.amount_tax, plan.amount_total) == (D("19.90"), D("3.98"), D("23.88"))


def test_refund_of_part_of_a_line_gives_back_the_stores_share_of_its_tax():
    # Order 744: refund 745 takes 2 of 3 papers (net 9.98, the store's tax share 1.89 where 19 % of 9.98 is 1.90).
    invoiced = (InvoicedLine(key=1, store_line_id=2812, total=D("17.81"), taxes=(VAT19,)),
                InvoicedLine(key=2, store_line_id=2814, total=D("20.22"), taxes=(VAT7,)),
                InvoicedLine(key=3, store_line_id=2815, total=D("5.83"), taxes=(VAT19,)))
    refund = refunds("more/refunds/08_order_refunds_list.json", 744)[745]
    plan = plan_credit_note(refund, invoiced, currency="EUR")
    assert plan.by_lines
    assert [(line.store_line_id, line.quantity, line.price_unit) for line in plan.lines] == [
        (2812, 2, D("4.99")), (2814, 1, D("18.90"))
    ]
    assert plan.tax_amounts == {"vat19": D("1.89")}
    assert plan.amount_total == refund.amount == D("32.09")
    untaxed, taxes = odoo_total(plan, invoiced)
    assert untaxed + sum(taxes.values()) == refund.amount


def test_refunded_unit_price_not_exact_in_cents_is_split_like_the_order_import():
    # 2 refunded units for 19.95 net: one line at 9.975 would be 9.98 × 2 = 19.96 in Odoo.
    invoiced = (InvoicedLine(key=7, store_line_id=500, total=D("71.23"), taxes=(VAT19,)),)
    refund = parse_refund({
        "id": 901, "amount": "23.74", "date_created_gmt": "2026-11-24T10:00:00",
        "line_items": [{"id": 902, "name": "Mug", "product_id": 3, "quantity": -2, "total": "-19.95",
                        "total_tax": "-3.79", "taxes": [{"id": 1, "total": "-3.7905", "subtotal": "-3.7905"}],
                        "meta_data": [{"key": "_refunded_item_id", "value": "500"}]}],
    }, order_id=1)
    plan = plan_credit_note(refund, invoiced, currency="EUR")
    assert sorted((line.quantity, line.price_unit) for line in plan.lines) == [(1, D("9.97")), (1, D("9.98"))]
    assert {line.store_line_id for line in plan.lines} == {500}
    assert (plan.amount_untaxed, plan.amount_tax, plan.amount_total) == (D("19.95"), D("3.79"), D("23.74"))


def test_price_included_refund_line_is_credited_gross_to_the_cent():
    invoiced = (InvoicedLine(key=1, store_line_id=40, total=D("59.97"), taxes=(VAT19_INCL,)),)
    refund = parse_refund({
        "id": 41, "amount": "39.98",
        "line_items": [{"id": 42, "name": "Tee", "product_id": 3, "quantity": -2, "total": "-33.60",
                        "total_tax": "-6.38", "taxes": [{"id": 1, "total": "-6.38"}],
                        "meta_data": [{"key": "_refunded_item_id", "value": "40"}]}],
    }, order_id=1)
    plan = plan_credit_note(refund, invoiced, currency="EUR")
    assert [(line.quantity, line.price_unit) for line in plan.lines] == [(2, D("19.99"))]
    assert plan.tax_amounts == {}
    assert (plan.amount_untaxed, plan.amount_tax) == (D("33.60"), D("6.38"))


def test_refund_with_a_line_the_invoice_does_not_have_is_credited_by_amount():
    invoiced = (InvoicedLine(key=1, store_line_id=109, total=D("47.76"), taxes=(VAT20,)),)
    refund = parse_refund({
        "id": 5, "amount": "14.40",
        "shipping_lines": [{"id": 6, "method_id": "flat_rate", "total": "-12.00", "total_tax": "-2.40",
                            "taxes": [{"id": 3, "total": "-2.40"}],
                            "meta_data": [{"key": "_refunded_item_id", "value": "999"}]}],
    }, order_id=1)
    plan = plan_credit_note(refund, invoiced, currency="EUR")
    assert not plan.by_lines
    assert [(line.source, line.price_unit, line.taxes, line.store_line_id) for line in plan.lines] == [
        (1, D("12.00"), ("vat20",), 0)
    ]
    assert plan.amount_total == D("14.40")


# -- by amount ------------------------------------------------------------------------------------


def test_amount_only_refund_reverses_the_vat_of_an_invoice_with_one_rate():
    # Refund 97: 10.00 "Goodwill: late delivery" on an order taxed 20 %: 8.33 net + 1.67 VAT.
    invoiced = (InvoicedLine(key=1, store_line_id=101, total=D("47.76"), taxes=(VAT20,)),
                InvoicedLine(key=2, store_line_id=102, total=D("14.40"), taxes=(VAT20,)))
    refund = refunds("order_refunds_amount_only.json", 77)[97]
    plan = plan_credit_note(refund, invoiced, currency="EUR")
    assert not plan.by_lines
    assert [(line.source, line.quantity, line.price_unit, line.taxes) for line in plan.lines] == [
        (1, 1, D("8.33"), ("vat20",))
    ]
    assert (plan.amount_untaxed, plan.amount_tax, plan.amount_total) == (D("8.33"), D("1.67"), D("10.00"))
    assert plan.tax_amounts == {}


def test_amount_only_refund_is_split_over_the_invoice_tax_mix():
    # 75 % of the invoice is 19 %, 25 % is 7 %: 40.00 back is 30.00 gross at 19 % and 10.00 gross at 7 %.
    invoiced = (InvoicedLine(key=1, store_line_id=1, total=D("119.00"), taxes=(VAT19,)),
                InvoicedLine(key=2, store_line_id=2, total=D("35.70"), taxes=(VAT19,)),
                InvoicedLine(key=3, store_line_id=3, total=D("51.57"), taxes=(VAT7,)))
    refund = Refund(id=9, amount=D("40.00"))
    plan = plan_credit_note(refund, invoiced, currency="EUR")
    by_tax = {line.taxes: line.price_unit for line in plan.lines}
    assert by_tax == {("vat19",): D("25.21"), ("vat7",): D("9.35")}
    untaxed, taxes = odoo_total(plan, invoiced)
    assert untaxed + sum(taxes.values()) == D("40.00") == plan.amount_total
    # The VAT reversed per rate is the gross share's VAT to the cent.
    assert taxes == {"vat19": D("4.79"), "vat7": D("0.65")}


def test_amount_share_whose_net_odoo_cannot_tax_to_the_gross_gets_its_tax_set():
    # 19 % of any net never makes 1.19 + ... for some gross amounts (1.00 → 0.84 + 0.16 = 1.00 works, 0.06 does not).
    invoiced = (InvoicedLine(key=1, store_line_id=1, total=D("11.90"), taxes=(VAT19,)),)
    unreachable = next(
        gross for gross in (D(cents) / 100 for cents in range(1, 500))
        if all(odoo_math.line_amounts(odoo_math.Line(price_unit=net / 100, quantity=1, taxes=(VAT19,))).price_total != gross
               for net in range(0, 500))
    )
    plan = plan_credit_note(Refund(id=3, amount=unreachable), invoiced, currency="EUR")
    assert plan.tax_amounts, "Odoo's own tax would miss the gross by a cent"
    untaxed, taxes = odoo_total(plan, invoiced)
    assert untaxed + sum(taxes.values()) == unreachable == plan.amount_total


def test_remainder_is_credited_per_tax_group_as_what_is_left_of_each():
    invoiced = (InvoicedLine(key=1, store_line_id=2812, total=D("17.81"), taxes=(VAT19,)),
                InvoicedLine(key=2, store_line_id=2814, total=D("20.22"), taxes=(VAT7,)),
                InvoicedLine(key=3, store_line_id=2815, total=D("5.83"), taxes=(VAT19,)))
    credited = (InvoicedLine(key=10, store_line_id=2812, total=D("11.87"), taxes=(VAT19,)),
                InvoicedLine(key=11, store_line_id=2814, total=D("20.22"), taxes=(VAT7,)))
    remainder = Refund(id=0, amount=D("11.77"))  # 43.86 invoiced − 32.09 credited
    plan = plan_credit_note(remainder, invoiced, credited, currency="EUR")
    assert [(line.source, line.taxes) for line in plan.lines] == [(1, ("vat19",))]
    assert plan.amount_total == D("11.77")
    assert plan.amount_tax == D("1.88")


def test_refund_of_an_invoice_without_taxes_or_lines_is_one_untaxed_line():
    plan = plan_credit_note(Refund(id=4, amount=D("5.00")), (), currency="EUR")
    assert [(line.source, line.price_unit, line.taxes) for line in plan.lines] == [(None, D("5.00"), ())]
    assert plan.amount_total == D("5.00")
    untaxed = (InvoicedLine(key=8, total=D("20.00")),)
    plan = plan_credit_note(Refund(id=4, amount=D("5.00")), untaxed, currency="EUR")
    assert [(line.source, line.price_unit, line.taxes) for line in plan.lines] == [(8, D("5.00"), ())]


def test_price_included_share_is_credited_gross():
    invoiced = (InvoicedLine(key=1, store_line_id=1, total=D("59.97"), taxes=(VAT19_INCL,)),)
    plan = plan_credit_note(Refund(id=4, amount=D("10.00")), invoiced, currency="EUR")
    assert [(line.price_unit, line.taxes) for line in plan.lines] == [(D("10.00"), ("vat19i",))]
    assert (plan.amount_untaxed, plan.amount_tax, plan.amount_total) == (D("8.40"), D("1.60"), D("10.00"))


def test_fully_credited_invoice_still_splits_a_late_refund_over_its_mix():
    invoiced = (InvoicedLine(key=1, store_line_id=1, total=D("12.00"), taxes=(VAT20,)),)
    credited = (InvoicedLine(key=2, store_line_id=1, total=D("12.00"), taxes=(VAT20,)),)
    plan = plan_credit_note(Refund(id=4, amount=D("6.00")), invoiced, credited, currency="EUR")
    assert [(line.price_unit, line.taxes) for line in plan.lines] == [(D("5.00"), ("vat20",))]


def test_shares_add_up_to_the_refund_in_whole_cents():
    invoiced = tuple(InvoicedLine(key=index, store_line_id=index, total=D("10.00"), taxes=(tax,))
                     for index, tax in enumerate((VAT19, VAT7, VAT20), 1))
    plan = plan_credit_note(Refund(id=4, amount=D("10.00")), invoiced, currency="EUR")
    untaxed, taxes = odoo_total(plan, invoiced)
    assert untaxed + sum(taxes.values()) == D("10.00") == plan.amount_total
    assert len(plan.lines) == 3


def test_a_refund_of_more_than_its_lines_credits_the_rest_by_amount():
    invoiced = (InvoicedLine(key=1, store_line_id=109, total=D("47.76"), taxes=(VAT20,)),
                InvoicedLine(key=2, store_line_id=110, total=D("14.40"), taxes=(VAT20,)))
    refund = replace(refunds("order_refunds_line_item.json", 78)[98], amount=D("30.00"))  # lines: 23.88
    plan = plan_credit_note(refund, invoiced, currency="EUR")
    assert plan.by_lines
    assert [(line.store_line_id, line.price_unit) for line in plan.lines] == [(109, D("19.90")), (0, D("5.10"))]
    assert (plan.amount_untaxed, plan.amount_tax, plan.amount_total) == (D("25.00"), D("5.00"), D("30.00"))
