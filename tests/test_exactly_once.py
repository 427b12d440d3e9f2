"""Exactly once (issue 4): two real transactions importing one store order at the same moment.

A webhook job and the cron's page job (or two workers) may apply the same
order at once. Each test here runs the imports in their own PostgreSQL
transactions (real cursors, committed, in two threads) and then counts what
the database holds: one sale order, one posted invoice, one payment, one
partner per buyer and one store-customer link.

Why it takes more than a lock: Odoo's transactions are REPEATABLE READ, so a
transaction keeps the view of the database it had at its first query. A
transaction that gets the lock after the other one committed (it started
before that commit) does not see the sale order just made and would make a
second one, or fail on ``UNIQUE(wc_store_id, wc_order_id)`` after creating the
partner again. ``wc.import.lock`` (models/wc_import_lock.py) makes PostgreSQL
refuse such a transaction with a serialization failure, retried like a held
lock. The tests start both transactions *before* either imports (a barrier
after their first query), so the loser always works from a stale view: the
tests fail if that loser is not refused at least once.

The data both transactions need (store, taxes, gateways) is committed in
``setUpClass``; everything the class committed is deleted again at the end
(:meth:`TestExactlyOnce._delete_committed`), since the suite shares one
database.
"""

import json
import threading
import time
from datetime import datetime, timezone
from unittest.mock import patch

from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import DummyRLock, Registry

try:
    from odoo.api import Transaction  # Odoo 18
except ImportError:
    from odoo.orm.environments import Transaction  # Odoo 19
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .common import ensure_currency_rate
from .order_fixtures import capture_body, connected_store_values, order_body, serve_captured_store

PAGE = "orders_list_p2_with_headers.json"

#: How often a transaction is run again after a concurrency refusal (queue_job would go on every 5 s).
ATTEMPTS = 40

#: What the class may commit, in the order it can be deleted again (dependents first).
COMMITTED_MODELS = (
    "queue.job",
    "wc.sync.page",
    "wc.sync.run",
    "account.payment.register",
    "account.payment",
    "account.move",
    "sale.order",
    "stock.picking",
    "stock.move",
    "procurement.group",  # Odoo 18
    "stock.reference",  # Odoo 19 (models this Odoo lacks are left out)
    "wc.store",
    "account.journal",
    "account.account",
    "account.tax",
    "account.tax.group",
    "product.product",
    "product.template",
    "res.partner",
    "res.partner.category",
    "product.pricelist",
    "ir.sequence",
    "wc.import.lock",
    "res.currency.rate",
)


def environment(registry, cr):
    """A superuser environment on ``cr``, bound to ``registry`` (looking the registry up by name would wait for
    the lock the test runner holds while it runs the tests)."""
    cr.transaction = Transaction(registry)
    return api.Environment(cr, SUPERUSER_ID, {})


def run_like_a_job(registry, work, barrier=None):
    """Run ``work(env)`` in its own committed transaction; run it again while the database refuses it.

    What queue_job does with a job: a concurrency error from PostgreSQL (a
    held lock, a serialization failure) or a RetryableJobError rolls the
    transaction back and the job runs again in a new one. ``barrier``: wait
    for the other transaction once this one has its snapshot (first attempt
    only), so both start before either commits. Returns ``(result, refusals)``.
    """
    refusals = []
    for attempt in range(ATTEMPTS):
        try:
            with registry.cursor() as cr:
                env = environment(registry, cr)
                # The snapshot is taken here, as a job's is when queue_job loads it.
                cr.execute("SELECT 1")
                if barrier and not attempt:
                    barrier.wait(timeout=60)
                return work(env), refusals
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            refusals.append(error.pgcode)
        except RetryableJobError as error:
            refusals.append(str(error))
        time.sleep(0.05 * (attempt + 1))
    raise AssertionError(f"still refused after {ATTEMPTS} attempts: {refusals[-3:]}")


