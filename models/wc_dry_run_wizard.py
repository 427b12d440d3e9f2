"""The "Dry run" wizard: what a sync of a date range would change, as a list to read before Sync now.

The preview itself writes nothing (:meth:`WcStore._wc_dry_run`); the wizard
only keeps it on screen as transient lines.
"""

from odoo import fields, models

from ..wc_connector.rules import dry_run
from .wc_store_sync import history_bounds

ORDER_ACTIONS = [
    (dry_run.CREATE, "Create"),
    (dry_run.UPDATE, "Update"),
    (dry_run.UNCHANGED, "Unchanged"),
    (dry_run.FAIL, "Would fail"),
]
PARTNER_ACTIONS = [(dry_run.CREATE, "Create"), (dry_run.MATCH, "Match"), (dry_run.UPDATE, "Update")]
IDENTITY_RULES = [
    ("link", "Store customer link"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("username", "Store username"),
    ("name_address", "Name and address"),
]


class WcDryRunWizard(models.TransientModel):
    _name = "wc.dry.run.wizard"
    _description = "WooCommerce Dry Run"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade")
    date_from = fields.Date(string="From", required=True, help="Orders modified on or after this day (UTC).")
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today,
                          help="Orders modified up to this day, included.")
    line_ids = fields.One2many("wc.dry.run.line", "wizard_id", string="Orders", readonly=True)
    computed = fields.Boolean(readonly=True)
    summary = fields.Char(readonly=True)

    def action_preview(self):
        """Compute the preview and show it in the wizard."""
        self.ensure_one()
        start, end = history_bounds(self.date_from, self.date_to)
        # The store's secrets and every record the import would look at are read as the sync reads them.
        result, requests = self.store_id.sudo()._wc_dry_run(start, end)
        partners = {partner.wc_order_id: partner for partner in result.partners}
        lines = []
        for order in result.orders:
            partner = partners.get(order.wc_id)
            lines.append(fields.Command.create({
                "wc_order_id": order.wc_id,
                "number": order.number,
                "status": order.status,
                "action": order.action,
                "sale_name": order.sale_name,
                "total": float(order.total) if order.total is not None else 0.0,
                "odoo_total": float(order.odoo_total) if order.odoo_total is not None else 0.0,
                "target": order.target,
                "steps": ", ".join(order.steps) or order.refused,
                "partner_action": partner.action if partner else False,
                "partner_name": partner.name if partner else False,
                "identity_rule": partner.rule if partner else False,
                "reason": order.reason,
            }))
        self.write({
            "line_ids": [fields.Command.clear()] + lines,
            "computed": True,
            "summary": self.env._(
                "%(create)s to create, %(update)s to update, %(unchanged)s unchanged, %(fail)s would fail "
                "(%(requests)s GET requests).",
                create=result.count(dry_run.CREATE), update=result.count(dry_run.UPDATE),
                unchanged=result.count(dry_run.UNCHANGED), fail=result.count(dry_run.FAIL), requests=requests),
        })
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Dry run"),
        }

    def action_sync_now(self):
        """The user has read the preview: sync for real."""
        return self.store_id.action_sync_now()


class WcDryRunLine(models.TransientModel):
    _name = "wc.dry.run.line"
    _description = "WooCommerce Dry Run Order"
    _order = "wc_order_id"

    wizard_id = fields.Many2one("wc.dry.run.wizard", required=True, ondelete="cascade")
    currency_id = fields.Many2one(related="wizard_id.store_id.company_id.currency_id")
    wc_order_id = fields.Integer(string="Store order ID")
    number = fields.Char(string="Order")
    status = fields.Char(string="Store status")
    action = fields.Selection(ORDER_ACTIONS, string="Sale order")
    sale_name = fields.Char(string="Existing sale order")
    total = fields.Monetary(string="Store total")
    odoo_total = fields.Monetary(string="Odoo total")
    target = fields.Char(string="Becomes")
    steps = fields.Char(string="Status actions")
    partner_action = fields.Selection(PARTNER_ACTIONS, string="Customer")
    partner_name = fields.Char(string="Customer name")
    identity_rule = fields.Selection(IDENTITY_RULES, string="Found by")
    reason = fields.Char()
