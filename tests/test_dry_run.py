"""The dry run: what a sync would change, by the import's planners, writing nothing at all."""

from datetime import datetime, timedelta, timezone

from odoo.tests import tagged

from .health_fixtures import ImportedStoreCase

WRITES = """
    SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables
     WHERE n_tup_ins + n_tup_upd + n_tup_del > 0
"""


@tagged("post_install", "-at_install")
class TestDryRun(ImportedStoreCase):
    ORDERS = 10
    IMPORT = False

    def writes(self):
        """Rows inserted, updated or deleted per table so far in this transaction (PostgreSQL's own counters)."""
        self.env.flush_all()
        self.env.cr.execute(WRITES)
        return dict(self.env.cr.fetchall())

    def window(self):
        return datetime(2000, 1, 1, tzinfo=timezone.utc), datetime.now(timezone.utc) + timedelta(days=1)

    def test_a_dry_run_writes_no_row_of_any_table(self):
        before = self.writes()
        result, requests = self.store._wc_dry_run(*self.window())
        self.assertEqual(self.writes(), before)
        self.assertEqual(requests, 1)
        self.assertEqual(len(result.orders), len(self.store_orders()))

    def test_it_shows_what_the_import_then_does(self):
        result, _requests = self.store._wc_dry_run(*self.window())
        self.assertEqual({order.action for order in result.orders}, {"create"})
        customers = {partner.name for partner in result.partners if partner.action == "create"}

        self.sync(self.store._wc_import_history, None, None)

        sales = {sale.wc_order_id: sale for sale in self.sale_orders()}
        self.assertEqual(set(sales), {order.wc_id for order in result.orders})
        for order in result.orders:
            sale = sales[order.wc_id]
            self.assertAlmostEqual(float(order.odoo_total), sale.amount_total, places=2)
            self.assertEqual(order.target == "cancel", sale.state == "cancel", order)
        self.assertTrue(customers <= set(self.sale_orders().partner_id.mapped("name")), customers)

        # Now everything is applied: a dry run says so, and a changed order would be updated, its buyer matched.
        changed = next(iter(self.store_orders()))
        self.emulated.touch_order(changed, customer_note="Leave at the door")
        again, _requests = self.store._wc_dry_run(*self.window())
        actions = {order.wc_id: order.action for order in again.orders}
        self.assertEqual(actions.pop(changed), "update")
        self.assertEqual(set(actions.values()), {"unchanged"})
        [partner] = again.partners
        self.assertEqual(partner.action, "match")
        self.assertIn(partner.rule, ("link", "email"))

    def test_an_order_the_import_refuses_for_its_currency_shows_as_failing(self):
        refused = next(iter(self.store_orders()))
        franc = self.env.ref("base.CHF")
        self.env["res.currency.rate"].search([("currency_id", "=", franc.id)]).unlink()
        self.emulated.data.orders[refused]["currency"] = "CHF"

        result, _requests = self.store._wc_dry_run(*self.window())
        previews = {order.wc_id: order for order in result.orders}
        self.assertEqual(previews[refused].action, "fail")
        self.assertIn("CHF", previews[refused].reason)
        self.assertEqual({order.action for wc_id, order in previews.items() if wc_id != refused}, {"create"})
        self.assertNotIn(refused, {partner.wc_order_id for partner in result.partners})

        # The import then does what the preview said: that order waits in the sync log, the others arrive.
        self.sync(self.store._wc_import_history, None, None)
        self.assertEqual(set(self.imported_ids()), set(previews) - {refused})

    def test_the_wizard_lists_the_preview_before_sync_now(self):
        action = self.store.action_dry_run()
        wizard = self.env["wc.dry.run.wizard"].with_context(**action["context"]).create({})
        wizard.date_from = "2000-01-01"
        wizard.action_preview()
        self.assertEqual(len(wizard.line_ids), len(self.store_orders()))
        self.assertEqual(set(wizard.line_ids.mapped("action")), {"create"})
        self.assertTrue(all(wizard.line_ids.mapped("partner_action")))
        self.assertIn("to create", wizard.summary)
