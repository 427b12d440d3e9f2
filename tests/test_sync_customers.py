"""The customers sync on a store whose /customers has no date filters: new accounts by id, a weekly full reconcile."""

from datetime import datetime, timedelta, timezone

from freezegun import freeze_time

from odoo.tests import tagged

from .sync_fixtures import SyncCase


@tagged("post_install", "-at_install")
class TestSyncCustomers(SyncCase):
    def setUp(self):
        super().setUp()
        # The first run of a store reads every customer (the first reconcile).
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        self.emulated.request_log.clear()

    def later(self, **delta):
        """Odoo's (and the store's) clock moved on, without waiting for it."""
        return freeze_time(datetime.now(timezone.utc) + timedelta(**delta), tick=True)

    def customer_gets(self):
        """The store's answers to GET /customers (the listings), with their parameters."""
        return [entry for entry in self.emulated.request_log
                if entry.method == "GET" and entry.path.rstrip("/").endswith("/customers")]

    def store_customer_ids(self):
        return sorted(self.emulated.data.customers)

    def linked_ids(self):
        return sorted(self.env["wc.customer.link"].search([("store_id", "=", self.store.id)]).mapped("wc_customer_id"))

    def test_the_first_run_reads_every_customer_once(self):
        [run] = self.runs(entity="customer")
        self.assertEqual((run.kind, run.state, run.total), ("reconcile", "done", len(self.store_customer_ids())))
        self.assertEqual(self.linked_ids(), self.store_customer_ids())
        self.assertEqual(self.store.wc_customers_last_id, max(self.store_customer_ids()))
        self.assertEqual(self.store.wc_customers_reconciled, run.window_end)
        self.assertEqual(self.store.wc_customers_cursor, run.window_end)

    def test_a_cron_run_with_known_customers_costs_one_get_when_nothing_is_new(self):
        with self.later(minutes=1):
            self.sync(self.env["wc.store"]._cron_sync_all_stores)
        [get] = self.customer_gets()
        # Newest accounts first; no date filter (the store's /customers would ignore it and list everyone).
        self.assertEqual((get.params["orderby"], get.params["order"], get.params["role"]), ("id", "desc", "all"))
        self.assertFalse({"modified_after", "after", "dates_are_gmt"} & set(get.params))
        run = self.runs(entity="customer")[-1]
        self.assertEqual((run.kind, run.state, run.requests, run.done, run.total), ("cron", "done", 1, 0, 0))

    def test_a_new_account_arrives_on_the_next_run(self):
        new = self.emulated.customers.create_customer(
            {"email": "neu.kundin@example.de", "first_name": "Nora", "last_name": "Neumann"})
        self.assertGreater(new["id"], self.store.wc_customers_last_id)
        with self.later(minutes=1):
            self.sync(self.env["wc.store"]._cron_sync_all_stores)
        run = self.runs(entity="customer")[-1]
        self.assertEqual((run.kind, run.created, run.unchanged, run.requests), ("cron", 1, 0, 1))
        self.assertIn(new["id"], self.linked_ids())
        link = self.env["wc.customer.link"].search([("store_id", "=", self.store.id), ("wc_customer_id", "=", new["id"])])
        self.assertEqual(link.partner_id.name, "Nora Neumann")
        self.assertEqual(self.store.wc_customers_last_id, new["id"])

    def test_new_accounts_over_several_pages_all_arrive(self):
        new_ids = [
            self.emulated.customers.create_customer({"email": f"kunde{n}@example.de", "first_name": f"Kunde {n}"})["id"]
            for n in range(self.PAGE_SIZE + 2)
        ]
        with self.later(minutes=1):
            self.sync(self.store.action_sync_now)
        run = self.runs(entity="customer")[-1]
        self.assertEqual((run.kind, run.created, run.unchanged, run.requests), ("sync_now", len(new_ids), 0, 2))
        self.assertEqual(self.linked_ids(), self.store_customer_ids())

    def test_a_full_reconcile_applies_a_changed_customer(self):
        self.store.customer_master = "store"
        changed = next(c for c in self.emulated.data.customers.values() if c["role"] == "customer")
        # Changed in the store, and the customer.updated webhook never arrived.
        self.emulated.touch_customer(changed["id"], last_name="Umbenannt")
        with self.later(minutes=1):
            self.sync(self.env["wc.store"]._cron_sync_all_stores)
        self.assertEqual(self.runs(entity="customer")[-1].updated, 0, "new accounts only: the change waits")

        self.emulated.request_log.clear()
        with self.later(minutes=2):
            self.sync(self.store.action_sync_all_customers)
        run = self.runs(entity="customer")[-1]
        total = len(self.store_customer_ids())
        self.assertEqual((run.kind, run.state, run.total), ("reconcile", "done", total))
        self.assertEqual((run.created, run.updated, run.unchanged, run.failed), (0, 1, total - 1, 0))
        self.assertEqual(run.requests, -(-total // self.PAGE_SIZE))
        gets = self.customer_gets()
        self.assertEqual({(get.params["orderby"], get.params["order"]) for get in gets}, {("id", "asc")})
        link = self.env["wc.customer.link"].search([("store_id", "=", self.store.id), ("wc_customer_id", "=", changed["id"])])
        self.assertIn("Umbenannt", link.partner_id.name)

    def test_the_cron_reconciles_every_customer_once_a_week(self):
        with self.later(days=6, hours=23):
            self.sync(self.env["wc.store"]._cron_sync_all_stores)
        self.assertEqual(self.runs(entity="customer")[-1].kind, "cron")
        with self.later(days=7, minutes=1):
            self.sync(self.env["wc.store"]._cron_sync_all_stores)
        run = self.runs(entity="customer")[-1]
        self.assertEqual((run.kind, run.unchanged), ("reconcile", len(self.store_customer_ids())))
        self.assertEqual(self.store.wc_customers_reconciled, run.window_end)

    def test_a_failed_customer_is_logged_and_its_retry_imports_it(self):
        new = self.emulated.customers.create_customer({"email": "kaputt@example.de", "first_name": "Karl"})
        new["is_paying_customer"] = "maybe"
        with self.later(minutes=1):
            self.sync(self.env["wc.store"]._cron_sync_all_stores)
        run = self.runs(entity="customer")[-1]
        self.assertEqual((run.state, run.created, run.failed), ("done", 0, 1))
        self.assertNotIn(new["id"], self.linked_ids())
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("state", "=", "failed")])
        self.assertEqual((log.entity, log.wc_id), ("customer", new["id"]))
        self.assertIn("is_paying_customer", log.reason)

        # Retried before the cause is fixed: still failed, with the reason.
        log.action_retry()
        self.assertEqual(log.state, "failed")
        self.assertIn("is_paying_customer", log.reason)

        # Fixed in the store: Retry reads the customer again (the kept payload is evidence only).
        new["is_paying_customer"] = False
        action = self.env.ref("woocommerce_connector.wc_sync_log_action_retry")
        action.with_context(active_model="wc.sync.log", active_ids=log.ids, active_id=log.id).run()
        self.assertEqual(log.state, "done")
        self.assertIn(new["id"], self.linked_ids())

    def test_a_customer_that_imports_later_closes_its_log_entry(self):
        bad = next(c for c in self.emulated.data.customers.values() if c["role"] == "customer")
        good = bad["is_paying_customer"]
        bad["is_paying_customer"] = "maybe"
        with self.later(minutes=1):
            self.sync(self.store.action_sync_all_customers)
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("state", "=", "failed")])
        self.assertEqual(log.wc_id, bad["id"])
        bad["is_paying_customer"] = good
        with self.later(minutes=2):
            self.sync(self.store.action_sync_all_customers)
        self.assertEqual(log.state, "done")
