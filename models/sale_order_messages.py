"""Store orders tell their customer about each step of the sale (seed A.6), in the customer's language.

:meth:`SaleOrder._wc_send_step_messages` gathers, for many store orders at
once, where each one is (confirmed, shipped, invoiced, paid, refunded,
cancelled), the store's switches and the steps already dealt with; the rules
(:func:`..wc_connector.rules.messages.plan_messages`) decide; the rows of
:mod:`.wc_message_sent` are claimed in the database first; then each claimed
step's template is rendered for all its orders at once (per language) and
posted in each order's chatter to the customer (the invoice PDF attached to
"invoiced"), with an SMS too when Odoo's ``sms`` module is installed and the
customer has a mobile number.

It runs after a page of the import (once for the page, not at each Odoo step
the import takes) and whenever Odoo itself moves a store order on: confirm,
cancel, a delivery done, an invoice or credit note posted, a payment
registered.
"""

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ..wc_connector.rules import messages as rules
from .const import USER_GROUP

_logger = logging.getLogger(__name__)

#: Context key: Odoo steps taken now are announced later, by whoever set it (the import, once per page).
DEFER = "wc_messages_defer"
#: Context key: the orders come from a history import (no messages unless the import asked for them).
HISTORY = "wc_messages_history"
#: Context key: the user asked for messages for history or old orders all the same.
FORCE = "wc_messages_force"

#: The invoice report attached to the "invoiced" message.
INVOICE_REPORT = "account.account_invoices"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    wc_message_sent_ids = fields.One2many(
        "wc.message.sent", "sale_order_id", string="Messages to the customer", groups=USER_GROUP)
    wc_tracking_info = fields.Char(
        string="Carrier and tracking",
        compute="_compute_wc_tracking_info",
        help="The carriers and tracking numbers of the order's deliveries done (for the 'shipped' message).",
    )

    def _compute_wc_tracking_info(self):
        for sale in self:
            parts = []
            for picking in sale.picking_ids.filtered(
                lambda picking: picking.state == "done" and picking.picking_type_code == "outgoing"
            ):
                # Carrier and tracking number exist with the delivery module; without it, the store's method.
                carrier = picking.carrier_id.name if "carrier_id" in picking._fields else ""
                tracking = picking.carrier_tracking_ref if "carrier_tracking_ref" in picking._fields else ""
                carrier = carrier or ", ".join(
                    sale.order_line.filtered(lambda line: line.wc_line_kind == "shipping").mapped("name"))
                parts.append(" ".join(part for part in (carrier, tracking) if part))
            sale.wc_tracking_info = "; ".join(dict.fromkeys(part for part in parts if part)) or False

    # -- Odoo moves a store order on -------------------------------------------------------------

    def action_confirm(self):
        result = super().action_confirm()
        self._wc_step_changed()
        return result

    def _action_cancel(self):
        result = super()._action_cancel()
        self._wc_step_changed()
        return result

    def _wc_step_changed(self):
        """Announce what the store orders among ``self`` reached, unless the caller announces it later."""
        if self.env.context.get(DEFER):
            return
        store_orders = self.filtered("wc_store_id")
        if store_orders:
            store_orders._wc_send_step_messages()

    # -- the decision, for many orders -----------------------------------------------------------

    def _wc_message_progress(self):
        """``{sale id: OrderProgress}``: where each store order is, read in bulk."""
        invoices = self.invoice_ids.filtered(lambda move: move.state == "posted")
        credit_notes = self.env["account.move"].search([
            ("move_type", "=", "out_refund"),
            ("state", "=", "posted"),
            ("reversed_entry_id", "in", invoices.filtered(lambda move: move.move_type == "out_invoice").ids),
        ]) if invoices else self.env["account.move"]
        credited = set(credit_notes.reversed_entry_id.ids)
        result = {}
        for sale in self:
            sale_invoices = sale.invoice_ids.filtered(
                lambda move: move.state == "posted" and move.move_type == "out_invoice")
            refunded = any(move.move_type == "out_refund" and move.state == "posted" for move in sale.invoice_ids) or (
                bool(credited & set(sale_invoices.ids)))
            result[sale.id] = rules.OrderProgress(
                placed_at=sale.date_order,
                confirmed=sale.state == "sale",
                shipped=any(
                    picking.state == "done" and picking.picking_type_code == "outgoing" for picking in sale.picking_ids
                ),
                invoiced=bool(sale_invoices),
                paid=bool(sale_invoices) and all(
                    move.payment_state in ("paid", "in_payment") for move in sale_invoices
                ),
                refunded=refunded,
                cancelled=sale.state == "cancel",
            )
        return result

    def _wc_send_step_messages(self):
        """Announce to their customers the steps the store orders of ``self`` reached; each step once.

        Returns the ``wc.message.sent`` rows this call inserted.
        """
        sales = self.filtered("wc_store_id").sudo()
        if not sales:
            return self.env["wc.message.sent"]
        history = bool(self.env.context.get(HISTORY))
        force = bool(self.env.context.get(FORCE))
        done = defaultdict(set)
        for row in self.env["wc.message.sent"].sudo().search_read([("sale_order_id", "in", sales.ids)],
                                                                   ["sale_order_id", "step"]):
            done[row["sale_order_id"][0]].add(row["step"])
        progress = sales._wc_message_progress()
        settings = {store.id: store._wc_message_settings() for store in sales.wc_store_id}
        rows = []
        for sale in sales:
            store = sale.wc_store_id
            plan = rules.plan_messages(progress[sale.id], settings[store.id], done[sale.id],
                                       store.wc_messages_go_live, history=history, force=force)
            rows += [(sale, store, step, "sent", None) for step in plan.send]
            rows += [(sale, store, step, "skipped", reason) for step, reason in plan.skip]
        claimed = self.env["wc.message.sent"].sudo()._wc_claim(rows)
        to_send = defaultdict(list)  # (store, step) -> [(row id, sale)]
        for row_id, sale_id, step, state in claimed:
            if state == "sent":
                sale = sales.browse(sale_id)
                to_send[(sale.wc_store_id, step)].append((row_id, sale))
        for (store, step), items in to_send.items():
            store._wc_send_step(step, items)
        return self.env["wc.message.sent"].browse([row[0] for row in claimed])


