"""A store payment closes its invoice: a rounding difference is written off, real money stays open."""

from decimal import Decimal

from wc_connector.rules.settlement import DEFAULT_WRITE_OFF_LIMIT, settle_payment


def test_payment_equal_to_the_invoice_writes_nothing_off():
    settlement = settle_payment(Decimal("62.16"), Decimal("62.16"), "EUR")
    assert (settlement.difference, settlement.write_off, settlement.closes) == (0, 0, True)


def test_store_total_a_cent_below_the_invoice_is_written_off_as_a_loss():
    settlement = settle_payment(Decimal("57.33"), Decimal("57.32"), "EUR")
    assert settlement.write_off == Decimal("0.01")
    assert settlement.closes and settlement.is_loss


def test_store_total_a_cent_above_the_invoice_is_written_off_as_a_gain():
    settlement = settle_payment(57.31, Decimal("57.32"), "EUR")  # Odoo hands floats
    assert settlement.write_off == Decimal("-0.01")
    assert settlement.closes and not settlement.is_loss


def test_a_difference_beyond_the_limit_stays_open():
    settlement = settle_payment(Decimal("62.16"), Decimal("50.00"), "EUR")
    assert settlement.write_off == 0
    assert not settlement.closes
    assert settle_payment(Decimal("1.00"), Decimal("1.00") - DEFAULT_WRITE_OFF_LIMIT, "EUR").write_off == DEFAULT_WRITE_OFF_LIMIT
    assert settle_payment(Decimal("1.00"), Decimal("0.94"), "EUR").write_off == 0


def test_a_zero_limit_writes_nothing_off_and_amounts_are_rounded_to_the_currency():
    assert settle_payment(Decimal("10.01"), Decimal("10.00"), "EUR", limit=0).write_off == 0
    assert settle_payment(Decimal("10.004"), Decimal("10.00"), "EUR").write_off == 0
    assert settle_payment(Decimal("1001"), Decimal("1000"), "JPY", limit=Decimal(1)).write_off == 1
