"""A reconciliation of one store for one period: the store's figures beside Odoo's, and every order that differs.

The figures are computed by :meth:`WcStore._wc_reconcile` (store side by
paged reads, Odoo side by grouped queries) and compared by the core
(:mod:`..wc_connector.rules.reconcile`); this record keeps the result so that
it can be read, printed (PDF), mailed to the WooCommerce managers, and worked
through: each difference has one-click actions — re-import the order from the
store, open it, or mark it explained.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..wc_connector.rules import reconcile as rules
from .const import ORDER_ADMIN_PATH

DIFFERENCE_KINDS = [
    (rules.MISSING_IN_ODOO, "Missing in Odoo"),
    (rules.MISSING_IN_STORE, "Missing in the store"),
    (rules.TOTAL, "Total differs"),
    (rules.STATUS, "Status differs"),
    (rules.PAYMENT, "Payment differs"),
    (rules.REFUND, "Refund differs"),
]

DIFFERENCE_STATES = [("open", "Open"), ("reimported", "Re-imported"), ("explained", "Explained")]


class WcReconcile(models.Model):
    _name = "wc.reconcile"
    _description = "WooCommerce Reconciliation"
    _inherit = ["mail.thread"]
    _order = "date_run desc, id desc"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, help="Orders created in the store from this day...")
    date_to = fields.Date(string="To", required=True, help="...up to this day, included (UTC).")
    date_run = fields.Datetime(string="Computed", readonly=True)
    duration = fields.Float(string="Duration (s)", digits=(16, 2), readonly=True)
    requests = fields.Integer(string="GET requests", readonly=True)
    store_order_count = fields.Integer(string="Store orders", readonly=True)
    odoo_order_count = fields.Integer(string="Odoo sale orders", readonly=True)
    summary_ids = fields.One2many("wc.reconcile.summary", "reconcile_id", string="Per status", readonly=True)
    difference_ids = fields.One2many("wc.reconcile.difference", "reconcile_id", string="Differences")
    difference_count = fields.Integer(compute="_compute_difference_count", string="Open differences")

    @api.depends("store_id.name", "date_from", "date_to")
    def _compute_display_name(self):
        for record in self:
            record.display_name = " · ".join(
                part for part in (record.store_id.name,
                                  f"{record.date_from or ''} – {record.date_to or ''}") if part)

    @api.depends("difference_ids.state")
    def _compute_difference_count(self):
        groups = self.env["wc.reconcile.difference"]._read_group(
            [("reconcile_id", "in", self.ids), ("state", "=", "open")], ["reconcile_id"], ["__count"])
        counts = {record.id: count for record, count in groups}
        for record in self:
            record.difference_count = counts.get(record.id, 0)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for record in self:
            if record.date_from > record.date_to:
                raise UserError(self.env._("The period's first day must not be after its last day."))

    def action_run(self):
        """Compute (again) the figures and differences of the period."""
        for record in self:
            record.store_id._wc_reconcile(record)
        return True

    def action_open_differences(self):
        self.ensure_one()
        # Not inline: Odoo 19's exporter takes the domain tuple after an inline _() for a term (its field name).
        name = self.env._("Differences")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "wc.reconcile.difference",
            "view_mode": "list,form",
            "domain": [("reconcile_id", "=", self.id)],
            "context": {"search_default_open": 1},
        }

    def action_print(self):
        return self.env.ref("woocommerce_connector.action_report_wc_reconcile").report_action(self)


class WcReconcileSummary(models.Model):
    _name = "wc.reconcile.summary"
    _description = "WooCommerce Reconciliation per Status"
    _order = "reconcile_id, status"

    reconcile_id = fields.Many2one("wc.reconcile", required=True, ondelete="cascade", index=True)
    currency_id = fields.Many2one(related="reconcile_id.currency_id")
    status = fields.Char(string="Store status", required=True)
    store_count = fields.Integer(string="Store orders")
    odoo_count = fields.Integer(string="Sale orders")
    store_revenue = fields.Monetary(string="Store revenue")
    odoo_revenue = fields.Monetary(string="Odoo revenue")
    store_tax = fields.Monetary(string="Store tax")
    odoo_tax = fields.Monetary(string="Odoo tax")
    store_shipping = fields.Monetary(string="Store shipping")
    odoo_shipping = fields.Monetary(string="Odoo shipping")
    store_refunds = fields.Monetary(string="Store refunds")
    odoo_refunds = fields.Monetary(string="Credit notes")
    store_payments = fields.Monetary(string="Store payments")
    odoo_payments = fields.Monetary(string="Odoo payments")
    matches = fields.Boolean()


class WcReconcileDifference(models.Model):
    _name = "wc.reconcile.difference"
    _description = "WooCommerce Reconciliation Difference"
    _order = "reconcile_id, id"
    _rec_name = "number"

    reconcile_id = fields.Many2one("wc.reconcile", required=True, ondelete="cascade", index=True)
    store_id = fields.Many2one(related="reconcile_id.store_id", store=True)
    currency_id = fields.Many2one(related="reconcile_id.currency_id")
    kind = fields.Selection(DIFFERENCE_KINDS, required=True)
    wc_order_id = fields.Integer(string="Store order ID")
    number = fields.Char(string="Order")
    sale_order_id = fields.Many2one("sale.order", string="Sale order", ondelete="set null")
    store_value = fields.Char(string="In the store")
    odoo_value = fields.Char(string="In Odoo")
    amount = fields.Monetary(string="Difference", help="Odoo's amount minus the store's.")
    state = fields.Selection(DIFFERENCE_STATES, required=True, default="open")
    note = fields.Text(string="Explanation")

    def action_reimport(self):
        """Read these orders from the store again (100 per GET) and import them as the sync does.

        The differences whose order imported are marked re-imported; one that
        failed stays open (the sync log says why) and the user is told.
        """
        todo = self.filtered(lambda d: d.kind != rules.MISSING_IN_STORE and d.wc_order_id)
        if not todo:
            raise UserError(self.env._("The store does not list these orders: there is nothing to re-import."))
        failed = self.browse()
        for store, differences in todo.grouped("store_id").items():
            wc_ids = sorted(set(differences.mapped("wc_order_id")))
            store._wc_reimport_orders(wc_ids)
            still = set(self.env["wc.sync.log"].sudo().search(
                [("store_id", "=", store.id), ("entity", "=", "order"), ("state", "=", "failed"),
                 ("wc_id", "in", wc_ids)]).mapped("wc_id"))
            failed |= differences.filtered(lambda d: d.wc_order_id in still)
            (differences - failed).write({"state": "reimported"})
        if not failed:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Not every order could be imported"),
                "message": self.env._("%(orders)s: see the sync log for the reason.",
                                      orders=", ".join(failed.mapped("number"))),
                "type": "warning",
                "sticky": True,
            },
        }

    def action_open(self):
        """The sale order, or the order in the store's admin when Odoo has none."""
        self.ensure_one()
        if self.sale_order_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": self.sale_order_id.id,
                "view_mode": "form",
            }
        return {"type": "ir.actions.act_url", "url": self.store_id.url + ORDER_ADMIN_PATH % self.wc_order_id,
                "target": "new"}

    def action_explain(self):
        """The difference is known and accepted (the note may say why)."""
        self.write({"state": "explained"})
        return True
