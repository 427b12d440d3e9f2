"""Documents are dated by the store's own dates in the company's time zone; a credit note never before its invoice."""

from datetime import date, datetime, timezone
from decimal import Decimal

from wc_connector.payloads.orders import Order
from wc_connector.rules.document_dates import credit_note_date, invoice_date, local_date, payment_date

UTC = timezone.utc
TODAY = date(2027, 1, 15)


def order(**dates):
    return Order(id=1, status="completed", total=Decimal("10.00"), **dates)


def test_a_moment_is_booked_on_the_companys_calendar_day():
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    assert local_date(late, "Europe/Berlin") == date(2027, 1, 1)
    assert local_date(late, "America/New_York") == date(2026, 12, 31)
    assert local_date(late, "") == date(2026, 12, 31)
    assert local_date(late, "Not/AZone") == date(2026, 12, 31)
    assert local_date(datetime(2026, 12, 31, 23, 30), "Asia/Tehran") == date(2027, 1, 1)  # naive is UTC
    assert local_date(None, "Europe/Berlin") is None


def test_invoice_is_dated_by_completion_else_payment_else_creation_never_today():
    created = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    paid = datetime(2026, 11, 21, 23, 10, tzinfo=UTC)
    completed = datetime(2026, 11, 23, 23, 50, tzinfo=UTC)
    tz = "Europe/Berlin"
    assert invoice_date(order(date_created=created, date_paid=paid, date_completed=completed), tz, TODAY) == date(2026, 11, 24)
    assert invoice_date(order(date_created=created, date_paid=paid), tz, TODAY) == date(2026, 11, 22)
    assert invoice_date(order(date_created=created), tz, TODAY) == date(2026, 11, 20)
    assert invoice_date(order(), tz, TODAY) == TODAY


def test_payment_is_dated_by_the_stores_payment_day():
    assert payment_date(order(date_paid=datetime(2026, 11, 21, 23, 10, tzinfo=UTC)), "Europe/Berlin", TODAY) == date(2026, 11, 22)
    assert payment_date(order(), "Europe/Berlin", TODAY) == TODAY


def test_credit_note_is_dated_by_the_refund_but_never_before_its_invoice():
    refund = datetime(2026, 11, 23, 14, 50, tzinfo=UTC)
    assert credit_note_date(refund, date(2026, 11, 20), "Europe/Berlin", TODAY) == date(2026, 11, 23)
    assert credit_note_date(refund, date(2026, 11, 24), "Europe/Berlin", TODAY) == date(2026, 11, 24)
    assert credit_note_date(None, date(2026, 11, 24), "Europe/Berlin", TODAY) == TODAY
    assert credit_note_date(refund, None, "Europe/Berlin", TODAY) == date(2026, 11, 23)
