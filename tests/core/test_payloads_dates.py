"""One "is newer" rule for every import: a state is applied only when it is newer than the applied one."""

from datetime import datetime, timedelta, timezone

import pytest

from wc_connector.payloads.dates import as_utc, is_newer, to_naive, to_store_text, to_utc

APPLIED = datetime(2024, 5, 31, 12, 0, 0)  # naive UTC, as Odoo stores it


def test_nothing_applied_yet_is_always_newer():
    assert is_newer(to_utc("2020-01-01T00:00:00"), None)
    assert is_newer(None, False)


def test_a_later_state_is_newer():
    assert is_newer(to_utc("2024-05-31T12:00:01"), APPLIED)


@pytest.mark.parametrize("sent", ["2024-05-31T12:00:00", "2024-05-31T11:59:59", "2023-01-01T00:00:00"])
def test_the_same_or_an_older_state_is_not_newer(sent):
    assert not is_newer(to_utc(sent), APPLIED)


def test_an_undated_state_never_replaces_a_dated_one():
    assert not is_newer(None, APPLIED)


def test_offsets_are_compared_in_utc():
    # 14:00 in UTC+2 is 12:00 UTC: the applied state itself.
    assert not is_newer(datetime(2024, 5, 31, 14, 0, tzinfo=timezone(timedelta(hours=2))), APPLIED)
    assert is_newer(datetime(2024, 5, 31, 14, 0, 1, tzinfo=timezone(timedelta(hours=2))), APPLIED)
    assert not is_newer(APPLIED, APPLIED.replace(tzinfo=timezone.utc))


def test_odoo_datetimes_are_naive_utc_both_ways():
    aware = datetime(2024, 5, 31, 14, 0, 0, 250000, tzinfo=timezone(timedelta(hours=2)))
    # Odoo keeps naive UTC in whole seconds; reading it back gives the same moment.
    assert to_naive(aware) == APPLIED
    assert as_utc(to_naive(aware)) == aware.replace(microsecond=0)
    assert as_utc(APPLIED) == APPLIED.replace(tzinfo=timezone.utc)
    assert as_utc("2024-05-31T12:00:00Z") == to_utc("2024-05-31T12:00:00")


@pytest.mark.parametrize("empty", [None, False, ""])
def test_an_empty_date_stays_empty(empty):
    assert as_utc(empty) is None
    assert to_naive(empty) is False


def test_the_stores_date_filters_read_utc_without_an_offset():
    assert to_store_text(datetime(2024, 5, 31, 14, 0, 0, 999, tzinfo=timezone(timedelta(hours=2)))) == "2024-05-31T12:00:00"
    assert to_store_text(APPLIED) == "2024-05-31T12:00:00"