class WcStore(models.Model):
    _inherit = "wc.store"

    def _wc_send_step(self, step, items):
        """Render the store's template of ``step`` for the orders of ``items`` ``[(row id, sale)]`` (per language,
        all at once) and post each in its order's chatter to the customer; an SMS too when possible."""
        self.ensure_one()
        template = self.wc_message_step_ids.filtered(lambda row: row.step == step).template_id
        sales = self.env["sale.order"].browse([sale.id for _row, sale in items])
        rendered = template._generate_template(sales.ids, ("subject", "body_html", "email_from"))
        Sent = self.env["wc.message.sent"].sudo()
        sms = hasattr(type(sales), "_message_sms")
        for row_id, sale in items:
            values = rendered[sale.id]
            attachments = sale._wc_invoice_pdfs() if step == rules.INVOICED else []
            message = sale.with_context(mail_post_autofollow=False).message_post(
                body=Markup(values.get("body_html") or ""),
                subject=values.get("subject"),
                email_from=values.get("email_from") or None,
                partner_ids=sale.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=attachments,
                email_layout_xmlid="mail.mail_notification_light",
            )
            Sent.browse(row_id).message_id = message.id
            partner = sale.partner_id
            if sms and (partner.phone or ("mobile" in partner._fields and partner.mobile)):
                # Odoo's sms module is installed: the same news, short, to the customer's phone.
                sale._message_sms(values.get("subject") or sale.name, partner_ids=sale.partner_id.ids)
        _logger.info("Store %s: %s message sent for %s orders", self.id, step, len(items))


class SaleOrderInvoicePdf(models.Model):
    _inherit = "sale.order"

    def _wc_invoice_pdfs(self):
        """``[(file name, content)]``: the PDF of each posted invoice of the order."""
        self.ensure_one()
        result = []
        for invoice in self.invoice_ids.filtered(lambda move: move.state == "posted" and move.move_type == "out_invoice"):
            try:
                content, _kind = self.env["ir.actions.report"].sudo()._render_qweb_pdf(INVOICE_REPORT, invoice.ids)
            except UserError as error:
                # No PDF engine (wkhtmltopdf) on this server: the message still goes; the portal shows the invoice.
                _logger.warning("Invoice %s: no PDF for the customer's message: %s", invoice.id, error.args[0])
                continue
            result.append((f"{(invoice.name or 'invoice').replace('/', '_')}.pdf", content))
        return result


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        self.sale_id._wc_step_changed()
        return result


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        orders = posted.line_ids.sale_line_ids.order_id | posted.reversed_entry_id.line_ids.sale_line_ids.order_id
        orders._wc_step_changed()
        return posted


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        payments = super()._create_payments()
        moves = payments.reconciled_invoice_ids | payments.reconciled_bill_ids
        moves.line_ids.sale_line_ids.order_id._wc_step_changed()
        return payments


class WcStoreImport(models.Model):
    _inherit = "wc.store"

    def _wc_import_orders(self, order_dicts):
        """Import the page with every message deferred, then announce once what its orders reached."""
        counts = super(WcStoreImport, self.with_context(**{DEFER: True}))._wc_import_orders(order_dicts)
        ids = [data.get("id") for data in order_dicts if isinstance(data, dict) and isinstance(data.get("id"), int)]
        if ids:
            sales = self.env["sale.order"]._wc_bound(self, ids)
            try:
                with self.env.cr.savepoint():
                    sales._wc_send_step_messages()
            except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
                raise  # retried in a fresh transaction with the page
            except Exception:  # noqa: BLE001 - a message (e.g. a template edited wrong) never blocks the import
                # Nothing was claimed (the savepoint is gone): the next sync of these orders tries again.
                _logger.warning("Store %s: customer messages of %s orders not sent", self.id, len(sales), exc_info=True)
        return counts

    def _wc_job_import_page(self, page_id):
        """A history import's pages send no messages, unless its run asked for them."""
        run = self.env["wc.sync.page"].sudo().browse(page_id).exists().run_id
        store = self
        if run and run.kind == "history":
            store = self.with_context(**({FORCE: True} if run.wc_send_messages else {HISTORY: True}))
        return super(WcStoreImport, store)._wc_job_import_page(page_id)
