"""One bad record never stalls the sync (issue 7, section 3).

Each test imports a page of three orders whose middle one is bad in one way:
the bad one becomes one failed sync-log entry with a plain reason, the other
two are imported. A store that is down while an order's refunds are fetched
makes the job retry later; it is not the order's failure.
"""

import copy
import json
import time

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .order_fixtures import OrderImportCase, capture_body, order_body
from .sync_fixtures import SyncCase

FIRST, BAD, LAST = 9101, 9102, 9103


def page(break_middle):
    """Three on-hold copies of the captured guest order, the middle one broken by ``break_middle(order)``."""
    template = capture_body("order_single_guest.json")
    orders = []
    for wc_id in (FIRST, BAD, LAST):
        data = copy.deepcopy(template)
        data.update(id=wc_id, number=str(wc_id), status="on-hold", refunds=[])
        if wc_id == BAD:
            break_middle(data)
        orders.append(data)
    return orders


@tagged("post_install", "-at_install")
class TestBadRecords(OrderImportCase):
    def failed_logs(self):
        return self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("state", "=", "failed")])

    def assertOnlyTheMiddleFails(self, break_middle, *words):
        counts = self.import_orders(*page(break_middle))
        self.assertEqual((counts["created"], counts["failed"]), (2, 1), counts)
        self.assertTrue(self.sale_of(FIRST) and self.sale_of(LAST), "the rest of the page imports")
        self.assertFalse(self.sale_of(BAD))
        [log] = self.failed_logs()
        self.assertEqual((log.entity, log.wc_id), ("order", BAD))
        for word in words:
            self.assertIn(word, log.reason)
        self.assertNotIn("Traceback", log.reason)
        self.assertEqual(json.loads(log.payload)["id"], BAD, "the payload is kept as evidence")
        return log

    def test_a_total_of_1e30_fails_alone(self):
        self.assertOnlyTheMiddleFails(lambda order: order.update(total="1e30"), "'total'", "1e30")

    def test_a_zero_quantity_fails_alone(self):
        self.assertOnlyTheMiddleFails(lambda order: order["line_items"][0].update(quantity=0), "quantity", "at least 1")

    def test_a_negative_quantity_fails_alone(self):
        self.assertOnlyTheMiddleFails(lambda order: order["line_items"][1].update(quantity=-2), "quantity", "-2")

    def test_an_unknown_currency_fails_alone(self):
        self.assertOnlyTheMiddleFails(lambda order: order.update(currency="XYZ"), "XYZ", "not a currency Odoo knows")

    def test_a_currency_without_an_exchange_rate_fails_alone(self):
        def in_pounds(order):
            order.update(currency="GBP")

        log = self.assertOnlyTheMiddleFails(in_pounds, "GBP", "no exchange rate")
        # Once the rate is there, the order imports (and its log entry is done).
        gbp = self.env["res.currency"].with_context(active_test=False).search([("name", "=", "GBP")])
        gbp.active = True
        self.env["res.currency.rate"].create({"currency_id": gbp.id, "rate": 0.8, "name": "2000-01-01"})
        counts = self.import_orders(*page(in_pounds))
        self.assertEqual((counts["created"], counts["failed"]), (1, 0), counts)
        self.assertEqual(log.state, "done")
        self.assertEqual(self.sale_of(BAD).currency_id, gbp)

    def test_an_invalid_vat_number_does_not_stop_the_order_and_is_kept(self):
        def invalid_vat(order):
            order["billing"].update(company="Falsch Nummer GmbH", email="falsch@example.de")
            for meta in order["meta_data"]:
                if meta["key"] in ("_billing_vat_id", "vat_id"):
                    meta["value"] = "DE123"

        self.assertTrue(self.env["ir.module.module"].search([("name", "=", "base_vat"), ("state", "=", "installed")]))
        with self.assertRaises(ValidationError, msg="base_vat refuses the number in a plain create"):
            with self.env.cr.savepoint():
                self.env["res.partner"].create({"name": "Check", "vat": "DE123", "country_id": self.env.ref("base.de").id})
        counts = self.import_orders(*page(invalid_vat))
        self.assertEqual((counts["created"], counts["failed"]), (3, 0), counts)
        company = self.sale_of(BAD).partner_id.commercial_partner_id
        self.assertEqual((company.name, company.vat), ("Falsch Nummer GmbH", "DE123"))
        self.assertFalse(self.failed_logs())


    def test_an_order_failing_after_its_creation_fails_alone_and_the_page_imports(self):
        # The page's orders are created, confirmed and invoiced together, and what is left per order (payments,
        # refunds, the total check) runs for the page in one savepoint; a failure there sends every order the
        # one by one way, so that only the bad one fails.
        refunded = order_body("order_single_partial_refund.json")  # completed, a partial refund to fetch
        others = [dict(data, status="on-hold") for data in page(lambda data: None)]
        self.emulated.faults.fail(400, count=10, path=f"/orders/{refunded['id']}/refunds")
        try:
            with mute_logger("odoo.addons.woocommerce_connector.models.wc_store_orders"):
                counts = self.import_orders(others[0], refunded, *others[1:])
        finally:
            self.emulated.faults.clear()
        self.assertEqual((counts["created"], counts["failed"]), (3, 1), counts)
        self.assertTrue(all(self.sale_of(data["id"]) for data in others), "the rest of the page imports")
        sale = self.sale_of(refunded["id"])
        self.assertFalse(sale.wc_date_modified, "not up to date: the next import applies the payload again")
        [log] = self.failed_logs()
        self.assertEqual(log.wc_id, refunded["id"])
        counts = self.import_orders(refunded)
        self.assertEqual((counts["updated"], counts["failed"]), (1, 0), counts)
        self.assertTrue(sale._wc_posted_credit_notes(), "the refund is credited once the store answers")


