"""The online-shop balance goes to the store customer's meta, only when it changed."""

from decimal import Decimal

from wc_connector.rules.balances import BALANCE_CURRENCY_META_KEY, BALANCE_META_KEY, balance_text, balance_updates


def test_balance_is_written_with_the_currency_decimals():
    assert balance_text(Decimal("12.345")) == "12.35"
    assert balance_text(-3.1) == "-3.10"
    assert balance_text(Decimal("-0.001")) == "0.00"
    assert balance_text(7, digits=0) == "7"


def test_only_changed_balances_are_sent_in_id_order():
    updates = balance_updates({9: Decimal("10"), 3: Decimal("-5.5"), 4: 0}, {9: "10.00", 4: "1.00"}, "EUR")
    assert [update["id"] for update in updates] == [3, 4]
    assert updates[0]["meta_data"] == [{"key": BALANCE_META_KEY, "value": "-5.50"},
                                       {"key": BALANCE_CURRENCY_META_KEY, "value": "EUR"}]
    assert balance_updates({9: Decimal("10")}, {9: "10.00"}, "EUR") == []
