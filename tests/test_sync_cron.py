"""The incremental sync: cron, Sync now and history import read every order once, and the cursor only moves after apply."""

from datetime import date, datetime, timedelta, timezone

from freezegun import freeze_time

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.wc_import_lock import advisory_lock_key
from ..models.wc_store_sync import LOCK_RETRY_SECONDS
from .sync_fixtures import SyncCase


def gmt(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@tagged("post_install", "-at_install")
class TestSyncCron(SyncCase):
    def a_minute_later(self):
        """Odoo's (and the store's) clock a minute ahead: the next cron tick, without waiting for it."""
        return freeze_time(datetime.now(timezone.utc) + timedelta(minutes=1), tick=True)

    def naive_modified_paging(self, per_page):
        """What paging by ``orderby=modified`` (the usual connector's way) reads from the store: ids, in order."""
        client = self.store._client()
        try:
            params = {"orderby": "modified", "order": "asc", "modified_after": "2000-01-01T00:00:00",
                      "dates_are_gmt": "true", "status": "any"}
            return [o["id"] for page in client.iter_pages("orders", params, per_page=per_page) for o in page.records]
        finally:
            client.close()

    # -- paging ----------------------------------------------------------------------------

    def test_orders_sharing_a_modified_second_across_a_page_boundary_all_arrive(self):
        orders = sorted(self.store_orders().values(), key=lambda o: (o["date_modified_gmt"], o["id"]))
        # Positions 3..6 share one second: the tie group crosses the boundary of the 5-record pages.
        shared = orders[3]
        for order in orders[4:7]:
            order["date_modified"], order["date_modified_gmt"] = shared["date_modified"], shared["date_modified_gmt"]
        naive = self.naive_modified_paging(self.PAGE_SIZE)
        self.assertLess(len(set(naive)), len(orders), "the store must lose a record to naive paging here")
        self.assertGreater(len(naive), len(set(naive)), "...and show another one twice")

        self.sync(self.env["wc.store"]._cron_sync_all_stores)

        self.assertEqual(self.imported_ids(), sorted(self.store_orders()))
        [run] = self.runs(entity="order")
        self.assertEqual((run.state, run.kind, run.created, run.failed), ("done", "cron", len(orders), 0))
        self.assertEqual(run.total, len(orders))

    def test_records_leaving_the_window_while_it_is_read_skip_nothing(self):
        first_page = sorted(self.store_orders())[: self.PAGE_SIZE]
        listings = []

        def touch_after_the_first_page(method, path, query):
            if method == "GET" and path.endswith("/orders") and "offset" in query:
                listings.append(query["offset"])
                if len(listings) == 2:
                    # The store modifies an order of the page just read: it leaves the window, the later ones move up.
                    self.emulated.touch_order(first_page[0], customer_note="Please ring twice")

        self.emulated.request_hooks.append(touch_after_the_first_page)
        self.addCleanup(self.emulated.request_hooks.clear)
        self.store.action_sync_now()
        order_run = self.runs(entity="order")
        self.run_jobs()
        self.assertEqual(listings[:3], [str(0), str(self.PAGE_SIZE), str(self.PAGE_SIZE - 1)],
                         "the reader steps back by the record that left")
        self.assertEqual(self.imported_ids(), sorted(self.store_orders()))
        self.assertEqual(order_run.state, "done")
        # The next run, a minute later, reads the modified order (its new date is after the first window).
        with self.a_minute_later():
            self.sync(self.store.action_sync_now)
        last = self.runs(entity="order")[-1]
        self.assertEqual(last.updated, 1)
        sale = self.sale_orders().filtered(lambda s: s.wc_order_id == first_page[0])
        self.assertEqual(sale.wc_customer_note, "Please ring twice")

    # -- cursor ------------------------------------------------------------------------------

    def test_cursor_moves_to_the_window_end_only_after_the_last_page_is_applied(self):
        self.env["wc.store"]._cron_sync_all_stores()
        order_run = self.runs(entity="order")
        while not order_run.done:
            self.run_jobs(limit=1)
        self.assertEqual(len(order_run.page_ids), 3, "the reader planned the window's three pages")
        self.assertIn(order_run.done, (self.PAGE_SIZE, len(self.store_orders()) % self.PAGE_SIZE), "one page applied")
        self.assertFalse(self.store.wc_orders_cursor, "one page applied of three: the cursor stays")
        self.assertEqual(order_run.state, "running")
        self.run_jobs()
        self.assertEqual(self.store.wc_orders_cursor, order_run.window_end)
        self.assertEqual(self.store.wc_customers_cursor, self.runs(entity="customer").window_end)
        self.assertEqual((order_run.state, order_run.created, order_run.pages), ("done", len(self.store_orders()), 3))
        self.assertFalse(order_run.page_ids, "applied pages are not kept")

    def test_pages_of_a_window_are_imported_by_jobs_that_may_run_at_once(self):
        self.store.action_sync_now()
        order_run = self.runs(entity="order")
        while not order_run.page_ids:
            self.run_jobs(limit=1)
        pages = order_run.page_ids.sorted("sequence")
        # The reader read the first page and planned the others; each further page has a read job after the
        # previous one, and each page an import job that waits only for its page's reading.
        self.assertEqual(pages.mapped("state"), ["pending", "to_read", "to_read"])
        jobs = self.env["queue.job"].search([("uuid", "in", pages.mapped("job_uuid") + pages.mapped("read_job_uuid"))])
        by_uuid = {job.uuid: job for job in jobs}
        imports = [by_uuid[page.job_uuid] for page in pages]
        reads = [by_uuid[page.read_job_uuid] for page in pages[1:]]
        closing = self.env["queue.job"].search([("uuid", "=", order_run.job_uuid)])
        self.assertEqual([job.state for job in imports], ["pending", "wait_dependencies", "wait_dependencies"])
        self.assertEqual([job.state for job in reads], ["pending", "wait_dependencies"])
        self.assertEqual(reads[1].dependencies["depends_on"], [reads[0].uuid])
        for page_import, read in zip(imports[1:], reads):
            self.assertEqual(page_import.dependencies["depends_on"], [read.uuid])
        self.assertEqual((closing.state, closing.method_name), ("wait_dependencies", "_wc_job_close_run"))
        self.assertEqual(set(closing.dependencies["depends_on"]), {job.uuid for job in imports})
        self.assertEqual(len({job.graph_uuid for job in [*imports, *reads, closing]}), 1)
        # A page's records are kept once, in its row, not in the job's arguments.
        self.assertEqual([job.args[0] for job in imports], pages.ids)
        # Reading goes first (a smaller priority): once the window is read every import job is ready at once.
        while pages.filtered(lambda page: page.state == "to_read"):
            self.run_jobs(limit=1)
        self.env.invalidate_all()
        self.assertEqual([job.state for job in imports], ["pending"] * 3)
        self.assertTrue(all(pages.mapped("prepared")), "the read jobs found or created every page's buyers")

    def test_a_page_another_job_is_importing_tries_again_within_seconds_without_spending_a_try(self):
        self.store.action_sync_now()
        order_run = self.runs(entity="order")
        while not order_run.page_ids:
            self.run_jobs(limit=1)
        page = order_run.page_ids.sorted("offset")[0]
        first = page._wc_records()[0]["id"]
        # Another worker holds the import lock of an order of the page (a session lock, on its own connection).
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_lock(%s)", [advisory_lock_key("wc.order", self.store.id, first)])
            try:
                # The refused statement is logged as a bad query: expected here.
                with mute_logger("odoo.sql_db"), self.assertRaises(RetryableJobError) as refused:
                    self.store._wc_job_import_page(page.id)
            finally:
                other.execute("SELECT pg_advisory_unlock_all()")
        self.assertTrue(refused.exception.ignore_retry, "a refusal by another job's lock is no failed try")
        self.assertTrue(LOCK_RETRY_SECONDS[0] <= refused.exception.seconds <= LOCK_RETRY_SECONDS[1])
        self.run_jobs()
        self.assertEqual((order_run.state, order_run.created), ("done", len(self.store_orders())))

    def test_a_page_that_fails_for_good_fails_its_run_and_leaves_the_cursor(self):
        self.env["wc.store"]._cron_sync_all_stores()
        order_run = self.runs(entity="order")
        while not order_run.page_ids:
            self.run_jobs(limit=1)
        page_job = self.env["queue.job"].search([("uuid", "=", order_run.page_ids[:1].job_uuid)])
        page_job.write({"state": "failed", "exc_message": "The store's page could not be applied."})
        self.env["wc.sync.run"]._wc_reap(self.store.ids)
        self.assertEqual((order_run.state, order_run.error), ("failed", "The store's page could not be applied."))
        self.assertFalse(self.store.wc_orders_cursor)
        self.assertFalse(order_run.page_ids, "a failed run keeps no store data; the next run reads the window again")
        self.assertEqual(self.env["queue.job"].search([("uuid", "=", order_run.job_uuid)]).state, "cancelled")

    def test_a_second_cron_run_imports_nothing_and_reads_one_page(self):
        self.store.wc_sync_page_size = 100
        before = self.order_gets()
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        self.assertEqual(self.order_gets() - before, 1, "12 orders: one GET of 100")
        first_cursor = self.store.wc_orders_cursor

        before = self.order_gets()
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        second = self.runs(entity="order")[-1]
        self.assertEqual(self.order_gets() - before, 1)
        self.assertEqual((second.created, second.updated, second.total), (0, 0, 0))
        self.assertGreaterEqual(self.store.wc_orders_cursor, first_cursor)
        # The window started the overlap before the last cursor.
        self.assertEqual(second.window_start, first_cursor - timedelta(minutes=5))

    def test_changes_webhooks_missed_arrive_with_the_next_run(self):
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        # A customer deletion turns their orders into guest orders (new date_modified, no webhook).
        registered = next(o for o in self.store_orders().values() if o["customer_id"])
        self.emulated.touch_order(registered["id"], customer_id=0)
        with self.a_minute_later():
            self.sync(self.env["wc.store"]._cron_sync_all_stores)
        run = self.runs(entity="order")[-1]
        self.assertEqual((run.updated, run.created), (1, 0))
        self.assertEqual(self.sale_orders().filtered(lambda s: s.wc_order_id == registered["id"]).wc_date_modified,
                         gmt(self.emulated.data.orders[registered["id"]]["date_modified_gmt"]).replace(tzinfo=None))

    def test_a_run_in_progress_is_not_started_twice(self):
        self.env["wc.store"]._cron_sync_all_stores()
        self.env["wc.store"]._cron_sync_all_stores()
        self.store.action_sync_now()
        self.assertEqual(len(self.runs()), 2)  # one for customers, one for orders
        jobs = self.queued_jobs()
        self.assertEqual(len(jobs), 2, jobs.mapped("name"))
        self.assertEqual(set(jobs.mapped("method_name")), {"_wc_job_read_run"})
        self.assertEqual(jobs[-1].identity_key, f"wc.store({self.store.id}).sync.order.run({self.runs(entity='order').id}).read")
        self.assertEqual(self.runs(entity="order").job_uuid, jobs[-1].uuid)

    # -- Sync now, history ---------------------------------------------------------------------

    def test_sync_now_from_the_store_and_from_settings(self):
        self.sync(self.store.action_sync_now)
        self.assertEqual(self.imported_ids(), sorted(self.store_orders()))
        self.assertEqual(self.runs(entity="order").mapped("kind"), ["sync_now"])
        # A store's first customers run reads every customer (its first reconcile).
        self.assertEqual(self.runs(entity="customer").mapped("kind"), ["reconcile"])
        self.env["res.config.settings"].create({}).action_wc_sync_now()
        self.assertEqual(len(self.queued_jobs()), 2)

    def test_history_import_of_a_date_range_shows_its_progress(self):
        orders = sorted(self.store_orders().values(), key=lambda o: o["id"])
        created = sorted(gmt(o["date_created_gmt"]) for o in orders)
        since, until = created[2], created[9]  # the 3rd to the 9th order created: 7 orders
        run = self.store._wc_import_history(since, until)
        self.run_jobs(limit=3)  # the reader, the read job of page 2, and the import of one page (5 orders, or 2)
        self.assertEqual((run.state, run.total), ("running", 7))
        self.assertIn(run.done, (5, 2))
        self.store.invalidate_recordset()
        self.assertEqual((self.store.wc_sync_done, self.store.wc_sync_total, self.store.wc_sync_failed),
                         (run.done, 7, 0))
        self.assertTrue(self.store.wc_sync_running)
        self.run_jobs()
        self.store.invalidate_recordset()
        self.assertEqual((run.state, run.created, run.kind), ("done", 7, "history"))
        self.assertEqual(len(self.sale_orders()), 7)
        self.assertFalse(self.store.wc_sync_running)
        self.assertEqual(self.store.wc_sync_progress, 100.0)
        self.assertFalse(self.store.wc_orders_cursor, "a history import moves no cursor")

    def test_history_wizard_imports_the_days_it_is_given(self):
        first = min(gmt(o["date_created_gmt"]) for o in self.store_orders().values())
        wizard = self.env["wc.history.wizard"].create(
            {"store_id": self.store.id, "date_from": first.date(), "date_to": date.today()}
        )
        self.sync(wizard.action_import)
        self.assertEqual(self.imported_ids(), sorted(self.store_orders()))
        [run] = self.runs(kind="history")
        self.assertEqual((run.window_start, run.state), (datetime.combine(first.date(), datetime.min.time()), "done"))
