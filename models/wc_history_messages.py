"""A history import sends no customer messages, unless the user asks for them when starting it."""

from odoo import fields, models


class WcSyncRun(models.Model):
    _inherit = "wc.sync.run"

    wc_send_messages = fields.Boolean(
        string="Send customer messages",
        readonly=True,
        help="The history import announces the steps its orders reached, as for new orders.",
    )


class WcHistoryWizard(models.TransientModel):
    _inherit = "wc.history.wizard"

    send_messages = fields.Boolean(
        string="Send customer messages",
        help="Off (recommended): old orders come in quietly. On: their customers get the messages of the steps "
        "their orders reached, even for orders placed before the store's messages start.",
    )

    def action_import(self):
        action = super().action_import()
        if self.send_messages and action.get("res_id"):
            self.env["wc.sync.run"].sudo().browse(action["res_id"]).wc_send_messages = True
        return action
