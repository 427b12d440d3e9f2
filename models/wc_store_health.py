"""A store's health at a glance (form and dashboard tile) and the scheduled check that raises activities.

The figures are computed for all the stores shown at once, in a fixed number
of grouped queries (sync runs, webhooks, deliveries, queue jobs, sync log).
The scheduled check hands them to :mod:`..wc_connector.rules.health` and
raises one activity per WooCommerce manager for each **new** problem; a
problem already raised (an open ``wc.health.problem``) is not raised again
until it has gone away.

"Pending pushes" counts the store's channel jobs whose method name starts
with ``_wc_push`` (the Odoo → store sync names its jobs so).
"""

from datetime import datetime, timezone

from odoo import api, fields, models

from ..wc_connector.payloads.dates import as_utc, to_naive
from ..wc_connector.rules import health as rules
from .const import LIVE_JOB_STATES

#: The prefix of the job methods that push to the store.
PUSH_METHOD_PREFIX = "_wc_push"

#: The entities whose last successful sync is shown.
HEALTH_ENTITIES = ("order", "customer")

HEALTH_STATES = [("ok", "Healthy"), ("warning", "Needs attention"), ("problem", "Problem")]


class WcStore(models.Model):
    _name = "wc.store"
    # Activities: the scheduled check assigns each problem to the WooCommerce managers on the store itself.
    _inherit = ["wc.store", "mail.activity.mixin"]

    wc_health_lag_hours = fields.Float(
        string="Lag threshold (hours)",
        default=6.0,
        help="The scheduled check raises an activity when the orders or customers of this store last synced "
        "successfully longer ago than this.",
    )
    wc_health_failure_threshold = fields.Integer(
        string="Failure threshold",
        default=10,
        help="The scheduled check raises an activity when failed jobs and records not imported add up to this "
        "many (0: never).",
    )
    wc_health_orders_synced = fields.Datetime(string="Orders last synced", compute="_compute_wc_health")
    wc_health_orders_lag = fields.Float(string="Orders lag (h)", compute="_compute_wc_health", digits=(16, 1))
    wc_health_customers_synced = fields.Datetime(string="Customers last synced", compute="_compute_wc_health")
    wc_health_customers_lag = fields.Float(string="Customers lag (h)", compute="_compute_wc_health", digits=(16, 1))
    wc_health_webhooks_active = fields.Integer(string="Webhooks active", compute="_compute_wc_health")
    wc_health_webhooks_paused = fields.Integer(string="Webhooks paused", compute="_compute_wc_health")
    wc_health_webhooks_disabled = fields.Integer(string="Webhooks disabled", compute="_compute_wc_health")
    wc_health_last_delivery = fields.Datetime(string="Last webhook delivery", compute="_compute_wc_health")
    wc_health_failed_jobs = fields.Integer(string="Failed jobs", compute="_compute_wc_health")
    wc_health_pending_pushes = fields.Integer(string="Pending pushes", compute="_compute_wc_health")
    wc_health_failed_pushes = fields.Integer(string="Failed pushes", compute="_compute_wc_health")
    wc_health_state = fields.Selection(HEALTH_STATES, string="Health", compute="_compute_wc_health")
    wc_health_problems = fields.Text(string="Problems", compute="_compute_wc_health")
    wc_health_problem_ids = fields.One2many("wc.health.problem", "store_id", string="Raised problems")

    # -- the figures -----------------------------------------------------------------------

    def _compute_wc_health(self):
        facts = self._wc_health_facts()
        for store in self:
            fact, extra = facts.get(store.id, (None, {}))
            if fact is None:
                store.update({name: False for name in self._wc_health_field_names()})
                store.wc_health_state = "ok"
                continue
            found = rules.problems(fact, store._wc_health_thresholds())
            store.update({
                "wc_health_orders_synced": to_naive(fact.last_sync.get("order")),
                "wc_health_orders_lag": rules.lag_hours(fact, "order") or 0.0,
                "wc_health_customers_synced": to_naive(fact.last_sync.get("customer")),
                "wc_health_customers_lag": rules.lag_hours(fact, "customer") or 0.0,
                **extra,
                "wc_health_problems": "\n".join(store._wc_problem_text(problem) for problem in found) or False,
            })
            if found or store.connection_status == "failed":
                store.wc_health_state = "problem"
            elif extra["wc_health_webhooks_paused"] or extra["wc_health_failed_pushes"] or fact.open_failures:
                store.wc_health_state = "warning"
            else:
                store.wc_health_state = "ok"

    def _wc_health_field_names(self):
        return [name for name in self._fields if name.startswith("wc_health_") and self._fields[name].compute]

    def _wc_health_thresholds(self):
        return rules.Thresholds(lag_hours=self.wc_health_lag_hours, failures=self.wc_health_failure_threshold)

    def _wc_health_facts(self):
        """``{store id: (HealthFacts, figures)}`` for these stores, in six grouped queries."""
        stores = self.filtered("id")
        if not stores:
            return {}
        now = datetime.now(timezone.utc)
        ids = stores.ids
        last_sync = {}
        for store, entity, date_end in self.env["wc.sync.run"].sudo()._read_group(
                [("store_id", "in", ids), ("state", "=", "done"), ("entity", "in", HEALTH_ENTITIES)],
                ["store_id", "entity"], ["date_end:max"]):
            last_sync[(store.id, entity)] = as_utc(date_end)
        webhooks = {}
        for hook in self.env["wc.webhook"].sudo().search_fetch(
                [("store_id", "in", ids)], ["store_id", "wc_webhook_id", "topic", "status"]):
            webhooks.setdefault(hook.store_id.id, []).append((hook.wc_webhook_id, hook.topic, hook.status))
        deliveries = dict(self.env["wc.webhook.delivery"].sudo()._read_group(
            [("store_id", "in", ids)], ["store_id"], ["received:max"]))
        open_failures = dict(self.env["wc.sync.log"].sudo()._read_group(
            [("store_id", "in", ids), ("state", "=", "failed")], ["store_id"], ["__count"]))
        channels = {store._wc_channel(): store.id for store in stores}
        jobs = {}
        for channel, state, method, count in self.env["queue.job"].sudo()._read_group(
                [("channel", "in", list(channels)), ("state", "in", LIVE_JOB_STATES + ("failed",))],
                ["channel", "state", "method_name"], ["__count"]):
            push = (method or "").startswith(PUSH_METHOD_PREFIX)
            key = ("push" if push else "job", "failed" if state == "failed" else "waiting")
            counts = jobs.setdefault(channels[channel], {})
            counts[key] = counts.get(key, 0) + count
        result = {}
        for store in stores:
            hooks = webhooks.get(store.id, [])
            job_counts = jobs.get(store.id, {})
            failed_jobs = job_counts.get(("job", "failed"), 0) + job_counts.get(("push", "failed"), 0)
            fact = rules.HealthFacts(
                now=now,
                last_sync={entity: last_sync.get((store.id, entity)) for entity in HEALTH_ENTITIES},
                webhooks=tuple(hooks),
                failed_jobs=failed_jobs,
                open_failures=open_failures.get(store, 0),
            )
            extra = {
                "wc_health_webhooks_active": sum(1 for hook in hooks if hook[2] == "active"),
                "wc_health_webhooks_paused": sum(1 for hook in hooks if hook[2] == "paused"),
                "wc_health_webhooks_disabled": sum(1 for hook in hooks if hook[2] == "disabled"),
                "wc_health_last_delivery": deliveries.get(store) or False,
                "wc_health_failed_jobs": failed_jobs,
                "wc_health_pending_pushes": job_counts.get(("push", "waiting"), 0),
                "wc_health_failed_pushes": job_counts.get(("push", "failed"), 0),
            }
            result[store.id] = (fact, extra)
        return result

    def _wc_problem_text(self, problem):
        """The problem in the user's language."""
        values = problem.values
        if problem.kind == rules.LAG:
            entity = dict(self.env["wc.sync.run"]._fields["entity"].selection).get(values["entity"], values["entity"])
            return self.env._(
                "%(entity)s: the sync last succeeded %(hours)s hours ago (threshold: %(threshold)s hours).",
                entity=entity, hours=values["hours"], threshold=values["threshold"])
        if problem.kind == rules.WEBHOOK_DISABLED:
            return self.env._(
                "The store disabled the webhook %(topic)s after failed deliveries: re-enable it on the store form.",
                topic=values["topic"])
        if problem.kind == rules.FAILURES:
            return self.env._(
                "%(jobs)s failed jobs and %(records)s records not imported (threshold: %(threshold)s): "
                "see the sync log and the jobs.", **values)
        return problem.message

    # -- the scheduled check ------------------------------------------------------------------

    @api.model
    def _cron_wc_health_check(self):
        """Raise an activity for the WooCommerce managers on each new problem of each active store."""
        self.search([("active", "=", True)])._wc_health_check()
        return True

    def _wc_health_check(self):
        """Check these stores; return the ``wc.health.problem`` records raised now."""
        Problem = self.env["wc.health.problem"].sudo()
        facts = self._wc_health_facts()
        open_problems = Problem.search([("store_id", "in", self.ids), ("state", "=", "open")])
        raised = Problem
        for store in self:
            fact, _extra = facts.get(store.id, (None, {}))
            if fact is None:
                continue
            mine = open_problems.filtered(lambda problem: problem.store_id == store)
            new, gone = rules.news(rules.problems(fact, store._wc_health_thresholds()), set(mine.mapped("key")))
            mine.filtered(lambda problem: problem.key in gone).write(
                {"state": "resolved", "date_resolved": fields.Datetime.now()})
            if new:
                raised |= store._wc_raise_problems(new)
        return raised

    def _wc_raise_problems(self, problems):
        """Record ``problems`` and schedule an activity per manager for each."""
        self.ensure_one()
        records = self.env["wc.health.problem"].sudo().create([
            {"store_id": self.id, "key": problem.key, "name": self._wc_problem_text(problem)} for problem in problems
        ])
        managers = self._wc_managers()
        store = self.sudo()
        for record in records:
            for user in managers:
                store.activity_schedule(
                    "woocommerce_connector.mail_activity_wc_problem",
                    summary=record.name[:250],
                    note=record.name,
                    user_id=user.id,
                )
        return records
