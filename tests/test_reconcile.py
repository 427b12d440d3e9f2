"""Reconciliation of a period: the store's figures beside Odoo's, every difference with its order, one-click fixes."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .health_fixtures import ImportedStoreCase


@tagged("post_install", "-at_install")
class TestReconcile(ImportedStoreCase):
    def reconcile(self):
        date_from, date_to = self.period()
        record = self.env["wc.reconcile"].create({"store_id": self.store.id, "date_from": date_from, "date_to": date_to})
        self.store._wc_reconcile(record)
        return record

    def differences(self, record):
        return sorted((d.kind, d.wc_order_id) for d in record.difference_ids.filtered(lambda d: d.state == "open"))

    def test_an_exact_import_reconciles_with_no_difference(self):
        record = self.reconcile()
        listed = self.store_orders()
        self.assertEqual(self.differences(record), [])
        self.assertEqual((record.store_order_count, record.odoo_order_count), (len(listed), len(listed)))
        for row in record.summary_ids:
            self.assertTrue(row.matches, row.read()[0])
        self.assertEqual(sum(record.summary_ids.mapped("store_count")), len(listed))
        statuses = set(record.summary_ids.mapped("status"))
        self.assertTrue({"completed", "refunded"} <= statuses, statuses)
        completed = record.summary_ids.filtered(lambda row: row.status == "completed")
        self.assertGreater(completed.odoo_payments, 0)
        self.assertEqual(completed.store_payments, completed.odoo_payments)

    def test_injected_differences_are_each_listed_with_their_order_and_fixed_in_one_click(self):
        sales = {sale.wc_order_id: sale for sale in self.sale_orders()}
        drafts = [sale for sale in sales.values() if sale.state == "draft"]
        self.assertGreaterEqual(len(drafts), 2, "the generated store must have quotations")
        deleted, edited = drafts[0].wc_order_id, drafts[1].wc_order_id
        invoiced = next(sale for sale in sales.values()
                        if sale.wc_status == "completed" and sale.invoice_ids and sale.wc_order_id not in (deleted, edited))
        refunded = invoiced.wc_order_id
        # An order deleted in Odoo, a total changed in Odoo, a refund made in the store that never arrived.
        drafts[0].unlink()
        line = drafts[1].order_line.filtered(lambda l: l.wc_line_kind == "product")[:1]
        line.price_unit += 10
        self.emulated.refund_order(refunded, amount="5.00", reason="Scratched")

        record = self.reconcile()

        self.assertEqual(self.differences(record), sorted([
            ("missing_in_odoo", deleted), ("total", edited), ("refund", refunded)]))
        total = record.difference_ids.filtered(lambda d: d.kind == "total")
        self.assertAlmostEqual(total.amount, drafts[1].amount_total - drafts[1].wc_total, places=2)
        self.assertGreater(total.amount, 0)
        self.assertEqual(total.sale_order_id, drafts[1])
        missing = record.difference_ids.filtered(lambda d: d.kind == "missing_in_odoo")
        self.assertAlmostEqual(missing.amount, -float(self.store_orders()[deleted]["total"]), places=2)
        refund = record.difference_ids.filtered(lambda d: d.kind == "refund")
        self.assertAlmostEqual(refund.amount, -5.0, places=2)
        self.assertEqual(record.difference_count, 3)
        self.assertFalse(all(record.summary_ids.mapped("matches")))

        # One click each: re-import the three orders (one GET for all of them), then nothing differs.
        self.emulated.request_log.clear()
        record.difference_ids.action_reimport()
        self.assertEqual(self.store_gets(), 1)
        self.assertEqual(set(record.difference_ids.mapped("state")), {"reimported"})
        again = self.reconcile()
        self.assertEqual(self.differences(again), [])

    def test_open_shows_the_sale_order_and_mark_as_explained_closes_a_difference(self):
        self.sale_orders().filtered(lambda s: s.state == "draft")[:1].unlink()
        ok = self.sale_orders()[:1]
        self.emulated.delete_order(ok.wc_order_id, force=True)
        record = self.reconcile()
        missing_here = record.difference_ids.filtered(lambda d: d.kind == "missing_in_store")
        self.assertEqual(missing_here.sale_order_id, ok)
        self.assertEqual(missing_here.action_open()["res_id"], ok.id)
        missing_there = record.difference_ids.filtered(lambda d: d.kind == "missing_in_odoo")
        self.assertIn(str(missing_there.wc_order_id), missing_there.action_open()["url"])
        missing_here.note = "Deleted in the store by mistake; the sale stands."
        missing_here.action_explain()
        self.assertEqual((missing_here.state, record.difference_count), ("explained", 1))

    def test_the_store_side_costs_one_get_per_100_orders(self):
        template = next(iter(self.store_orders().values()))
        for new_id in range(50_000, 50_000 + 250 - len(self.store_orders())):
            self.emulated.data.orders[new_id] = dict(template, id=new_id, number=str(new_id))
        listed = len(self.store_orders())
        self.assertEqual(listed, 250)
        record = self.reconcile()
        self.assertEqual((record.requests, self.store_gets()), (3, 3))
        self.assertEqual(record.store_order_count, listed)
        self.assertEqual(len(record.difference_ids.filtered(lambda d: d.kind == "missing_in_odoo")),
                         listed - len(self.sale_orders()))

    def test_the_printable_report_shows_the_period_figures_and_differences(self):
        self.sale_orders().filtered(lambda s: s.state == "draft")[:1].unlink()
        record = self.reconcile()
        html, _format = self.env["ir.actions.report"]._render_qweb_html(
            "woocommerce_connector.action_report_wc_reconcile", record.ids)
        html = html.decode()
        self.assertIn(self.store.name, html)
        self.assertIn("o_wc_reconcile_summary", html)
        self.assertIn(record.difference_ids.number, html)

    def test_weekly_reconciliation_mails_the_managers_when_anything_differs(self):
        self.store.wc_reconcile_weekly = True
        self.sale_orders().filtered(lambda s: s.state == "draft")[:1].unlink()
        date_from, date_to = self.period()
        # A week after the orders' first day: the weekly run's 7 days cover them when they fit in a week.
        with freeze_time(date_from + timedelta(days=7, hours=12)):
            self.sync(self.env["wc.store"]._cron_wc_reconcile_weekly)
        self.assertFalse(self.failed_jobs)
        record = self.env["wc.reconcile"].search([("store_id", "=", self.store.id)])
        self.assertEqual(len(record), 1)
        self.assertEqual((record.date_from, record.date_to), (date_from, date_from + timedelta(days=6)))
        if date_to - date_from > timedelta(days=6):
            return  # the generated orders span more than a week: the mail is checked by the job below
        message = record.message_ids.filtered("partner_ids")
        self.assertEqual(len(message), 1)
        self.assertIn(self.wc_manager.partner_id, message.partner_ids)
        self.assertTrue(message.attachment_ids)

    def test_the_reconciliation_job_mails_only_when_something_differs(self):
        date_from, date_to = self.period()
        self.store._wc_job_reconcile(str(date_from), str(date_to))
        clean = self.env["wc.reconcile"].search([("store_id", "=", self.store.id)])
        self.assertFalse(clean.message_ids.filtered("partner_ids"))
        self.sale_orders().filtered(lambda s: s.state == "draft")[:1].unlink()
        self.store._wc_job_reconcile(str(date_from), str(date_to))
        record = self.env["wc.reconcile"].search([("store_id", "=", self.store.id)], order="id desc", limit=1)
        [message] = record.message_ids.filtered("partner_ids")
        self.assertIn(self.wc_manager.partner_id, message.partner_ids)
        self.assertNotIn(self.wc_user.partner_id, message.partner_ids)
        self.assertIn("differences", message.subject)

    def test_an_order_that_still_cannot_be_imported_stays_open_and_the_user_is_told(self):
        draft = self.sale_orders().filtered(lambda s: s.state == "draft")[:1]
        wc_id = draft.wc_order_id
        draft.unlink()
        record = self.reconcile()
        [difference] = record.difference_ids
        self.emulated.data.orders[wc_id]["status"] = ""  # a payload the import refuses (status is required)
        action = difference.action_reimport()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(difference.number, action["params"]["message"])
        self.assertEqual(difference.state, "open")
        self.assertTrue(self.env["wc.sync.log"].search(
            [("store_id", "=", self.store.id), ("wc_id", "=", wc_id), ("state", "=", "failed")]))