def race(registry, *works):
    """Run each ``work(env)`` like a job in a thread of its own, all started together; ``[(result, refusals)]``."""
    barrier = threading.Barrier(len(works))
    outcomes = [None] * len(works)

    def run(index, work):
        try:
            outcomes[index] = run_like_a_job(registry, work, barrier)
        except BaseException as error:  # noqa: BLE001 - reported by the test thread
            barrier.abort()
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(index, work)) for index, work in enumerate(works)]
    # Refusals are expected; the bad-query log of the refused statements is not an error here.
    # The test runner holds the registry lock for the whole run; Odoo 19 opens environments on new cursors in
    # post-commit hooks (account's partner ranks), which look the registry up by name and would wait for that
    # lock forever. Odoo's own test mode lifts the lock the same way for the threads of its HTTP tests.
    with mute_logger("odoo.sql_db"), patch.object(Registry, "_lock", DummyRLock()):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("the racing transactions did not finish in 2 minutes")
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


@tagged("post_install", "-at_install")
class TestExactlyOnce(TransactionCase):
    """Nothing here writes through ``self.env``: its transaction would not see the commits of the races."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emulated = serve_captured_store(cls)
        with cls.registry.cursor() as cr:
            env = environment(cls.registry, cr)
            cls.marks = {}
            cls.committed_models = [model for model in COMMITTED_MODELS if model in env]
            for model in cls.committed_models:
                cr.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{env[model]._table}"')  # noqa: S608 - model tables
                cls.marks[model] = cr.fetchone()[0]
            company = env.company
            cls.company_id, cls.rounding = company.id, company.tax_calculation_rounding_method
        cls.addClassCleanup(cls._delete_committed)
        with cls.registry.cursor() as cr:
            env = environment(cls.registry, cr)
            ensure_currency_rate(env)  # committed, and deleted again with the other committed records
            store = env["wc.store"].create(
                # Done stock moves could not be deleted again; delivery is not what these tests count.
                connected_store_values(cls.emulated, name="Exactly Once Shop", wc_validate_delivery=False)
            )
            store.action_setup_from_store()
            store._wc_setup_gateways(capture_body("payment_gateways.json"))
            cls.store_id = store.id

    @classmethod
    def _delete_committed(cls):
        """Delete every record of ``COMMITTED_MODELS`` made since ``setUpClass``, undoing what blocks deletion."""
        with cls.registry.cursor() as cr:
            env = environment(cls.registry, cr)(context={"active_test": False, "force_delete": True})
            for model in cls.committed_models:
                records = env[model].search([("id", ">", cls.marks[model])])
                if not records:
                    continue
                if model == "account.payment":
                    records.filtered(lambda payment: payment.state != "draft").action_draft()
                elif model == "account.move":
                    records.filtered(lambda move: move.state != "draft").button_draft()
                elif model == "sale.order":
                    records.with_context(disable_cancel_warning=True).action_cancel()
                elif model == "stock.picking":
                    records.action_cancel()
                elif model == "stock.move":
                    records._action_cancel()
                records.unlink()
            env["res.company"].browse(cls.company_id).tax_calculation_rounding_method = cls.rounding

    # -- reading what was committed ----------------------------------------------------------------

    def committed(self):
        """An environment on a fresh transaction: it sees what the races committed."""
        cr = self.registry.cursor()
        self.addCleanup(cr.close)
        return environment(self.registry, cr)

    def assert_once(self, env, wc_order_id, email, wc_customer_id=None):
        """One sale order, one posted invoice, one payment, one partner for ``email`` (and one customer link)."""
        sales = env["sale.order"].search([("wc_store_id", "=", self.store_id), ("wc_order_id", "=", wc_order_id)])
        self.assertEqual(len(sales), 1, f"sale orders of store order {wc_order_id}")
        invoices = sales.invoice_ids.filtered(lambda move: move.move_type == "out_invoice")
        self.assertEqual(len(invoices), 1, f"invoices of store order {wc_order_id}")
        self.assertEqual(invoices.state, "posted")
        self.assertEqual(invoices.amount_total, sales.wc_total)
        payments = env["account.payment"].search(
            [("wc_store_id", "=", self.store_id), ("wc_order_id", "=", wc_order_id)]
        )
        self.assertEqual(len(payments), 1, f"payments of store order {wc_order_id}")
        self.assertIn(invoices.payment_state, ("paid", "in_payment"))
        partners = env["res.partner"].with_context(active_test=False).search([("email", "=ilike", email)])
        self.assertEqual(len(partners.commercial_partner_id), 1, f"customers with email {email}")
        self.assertEqual(sales.partner_id.commercial_partner_id, partners.commercial_partner_id)
        if wc_customer_id:
            links = env["wc.customer.link"].search(
                [("store_id", "=", self.store_id), ("wc_customer_id", "=", wc_customer_id)]
            )
            self.assertEqual(len(links), 1, f"links of store customer {wc_customer_id}")
        return sales

    def assert_one_sale_order_per_store_order(self, env):
        groups = env["sale.order"]._read_group([("wc_store_id", "=", self.store_id)], ["wc_order_id"], ["__count"])
        self.assertTrue(groups)
        self.assertEqual({wc_id: count for wc_id, count in groups if count != 1}, {})

    def importing(self, *payloads):
        def work(env):
            return env["wc.store"].browse(self.store_id)._wc_import_orders(list(payloads))

        return work

    # -- the races -------------------------------------------------------------------------------------

    def test_two_transactions_importing_the_same_paid_orders_make_each_once(self):
        # 79: store customer 9, completed and paid by cheque; 80: a guest, completed, cash on delivery.
        page = [order_body(PAGE, 79), order_body(PAGE, 80)]
        (first, first_refusals), (second, second_refusals) = race(
            self.registry, self.importing(*page), self.importing(*reversed(page))
        )
        # One of them applied both orders; the other, refused and run again, found them applied.
        self.assertEqual(sorted([first["created"], second["created"]]), [0, 2])
        self.assertEqual(first["failed"] + second["failed"], 0)
        self.assertEqual(sorted([bool(first_refusals), bool(second_refusals)]), [False, True])
        env = self.committed()
        self.assert_once(env, 79, "ivan.petrov@example.ru", wc_customer_id=9)
        self.assert_once(env, 80, "hanna.nowak@example.pl")
        self.assert_one_sale_order_per_store_order(env)
        self.assertFalse(
            env["wc.sync.log"].search([("store_id", "=", self.store_id), ("state", "=", "failed")]),
            "a refusal is a retry, not an order's failure",
        )

    def test_a_transaction_that_started_before_the_other_committed_is_refused(self):
        # No lock is held any more when the late one arrives: its stale snapshot is the whole danger.
        payload = order_body(PAGE, 81)
        with self.registry.cursor() as late_cr:
            late = environment(self.registry, late_cr)
            late_cr.execute("SELECT 1")  # its snapshot: before the other transaction's commit
            run_like_a_job(self.registry, self.importing(payload))
            # What a lock alone would leave it with: it cannot see the sale order just committed.
            self.assertFalse(
                late["sale.order"].search([("wc_store_id", "=", self.store_id), ("wc_order_id", "=", 81)])
            )
            with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
                late["wc.store"].browse(self.store_id)._wc_import_orders([payload])
            late_cr.rollback()
        # Run again, as queue_job does, it sees the order and leaves it alone.
        result, refusals = run_like_a_job(self.registry, self.importing(payload))
        self.assertEqual((result["created"], result["unchanged"], refusals), (0, 1, []))
        env = self.committed()
        self.assert_once(env, 81, "ali.rezaei@example.ir", wc_customer_id=11)

    def test_a_webhook_job_and_the_cron_job_apply_one_order_once(self):
        # The cron's window [14:50:47, 14:50:48) holds the orders modified in that second, 83 among them.
        since, until = (datetime(2026, 11, 23, 14, 50, second, tzinfo=timezone.utc) for second in (47, 48))
        with self.registry.cursor() as cr:
            store = environment(self.registry, cr)["wc.store"].browse(self.store_id)
            run_id = store._wc_start_run("order", "cron", since, until).id
        payload = order_body(PAGE, 83)

        def cron_job(env):
            # The run's three jobs in one transaction: read the window, import its one page, close.
            store = env["wc.store"].browse(self.store_id)
            store._wc_job_read_run("order", since.isoformat(), until.isoformat(), run_id)
            store._wc_job_import_page(env["wc.sync.page"].search([("run_id", "=", run_id)]).id)
            return store._wc_job_close_run(run_id)

        def webhook_job(env):
            return env["wc.store"].browse(self.store_id)._wc_job_process_delivery("order.updated", 83, payload)

        (_cron, cron_refusals), (_webhook, webhook_refusals) = race(self.registry, cron_job, webhook_job)
        # They really raced: the database refused at least one. Both may be refused once — the cron's read job
        # locks the page's buyer before its import locks the order, the webhook job the other way round, so
        # each can hold what the other tries; both roll back and run again, and the result is the same.
        self.assertTrue(cron_refusals or webhook_refusals)
        env = self.committed()
        self.assert_once(env, 83, "sophie.wagner@example.de", wc_customer_id=13)
        self.assert_one_sale_order_per_store_order(env)
        self.assertEqual(env["wc.sync.run"].browse(run_id).state, "done")

    def test_two_orders_bringing_one_new_product_at_once_create_it_once(self):
        # Two different guest orders, each with a line of a store product Odoo does not have yet.
        def order_with_new_product(wc_id, email):
            payload = json.loads(json.dumps(order_body(PAGE, 80)))
            payload.update(id=wc_id, number=str(wc_id))
            payload["billing"]["email"] = email
            payload["line_items"][0].update(product_id=99001, variation_id=0, sku="RACE-SKU-1")
            return payload

        (first, first_refusals), (second, second_refusals) = race(
            self.registry,
            self.importing(order_with_new_product(90001, "race.one@example.com")),
            self.importing(order_with_new_product(90002, "race.two@example.com")),
        )
        self.assertEqual((first["created"], second["created"], first["failed"] + second["failed"]), (1, 1, 0))
        self.assertEqual(sorted([bool(first_refusals), bool(second_refusals)]), [False, True])
        env = self.committed()
        links = env["wc.product.link"].search([("store_id", "=", self.store_id), ("wc_product_id", "=", 99001)])
        self.assertEqual(len(links), 1)
        self.assertEqual(env["product.product"].search_count([("default_code", "=", "RACE-SKU-1")]), 1)
        sales = env["sale.order"].search([("wc_store_id", "=", self.store_id), ("wc_order_id", "in", [90001, 90002])])
        self.assertEqual(sales.order_line.filtered(lambda line: line.product_id.default_code == "RACE-SKU-1").product_id, links.product_id)

    def test_two_import_jobs_of_one_window_with_shared_buyers_run_at_once_without_a_lock_refusal(self):
        # A second store on the same shop (its sale orders are its own), whose window holds the whole shop,
        # read in pages of half of it: two import jobs, run at once by two workers. Repeat buyers (same
        # email) have orders in both halves: before the read jobs resolved each page's buyers, the second
        # job was refused by the first one's customer locks and the pages ran one after the other.
        with self.registry.cursor() as cr:
            env = environment(self.registry, cr)
            store = env["wc.store"].create(connected_store_values(
                self.emulated, name="Two Workers Shop", wc_validate_delivery=False,
                wc_sync_page_size=-(-len(self.emulated.data.orders) // 2)))
            store.action_setup_from_store()
            store._wc_setup_gateways(capture_body("payment_gateways.json"))
            store_id = store.id
            run = store._wc_start_run("order", "sync_now", None, datetime.now(timezone.utc).replace(microsecond=0))
            run_id = run.id
            # The run's read jobs, as the channel runs them: the reader (page 1), then page 2's.
            store._wc_job_read_run("order", None, run.window_end.replace(tzinfo=timezone.utc).isoformat(), run_id)
            pages = env["wc.sync.page"].search([("run_id", "=", run_id)], order="sequence")
            self.assertEqual(len(pages), 2)
            store._wc_job_read_page(pages[1].id)
            self.assertEqual(pages.mapped("state"), ["pending", "pending"])
            self.assertTrue(all(pages.mapped("prepared")), "each page's buyers were resolved when it was read")
            page_ids, total = pages.ids, run.total
            emails = [{order["billing"]["email"].lower() for order in page._wc_records() if order["billing"]["email"]}
                      for page in pages]
            shared = emails[0] & emails[1]
            self.assertTrue(shared, "buyers with orders in both pages")
            closing = env["queue.job"].search([("uuid", "=", run.job_uuid)])
            # The closing job waits for both import jobs; each import job waits only for its page's reading.
            self.assertEqual(closing.state, "wait_dependencies")
            self.assertEqual(set(closing.dependencies["depends_on"]), set(pages.mapped("job_uuid")))

        def importing_page(page_id):
            return lambda env: env["wc.store"].browse(store_id)._wc_job_import_page(page_id)

        outcomes = race(self.registry, importing_page(page_ids[0]), importing_page(page_ids[1]))
        self.assertEqual([refusals for _result, refusals in outcomes], [[], []], "no import job waited for the other")
        run_like_a_job(self.registry, lambda env: env["wc.store"].browse(store_id)._wc_job_close_run(run_id))
        env = self.committed()
        groups = env["sale.order"]._read_group([("wc_store_id", "=", store_id)], ["wc_order_id"], ["__count"])
        self.assertEqual({wc_id: count for wc_id, count in groups if count != 1}, {}, "one sale order per order")
        for email in shared:
            # One individual per email, and within a company one contact person per email.
            people = env["res.partner"].with_context(active_test=False).search(
                [("email", "=ilike", email), ("type", "=", "contact"), ("is_company", "=", False)])
            self.assertTrue(people)
            self.assertEqual(len(people), len(people.parent_id) + (1 if people.filtered(lambda p: not p.parent_id) else 0),
                             f"a duplicate partner for {email}")
        run = env["wc.sync.run"].browse(run_id)
        self.assertEqual((run.state, run.created + run.failed), ("done", total))
        self.assertEqual(len(groups), run.created)
        self.assertFalse(env["wc.sync.page"].search([("run_id", "=", run_id)]), "the pages are dropped once applied")
        self.assertEqual(env["wc.store"].browse(store_id).wc_orders_cursor, run.window_end)

    def test_two_orders_linking_one_product_found_by_sku_at_once_link_it_once(self):
        # Odoo has the product (by SKU) but no link to the store's product yet: both imports would link it.
        with self.registry.cursor() as cr:
            environment(self.registry, cr)["product.product"].create(
                {"name": "Race Lamp", "default_code": "RACE-SKU-2", "type": "consu"})

        def order_with_known_sku(wc_id, email):
            payload = json.loads(json.dumps(order_body(PAGE, 80)))
            payload.update(id=wc_id, number=str(wc_id))
            payload["billing"]["email"] = email
            payload["line_items"] = payload["line_items"][:1]
            payload["line_items"][0].update(product_id=99002, variation_id=0, sku="RACE-SKU-2")
            return payload

        (first, _), (second, _) = race(
            self.registry,
            self.importing(order_with_known_sku(90003, "race.three@example.com")),
            self.importing(order_with_known_sku(90004, "race.four@example.com")),
        )
        self.assertEqual((first["created"], second["created"]), (1, 1))
        env = self.committed()
        links = env["wc.product.link"].search([("store_id", "=", self.store_id), ("wc_product_id", "=", 99002)])
        self.assertEqual(len(links), 1)
        self.assertEqual(links.product_id.default_code, "RACE-SKU-2")
