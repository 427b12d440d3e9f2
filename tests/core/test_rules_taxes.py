"""Store tax rates become Odoo taxes; a line's taxes are the store's rate ids; an unmapped rate is named, never dropped."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from wc_connector.payloads import parse_order
from wc_connector.payloads.lines import TaxLine
from wc_connector.rules.taxes import (
    TaxSpec,
    describe_rate,
    line_rate_ids,
    spec_from_tax_line,
    tax_spec,
    tax_specs,
    unmapped_rate_message,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"
STORE_RATES = json.loads((FIXTURES / "taxes.json").read_text())["body"]


def _body(relative_path):
    return json.loads((FIXTURES / relative_path).read_text())["body"]


def test_every_store_rate_becomes_an_odoo_tax_with_its_percent_and_country():
    specs = tax_specs(STORE_RATES, prices_include_tax=False)
    assert sorted(specs) == [1, 2, 3, 4, 5]
    assert [(s.name, s.amount, s.country, s.tax_class, s.shipping) for s in specs.values()] == [
        ("MwSt. 19% (DE)", Decimal("19"), "DE", "standard", True),
        ("MwSt. 7% (DE)", Decimal("7"), "DE", "reduced-rate", False),
        ("USt. 20% (AT)", Decimal("20"), "AT", "standard", True),
        ("TVA 20% (FR)", Decimal("20"), "FR", "standard", True),
        ("BTW 21% (NL)", Decimal("21"), "NL", "standard", True),
    ]
    assert str(specs[1].amount) == "19"


def test_odoo_taxes_are_price_included_exactly_when_the_store_prices_include_tax():
    assert not any(spec.price_include for spec in tax_specs(STORE_RATES, False).values())
    assert all(spec.price_include for spec in tax_specs(STORE_RATES, True).values())


def test_fractional_rates_keep_their_decimals():
    spec = tax_spec({"id": 9, "country": "fr", "rate": "5.5000", "name": "TVA 5,5%", "class": "reduced-rate"}, False)
    assert (spec.amount, spec.country, spec.name) == (Decimal("5.5"), "FR", "TVA 5,5% (FR)")


def test_a_rate_named_with_its_country_is_not_named_twice():
    spec = tax_spec({"id": 7, "country": "DE", "rate": "19", "name": "DE VAT"}, False)
    assert spec.name == "DE VAT"


def test_a_rate_for_every_country_has_no_country_and_gets_a_name():
    spec = tax_spec({"id": 8, "country": "", "rate": "10", "name": ""}, False)
    assert (spec.name, spec.country, spec.label) == ("Tax 8", "", "'Tax 8' (id 8)")


@pytest.mark.parametrize("rate", [{"id": 0, "rate": "19"}, {"id": True, "rate": "19"}, {"rate": "19"},
                                  {"id": 3, "rate": "abc"}, {"id": 3, "rate": ""}])
def test_a_rate_without_id_or_percent_is_refused(rate):
    with pytest.raises(ValueError):
        tax_spec(rate, False)


def test_compound_rates_are_marked():
    assert tax_spec({"id": 3, "rate": "2", "name": "PST", "compound": True}, False).compound


def test_a_lines_taxes_are_the_rate_ids_it_lists():
    order = parse_order(_body("order_single_b2b_coupon.json"))
    assert [line_rate_ids(line) for line in order.line_items] == [(1,), (), (1,)]
    assert [line_rate_ids(line) for line in order.shipping_lines] == [(1,)]


def test_unmapped_rate_message_names_the_rate_from_the_order():
    order = next(
        parse_order(o) for o in _body("more/paging/orders_modified_asc_reference_per_page_100.json") if any(t["rate_id"] == 5 for t in o["tax_lines"])
    )
    assert unmapped_rate_message(5, order) == "tax rate 'BTW 21%' (NL, id 5) has no Odoo tax"


def test_unmapped_rate_message_falls_back_to_the_store_rates_then_to_the_id():
    order = parse_order(_body("order_single_b2b_coupon.json"))  # only DE 19 %
    known = tax_specs(STORE_RATES, False)
    assert unmapped_rate_message(4, order, known) == "tax rate 'TVA 20%' (FR, id 4) has no Odoo tax"
    assert unmapped_rate_message(99, order, known) == "tax rate (id 99) has no Odoo tax"


def test_a_rate_known_only_from_an_order_tax_line_still_gets_a_spec():
    tax_line = TaxLine(id=1, rate_id=3, rate_code="AT-UST. 20%-1", label="USt. 20%", rate_percent=Decimal("20"))
    spec = spec_from_tax_line(tax_line, True)
    assert spec == TaxSpec(rate_id=3, store_name="USt. 20%", amount=Decimal("20"), price_include=True, country="AT")
    assert spec_from_tax_line(TaxLine(id=1, rate_id=3, rate_percent=None), True) is None
    odd = spec_from_tax_line(TaxLine(id=1, rate_id=6, rate_code="STATE-TAX", rate_percent=Decimal("7.25")), False)
    assert (odd.country, odd.name, odd.amount) == ("", "Tax 6", Decimal("7.25"))


def test_describe_rate():
    assert describe_rate(5, "BTW 21%", "NL") == "'BTW 21%' (NL, id 5)"
    assert describe_rate(5, "", "") == "(id 5)"
