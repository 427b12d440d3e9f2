"""Who is master of what (seed A.7): flows per kind of data and the conflict rule."""

from datetime import datetime, timedelta, timezone

import pytest

from wc_connector.rules.directions import (
    BOTH,
    CONFLICT_RULES,
    CONTACTS,
    DEFAULT_DIRECTIONS,
    KINDS,
    NEWEST_WINS,
    ODOO,
    ODOO_TO_STORE,
    ODOO_WINS,
    OFF,
    ORDERS,
    STOCK,
    STORE,
    STORE_TO_ODOO,
    STORE_WINS,
    Direction,
    allows_export,
    allows_import,
    winner,
)

EARLY = datetime(2026, 5, 1, 10, 0, tzinfo=timezone.utc)
LATE = EARLY + timedelta(seconds=1)


def test_defaults_cover_every_kind_with_what_a_shop_expects():
    assert set(DEFAULT_DIRECTIONS) == set(KINDS)
    assert DEFAULT_DIRECTIONS[ORDERS].flow == BOTH  # born in the store, statuses pushed back
    assert DEFAULT_DIRECTIONS[STOCK].flow == OFF  # nothing sent until the shop starts its stock
    assert DEFAULT_DIRECTIONS[CONTACTS] == Direction(BOTH, NEWEST_WINS)


@pytest.mark.parametrize("flow, imports, exports", [
    (OFF, False, False), (STORE_TO_ODOO, True, False), (ODOO_TO_STORE, False, True), (BOTH, True, True),
])
def test_a_flow_allows_exactly_its_directions(flow, imports, exports):
    direction = Direction(flow)
    assert allows_import(direction) is imports
    assert allows_export(direction) is exports


def test_unknown_flow_or_rule_is_refused():
    with pytest.raises(ValueError, match="flow"):
        Direction("sideways")
    with pytest.raises(ValueError, match="conflict"):
        Direction(BOTH, "loudest")


@pytest.mark.parametrize("rule", CONFLICT_RULES)
def test_one_way_flows_always_give_the_master(rule):
    assert winner(Direction(STORE_TO_ODOO, rule), LATE, EARLY) == STORE
    assert winner(Direction(ODOO_TO_STORE, rule), EARLY, LATE) == ODOO


@pytest.mark.parametrize("rule", CONFLICT_RULES)
def test_only_one_side_changed_means_no_conflict(rule):
    assert winner(Direction(BOTH, rule), None, LATE) == STORE
    assert winner(Direction(BOTH, rule), LATE, None) == ODOO


def test_conflict_rules_decide_when_both_changed():
    assert winner(Direction(BOTH, STORE_WINS), LATE, EARLY) == STORE
    assert winner(Direction(BOTH, ODOO_WINS), EARLY, LATE) == ODOO
    assert winner(Direction(BOTH, NEWEST_WINS), LATE, EARLY) == ODOO
    assert winner(Direction(BOTH, NEWEST_WINS), EARLY, LATE) == STORE


def test_an_equally_old_odoo_state_never_overwrites_the_store():
    assert winner(Direction(BOTH, NEWEST_WINS), EARLY, EARLY) == STORE
