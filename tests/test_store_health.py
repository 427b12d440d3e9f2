"""Store health: the figures of the form and the tile, and a scheduled check that raises each problem once."""

from datetime import timedelta

from odoo import fields
from odoo.addons.queue_job.models.queue_job import QueueJob
from odoo.tests import tagged

from .health_fixtures import ImportedStoreCase


@tagged("post_install", "-at_install")
class TestStoreHealth(ImportedStoreCase):
    ORDERS = 4

    def activities(self):
        return self.env["mail.activity"].search([
            ("res_model", "=", "wc.store"), ("res_id", "=", self.store.id),
            ("activity_type_id", "=", self.env.ref("woocommerce_connector.mail_activity_wc_problem").id)])

    def age_runs(self, hours):
        runs = self.env["wc.sync.run"].search([("store_id", "=", self.store.id)])
        runs.write({"date_end": fields.Datetime.now() - timedelta(hours=hours)})

    def test_a_store_just_synced_is_healthy_and_shows_its_last_syncs(self):
        self.store.invalidate_recordset()
        self.assertEqual(self.store.wc_health_state, "ok", self.store.wc_health_problems)
        self.assertTrue(self.store.wc_health_orders_synced)
        self.assertLess(self.store.wc_health_orders_lag, 0.1)
        self.assertFalse(self.store._wc_health_check())
        self.assertFalse(self.activities())

    def test_a_lag_over_the_threshold_raises_one_activity_per_manager_once(self):
        self.age_runs(hours=7)
        self.store.invalidate_recordset()
        self.assertEqual(self.store.wc_health_state, "problem")
        self.assertGreater(self.store.wc_health_orders_lag, 6.9)
        self.assertIn("7.0 hours", self.store.wc_health_problems)

        self.env["wc.store"]._cron_wc_health_check()
        [problem] = self.store.wc_health_problem_ids
        self.assertEqual((problem.key, problem.state), ("lag:order", "open"))
        managers = self.store._wc_managers()
        self.assertIn(self.wc_manager, managers)
        self.assertNotIn(self.wc_user, managers)
        self.assertEqual(self.activities().user_id, managers)
        self.assertEqual(len(self.activities()), len(managers))

        # Every later run while the problem lasts: nothing new.
        self.env["wc.store"]._cron_wc_health_check()
        self.assertEqual(len(self.activities()), len(managers))
        self.assertEqual(len(self.store.wc_health_problem_ids), 1)

        # A sync succeeds: the problem is resolved; should the lag come back, it is a new problem.
        self.sync(self.store._wc_import_history, None, None)
        self.env["wc.store"]._cron_wc_health_check()
        self.assertEqual(problem.state, "resolved")
        self.age_runs(hours=8)
        self.env["wc.store"]._cron_wc_health_check()
        self.assertEqual(len(self.store.wc_health_problem_ids.filtered(lambda p: p.state == "open")), 1)
        self.assertEqual(len(self.activities()), 2 * len(managers))

    def test_a_webhook_the_store_disabled_and_failures_piling_up_are_problems(self):
        # Connecting the store registered its webhooks; the store then paused one and disabled another.
        hooks = self.store.wc_webhook_ids
        self.assertGreater(len(hooks), 2)
        hooks[0].status, hooks[1].status = "paused", "disabled"
        disabled = hooks[1]
        self.env["wc.webhook.delivery"].create({
            "store_id": self.store.id, "delivery_id": "d-1", "topic": "order.updated", "resource": "order",
            "resource_id": 1, "state": "done"})
        self.store.wc_health_failure_threshold = 3
        self.env["wc.sync.log"].create([
            {"store_id": self.store.id, "entity": "order", "wc_id": 900 + i, "reason": "unknown product SKU 'X'"}
            for i in range(3)])
        self.store.invalidate_recordset()
        store = self.store
        self.assertEqual((store.wc_health_webhooks_active, store.wc_health_webhooks_paused,
                          store.wc_health_webhooks_disabled), (len(hooks) - 2, 1, 1))
        self.assertTrue(store.wc_health_last_delivery)
        raised = store._wc_health_check()
        key = f"webhook:{disabled.wc_webhook_id}"
        self.assertEqual(sorted(raised.mapped("key")), sorted(["failures", key]))
        self.assertIn(disabled.topic, raised.filtered(lambda p: p.key == key).name)
        # The store re-enables it: resolved at the next check.
        disabled.status = "active"
        store._wc_health_check()
        self.assertEqual(raised.filtered(lambda p: p.key == key).state, "resolved")

    def test_failed_jobs_and_pushes_to_the_store_are_counted_from_the_store_channel(self):
        def job(method, state):
            record = self.env["queue.job"].search([("uuid", "=", self.store.with_delay(
                channel=self.store._wc_channel())._wc_health_check().uuid)])
            record.with_context(_job_edit_sentinel=QueueJob.EDIT_SENTINEL).write(
                {"method_name": method, "state": state})
            return record

        job("_wc_push_stock", "pending")
        job("_wc_push_order_status", "enqueued")
        job("_wc_push_stock", "failed")
        job("_wc_job_import_page", "failed")
        job("_wc_push_stock", "done")
        self.store.invalidate_recordset()
        self.assertEqual((self.store.wc_health_pending_pushes, self.store.wc_health_failed_pushes,
                          self.store.wc_health_failed_jobs), (2, 1, 2))
