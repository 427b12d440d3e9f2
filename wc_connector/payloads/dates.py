"""Dates from the store: always aware datetimes in UTC.

The store sends each date twice: ``date_created`` in the shop's local time
*without* an offset, and ``date_created_gmt`` in UTC, also without an
offset. Only the ``*_gmt`` fields are trustworthy, so the parsers read those
and attach UTC. ``None`` means the event has not happened (an unpaid order's
``date_paid_gmt``).

Every conversion of a date between the store, the core and Odoo goes
through this module: :func:`to_utc` reads the store's text, :func:`as_utc`
makes any datetime (Odoo keeps naive UTC) aware, :func:`to_naive` writes an
aware one as Odoo keeps it, :func:`to_store_text` as the store's query reads it.
"""

from datetime import datetime, timezone


def to_utc(value):
    """Convert a store ``*_gmt`` timestamp to an aware UTC datetime; ``None`` for ``None`` or ``""``.

    Text without an offset is UTC (that is what ``*_gmt`` means); text with an
    offset is converted to UTC. Raises ``ValueError`` for anything else.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"expected a date like '2024-05-31T12:00:00', got {type(value).__name__} {value!r}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        # Python 3.10 does not read the 'Z' suffix.
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"expected a date like '2024-05-31T12:00:00', got {value!r}") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def as_utc(value):
    """Any moment as an aware UTC datetime: a naive datetime is UTC (as Odoo's ``Datetime`` fields keep it),
    an aware one is converted, text is read as :func:`to_utc` reads the store's; ``None`` for ``None``,
    ``False`` (Odoo's empty) or ``""``."""
    if value is None or value is False or value == "":
        return None
    if isinstance(value, str):
        return to_utc(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def to_naive(moment):
    """An aware (or naive UTC) datetime as Odoo's ``Datetime`` fields keep it: naive UTC, whole seconds;
    ``False`` for none."""
    moment = as_utc(moment)
    return moment.replace(tzinfo=None, microsecond=0) if moment else False


def to_store_text(moment):
    """A moment as the store's date filters read it (``after``, ``modified_before``, … with
    ``dates_are_gmt``): UTC, whole seconds, no offset."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S")


def is_newer(modified, applied):
    """Whether a record's state modified at ``modified`` is newer than the state applied at ``applied``.

    The one "skip if up to date" rule of every import (orders, customers,
    products), webhook or sync: nothing applied yet → newer; a state without
    a date when one was applied → not newer (an undated payload proves
    nothing, and a replayed old delivery must never win); otherwise strictly
    later. Naive datetimes are UTC, as Odoo stores them; the store's dates
    have whole seconds, so "equal" is "the same state".
    """
    if applied is None or applied is False:
        return True
    if not modified:
        return False
    return as_utc(modified) > as_utc(applied)
