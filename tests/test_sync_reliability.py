"""The sync survives the store: down in the middle of an import, rate limiting, a malformed order."""

import json

from odoo.tests import tagged

from .sync_fixtures import SyncCase


@tagged("post_install", "-at_install")
class TestSyncReliability(SyncCase):
    def history(self):
        return self.store._wc_import_history(None, None)

    def test_store_down_in_the_middle_of_a_history_import_resumes_with_every_order_once(self):
        run = self.history()
        listings = []

        def store_goes_away_after_the_first_page(method, path, query):
            if method == "GET" and path.endswith("/orders"):
                listings.append(query.get("offset"))
                if len(listings) == 1:
                    # Three 503s, then a dropped connection, then it is back.
                    self.emulated.faults.fail(503, count=3)
                    self.emulated.faults.drop(count=1)

        self.emulated.request_hooks.append(store_goes_away_after_the_first_page)
        self.addCleanup(self.emulated.request_hooks.clear)
        waits = self.run_jobs()
        # No Retry-After: the job function's retry pattern decides (30 s, then 120 s from the 3rd try).
        self.assertEqual(waits, [30, 30, 120, 120], "each failure made the page job retry")
        self.assertEqual(self.imported_ids(), sorted(self.store_orders()), "every order, none twice")
        self.assertEqual((run.state, run.created, run.updated, run.failed), ("done", self.ORDERS, 0, 0))
        self.assertEqual(run.done, self.ORDERS, "the retried page was counted once")

    def test_a_run_of_429_with_retry_after_waits_the_stores_seconds_and_completes(self):
        run = self.history()
        self.emulated.faults.fail(429, count=3, retry_after=7)
        waits = self.run_jobs()
        self.assertEqual(waits, [7, 7, 7])
        self.assertEqual((run.state, run.created), ("done", self.ORDERS))
        self.assertEqual(self.imported_ids(), sorted(self.store_orders()))

    def test_one_malformed_order_in_a_page_fails_with_its_reason_and_the_others_import(self):
        bad_id = sorted(self.store_orders())[3]
        line = self.emulated.data.orders[bad_id]["line_items"][0]
        good_quantity, line["quantity"] = line["quantity"], "many"
        self.sync(self.history)
        [run] = self.runs(kind="history")
        self.assertEqual((run.state, run.created, run.failed, run.done), ("done", self.ORDERS - 1, 1, self.ORDERS))
        self.assertTrue(run.date_end and run.duration >= 0)
        self.assertNotIn(bad_id, self.imported_ids())
        self.assertEqual(len(self.imported_ids()), self.ORDERS - 1)
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("state", "=", "failed")])
        self.assertEqual((log.entity, log.wc_id), ("order", bad_id))
        self.assertIn("line_items[0].quantity", log.reason)
        self.assertIn("'many'", log.reason)
        self.assertEqual(json.loads(log.payload)["line_items"][0]["quantity"], "many")
        # Once the cause is fixed in the store, the log's bulk Retry action reads the order again and imports it.
        line["quantity"] = good_quantity
        action = self.env.ref("woocommerce_connector.wc_sync_log_action_retry")
        self.assertEqual(action.binding_model_id.model, "wc.sync.log")
        action.with_context(active_model="wc.sync.log", active_ids=log.ids, active_id=log.id).run()
        self.assertEqual(log.state, "done")
        self.assertIn(bad_id, self.imported_ids())

    def test_a_permanent_failure_fails_the_job_in_plain_words_and_the_next_run_starts_again(self):
        self.emulated.faults.fail(401, count=1, path="/orders")
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        [error] = self.failed_jobs
        self.assertIn("The store refused our credentials", str(error))
        self.assertNotIn(self.emulated.consumer_secret, str(error))
        run = self.runs(entity="order")
        self.assertEqual(run.state, "running", "the failed job rolled back its own writes")
        self.assertFalse(self.store.wc_orders_cursor, "nothing applied: the cursor stays")
        # The next tick closes the dead run with the job's sentence and reads the same window again.
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        self.assertEqual(run.state, "failed")
        self.assertIn("The store refused our credentials", run.error)
        latest = self.runs(entity="order")[-1]
        self.assertEqual((latest.state, latest.created), ("done", self.ORDERS))
        self.assertEqual(self.store.wc_orders_cursor, latest.window_end)

    def test_a_history_import_finds_the_orders_deleted_in_the_store_without_a_webhook(self):
        self.sync(self.history)
        gone_id = sorted(self.store_orders())[4]
        self.emulated.delete_order(gone_id, force=True)  # no webhook at all
        self.emulated.flush_webhooks()
        self.sync(self.history)
        run = self.runs(kind="history")[-1]
        self.assertEqual((run.state, run.gone, run.total), ("done", 1, self.ORDERS - 1))
        sale = self.sale_orders().filtered(lambda s: s.wc_order_id == gone_id)
        self.assertEqual(sale.wc_status, "deleted")
        self.assertIn("no longer lists this order", sale.message_ids[0].body)
        self.assertNotEqual(sale.state, "cancel", "nothing is cancelled in Odoo")
        others = self.sale_orders() - sale
        self.assertNotIn("deleted", others.mapped("wc_status"))
        # Found once: the next history import does not note it again.
        self.sync(self.history)
        self.assertEqual(self.runs(kind="history")[-1].gone, 0)