@tagged("post_install", "-at_install")
class TestRefundFetchRetries(OrderImportCase):
    def test_a_store_down_while_fetching_refunds_retries_the_job_without_sleeping(self):
        order = order_body("order_single_partial_refund.json")  # completed, with a partial refund
        self.emulated.faults.fail(503, count=5, path="/orders/78/refunds")
        self.emulated.request_log.clear()
        started = time.monotonic()
        with self.assertRaises(RetryableJobError):
            with self.env.cr.savepoint():
                self.import_orders(order)
        self.assertLess(time.monotonic() - started, 20)
        refund_gets = [entry for entry in self.emulated.request_log if "/refunds" in entry.path]
        self.assertEqual(len(refund_gets), 1, "no retry (no sleeping) inside the transaction")
        self.assertFalse(
            self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("wc_id", "=", 78)]),
            "not the order's permanent failure",
        )
        self.emulated.faults.clear()
        counts = self.import_orders(order)
        self.assertEqual((counts["created"], counts["failed"]), (1, 0), counts)


@tagged("post_install", "-at_install")
class TestBadRecordCursor(SyncCase):
    ORDERS = 6
    PAGE_SIZE = 3

    def test_a_bad_order_in_the_middle_of_a_page_fails_alone_and_the_cursor_moves(self):
        ids = sorted(self.store_orders())
        bad = ids[1]
        self.emulated.data.orders[bad]["total"] = "1e30"
        self.sync(self.env["wc.store"]._cron_sync_all_stores)
        self.assertFalse(self.failed_jobs)
        run = self.runs(entity="order")[-1]
        self.assertEqual((run.state, run.created, run.failed), ("done", self.ORDERS - 1, 1))
        self.assertEqual(self.store.wc_orders_cursor, run.window_end, "the cursor moves on")
        self.assertEqual(self.imported_ids(), [wc_id for wc_id in ids if wc_id != bad])
        [log] = self.env["wc.sync.log"].search([("store_id", "=", self.store.id), ("state", "=", "failed")])
        self.assertEqual(log.wc_id, bad)
