"""/customers lists like the real store's customers controller: no date filters, ordered by id when asked."""

import pytest
from test_emulator_helpers import call

from wc_emulator import EmulatedStore
from wc_emulator.generator import generate_store


@pytest.fixture(scope="module")
def store():
    with EmulatedStore(generate_store(seed=7, orders=30)) as running:
        yield running


def listed_ids(store, **params):
    answer = call(store, "GET", "/customers", per_page=100, role="all", orderby="id", order="asc", **params)
    assert answer.status_code == 200, answer.text
    return [customer["id"] for customer in answer.json()], answer.headers["X-WP-Total"]


def test_customers_ignore_modified_after_and_the_other_date_filters(store):
    everyone, total = listed_ids(store)
    assert len(everyone) >= 12 and total == str(len(everyone))
    future = "2999-01-01T00:00:00"
    # The real controller has no such parameters: each is ignored, the whole list comes back.
    assert listed_ids(store, modified_after=future, dates_are_gmt="true") == (everyone, total)
    assert listed_ids(store, after=future, dates_are_gmt="true") == (everyone, total)
    assert listed_ids(store, modified_before="2000-01-01T00:00:00", before="2000-01-01T00:00:00") == (everyone, total)


def test_customers_still_filter_by_include_and_exclude(store):
    everyone, _total = listed_ids(store)
    assert listed_ids(store, include=f"{everyone[0]},{everyone[2]}")[0] == [everyone[0], everyone[2]]
    assert listed_ids(store, exclude=str(everyone[0]))[0] == everyone[1:]


def test_newest_accounts_come_first_by_id_desc(store):
    everyone, _total = listed_ids(store)
    answer = call(store, "GET", "/customers", per_page=3, role="all", orderby="id", order="desc")
    assert [customer["id"] for customer in answer.json()] == sorted(everyone, reverse=True)[:3]

