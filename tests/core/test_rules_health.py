"""Store health: lag, webhooks the store disabled and piled-up failures are problems, each raised once."""

from datetime import datetime, timedelta, timezone

from wc_connector.rules.health import FAILURES, HealthFacts, Problem, Thresholds, lag_hours, news, problems

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=timezone.utc)


def test_a_healthy_store_has_no_problem():
    facts = HealthFacts(now=NOW, last_sync={"order": NOW - timedelta(minutes=5), "customer": NOW},
                        webhooks=((1, "order.created", "active"), (2, "order.updated", "paused")))
    assert problems(facts) == []
    assert lag_hours(facts, "order") == 5 / 60


def test_a_lag_over_the_threshold_is_a_problem_per_entity():
    facts = HealthFacts(now=NOW, last_sync={"order": NOW - timedelta(hours=7), "customer": NOW - timedelta(hours=2)})
    assert [p.key for p in problems(facts)] == ["lag:order"]
    assert [p.key for p in problems(facts, Thresholds(lag_hours=1))] == ["lag:customer", "lag:order"]
    [lag] = problems(facts)
    assert lag.values == {"entity": "order", "hours": 7.0, "threshold": 6.0}
    assert "7.0 hours" in lag.message


def test_an_entity_never_synced_has_no_lag_yet():
    facts = HealthFacts(now=NOW, last_sync={"order": None})
    assert lag_hours(facts, "order") is None and problems(facts) == []


def test_each_webhook_the_store_disabled_is_its_own_problem():
    facts = HealthFacts(now=NOW, webhooks=((12, "order.updated", "disabled"), (13, "order.created", "paused"),
                                           (14, "customer.created", "disabled")))
    assert [p.key for p in problems(facts)] == ["webhook:12", "webhook:14"]


def test_failures_pile_up_from_failed_jobs_and_records_not_imported():
    assert problems(HealthFacts(now=NOW, failed_jobs=4, open_failures=5)) == []
    [piled] = problems(HealthFacts(now=NOW, failed_jobs=4, open_failures=6))
    assert piled.key == FAILURES and piled.values["jobs"] == 4
    assert problems(HealthFacts(now=NOW, failed_jobs=99), Thresholds(failures=0)) == []


def test_a_problem_is_raised_once_and_resolved_when_it_is_gone():
    lag, hook = Problem("lag:order", "late"), Problem("webhook:12", "disabled")
    assert news([lag, hook], set()) == ([lag, hook], [])
    assert news([lag, hook], {"lag:order"}) == ([hook], [])
    assert news([hook], {"lag:order", "webhook:12"}) == ([], ["lag:order"])
