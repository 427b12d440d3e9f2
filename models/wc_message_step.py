"""A store's messages per sale step (seed A.6): one row per store and step, with its switches and template.

The rows only hold the shop's choice; :mod:`..wc_connector.rules.messages`
decides what is due. Each store gets one row per step on creation, with the
defaults of :data:`~..wc_connector.rules.messages.DEFAULT_STEP_SETTINGS` and
the shipped template of the step (editable and translatable like any
``mail.template``; point a step at a copy to word it differently per store).
"""

from odoo import api, fields, models

from ..wc_connector.rules import messages as rules
from .compat import Constraint

#: The shipped template of each step.
STEP_TEMPLATES = {step: f"woocommerce_connector.mail_template_wc_step_{step}" for step in rules.STEPS}

STEP_LABELS = [
    (rules.RECEIVED, "Order received"),
    (rules.CONFIRMED, "Order confirmed"),
    (rules.SHIPPED, "Order shipped"),
    (rules.INVOICED, "Order invoiced"),
    (rules.PAID, "Order paid"),
    (rules.REFUNDED, "Order refunded"),
    (rules.CANCELLED, "Order cancelled"),
]


class WcMessageStep(models.Model):
    _name = "wc.message.step"
    _description = "WooCommerce Message Step"
    _order = "store_id, sequence, id"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    step = fields.Selection(STEP_LABELS, required=True, readonly=True)
    sequence = fields.Integer(default=10)
    enabled = fields.Boolean(
        string="Send",
        default=True,
        help="Odoo sends this step's message to the customer when a store order reaches it.",
    )
    store_sends = fields.Boolean(
        string="Store already e-mails this",
        help="WooCommerce sends its own e-mail for this step: Odoo stays quiet so the customer is not told twice.",
    )
    template_id = fields.Many2one(
        "mail.template",
        string="Template",
        domain=[("model", "=", "sale.order")],
        ondelete="restrict",
        help="The message, in English with its Persian and Russian translations; sent in the customer's language.",
    )

    _store_step_unique = Constraint("UNIQUE(store_id, step)", "A store has one row per message step.")

    def action_preview(self):
        """Preview the step's message on one of the store's orders, in any installed language."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview: %s", dict(self._fields["step"]._description_selection(self.env))[self.step]),
            "res_model": "mail.template.preview",
            "view_mode": "form",
            "target": "new",
            "context": {"default_mail_template_id": self.template_id.id},
        }


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_message_step_ids = fields.One2many("wc.message.step", "store_id", string="Messages to customers")
    wc_messages_go_live = fields.Datetime(
        string="Messages from",
        default=fields.Datetime.now,
        help="Orders placed before this moment get no messages (e.g. the orders the first sync brings in); "
        "a history import sends none either unless asked to.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        stores = super().create(vals_list)
        stores._wc_message_steps()
        return stores

    @api.model
    def _wc_ensure_message_steps(self):
        """Give every store (archived ones too) its step rows; run by the module's data on install and update,
        so that stores connected before the messages existed do not count every step as switched off."""
        self.with_context(active_test=False).search([])._wc_message_steps()

    def _wc_message_steps(self):
        """Give each store one row per step (the defaults and the shipped templates), when missing."""
        missing = []
        for store in self:
            have = set(store.wc_message_step_ids.mapped("step"))
            for sequence, step in enumerate(rules.STEPS, 1):
                if step in have:
                    continue
                default = rules.DEFAULT_STEP_SETTINGS[step]
                template = self.env.ref(STEP_TEMPLATES[step], raise_if_not_found=False)
                missing.append({
                    "store_id": store.id,
                    "step": step,
                    "sequence": sequence,
                    "enabled": default.enabled,
                    "store_sends": default.store_sends,
                    "template_id": template.id if template else False,
                })
        if missing:
            self.env["wc.message.step"].sudo().create(missing)

    def _wc_message_settings(self):
        """``{step: StepSetting}`` of the store, for :func:`~..wc_connector.rules.messages.plan_messages`."""
        self.ensure_one()
        return {
            row.step: rules.StepSetting(enabled=row.enabled and bool(row.template_id), store_sends=row.store_sends)
            for row in self.wc_message_step_ids
        }
