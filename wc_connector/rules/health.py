"""A store's health: which problems it has now, and which of them are news.

The Odoo layer gathers the facts of a store (:class:`HealthFacts`) in a few
grouped queries; :func:`problems` says what is wrong, each problem with a
stable ``key`` so that the scheduled check raises an activity **once per
problem**: :func:`news` compares what is wrong now with the problems already
raised and not yet resolved.
"""

from dataclasses import dataclass, field

#: Problem key prefixes, one per kind of problem.
LAG = "lag"
WEBHOOK_DISABLED = "webhook"
FAILURES = "failures"


@dataclass(frozen=True)
class HealthFacts:
    """What the health check knows of one store.

    ``last_sync``: ``{entity: aware datetime of the last successful sync, or None}``;
    ``webhooks``: ``((store webhook id, topic, status), ...)`` as the store last
    reported them; ``failed_jobs`` and ``open_failures`` (sync-log entries not
    yet imported) count what piles up.
    """

    now: object
    last_sync: dict = field(default_factory=dict)
    webhooks: tuple = ()
    failed_jobs: int = 0
    open_failures: int = 0


@dataclass(frozen=True)
class Thresholds:
    """When a fact becomes a problem: the lag in hours, and how many failures are too many."""

    lag_hours: float = 6.0
    failures: int = 10


@dataclass(frozen=True)
class Problem:
    """One problem: ``key`` names it for good (``lag:order``, ``webhook:12``, ``failures``); ``message`` says it.

    ``kind`` (:data:`LAG`, :data:`WEBHOOK_DISABLED`, :data:`FAILURES`) and
    ``values`` let the Odoo layer say it in the user's language.
    """

    key: str
    message: str
    kind: str = ""
    values: dict = field(default_factory=dict, compare=False)


def lag_hours(facts, entity):
    """Hours since ``entity`` last synced successfully (``None`` when it never did)."""
    last = facts.last_sync.get(entity)
    if last is None:
        return None
    return max(0.0, (facts.now - last).total_seconds() / 3600)


def problems(facts, thresholds=None):
    """What is wrong with the store now, as :class:`Problem` s (sorted by key)."""
    thresholds = thresholds or Thresholds()
    found = []
    for entity in sorted(facts.last_sync):
        lag = lag_hours(facts, entity)
        if lag is not None and lag > thresholds.lag_hours:
            found.append(Problem(
                f"{LAG}:{entity}",
                f"The {entity} sync last succeeded {lag:.1f} hours ago (threshold: {thresholds.lag_hours:g} hours).",
                LAG, {"entity": entity, "hours": round(lag, 1), "threshold": thresholds.lag_hours},
            ))
    for webhook_id, topic, status in sorted(facts.webhooks):
        if status == "disabled":
            found.append(Problem(
                f"{WEBHOOK_DISABLED}:{webhook_id}",
                f"The store disabled the webhook {topic} (id {webhook_id}) after failed deliveries: "
                "re-enable it on the store form.",
                WEBHOOK_DISABLED, {"topic": topic, "id": webhook_id},
            ))
    piled = facts.failed_jobs + facts.open_failures
    if thresholds.failures and piled >= thresholds.failures:
        found.append(Problem(
            FAILURES,
            f"{facts.failed_jobs} failed jobs and {facts.open_failures} records not imported "
            f"(threshold: {thresholds.failures}): see the sync log and the jobs.",
            FAILURES, {"jobs": facts.failed_jobs, "records": facts.open_failures, "threshold": thresholds.failures},
        ))
    return sorted(found, key=lambda problem: problem.key)


def news(current, open_keys):
    """``(raise, resolve)``: the problems of ``current`` not raised yet, and the open keys no longer current."""
    current_keys = {problem.key for problem in current}
    return (
        [problem for problem in current if problem.key not in open_keys],
        sorted(set(open_keys) - current_keys),
    )
