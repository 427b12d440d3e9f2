"""The customer's online-shop balance goes to the store (seed A.4), when the store's balances direction says so.

One job per store (identity key ``wc:<store>:push_balances``) on the store's
channel: it reads the balances of all the store's linked customers at once
(:meth:`res.partner._compute_wc_balance`, one grouped query), lets
:func:`..wc_connector.rules.balances.balance_updates` keep only those that
changed since the last write, and writes them with ``customers/batch``
(100 per request). It is enqueued after an order page is imported and when
Odoo posts an invoice or credit note or registers a payment of a store order.
"""

import logging

from odoo import fields, models
from odoo.addons.queue_job.exception import RetryableJobError

from ..wc_connector.errors import is_transient
from ..wc_connector.rules import directions
from ..wc_connector.rules.balances import balance_updates

_logger = logging.getLogger(__name__)


class WcCustomerLink(models.Model):
    _inherit = "wc.customer.link"

    wc_balance_pushed = fields.Char(
        string="Balance in the store",
        readonly=True,
        copy=False,
        help="The balance last written to the store customer's meta (odoo_balance).",
    )


class WcStore(models.Model):
    _inherit = "wc.store"

    def _wc_balances_changed(self):
        """Queue the balance push of the stores that export balances (once per store while one is pending)."""
        for store in self:
            if store.active and store._wc_allows_export(directions.BALANCES):
                store.with_delay(
                    channel=store._wc_channel(),
                    identity_key=f"wc:{store.id}:push_balances",
                    description=f"Store {store.id}: push customer balances",
                )._wc_push_balances()

    def _wc_push_balances(self):
        """Write the changed balances of the store's linked customers to their store meta; a short result."""
        self.ensure_one()
        if not self._wc_allows_export(directions.BALANCES):
            return "Balances are not sent to this store."
        links = self.env["wc.customer.link"].sudo().search([("store_id", "=", self.id)])
        if not links:
            return "No linked customers."
        partners = links.partner_id.with_company(self.company_id)
        balance_of = {partner.id: partner.wc_balance for partner in partners}
        currency = self.company_id.currency_id
        updates = balance_updates(
            {link.wc_customer_id: balance_of[link.partner_id.id] for link in links},
            {link.wc_customer_id: link.wc_balance_pushed for link in links if link.wc_balance_pushed},
            currency.name,
            currency.decimal_places,
        )
        if not updates:
            return "No balance changed."
        client = self._client()
        try:
            result = client.batch("customers", update=updates)
        finally:
            client.close()
        by_customer = {link.wc_customer_id: link for link in links}
        written = failed = 0
        for item, sent in zip(result.items, updates):
            if item.ok:
                by_customer[sent["id"]].wc_balance_pushed = sent["meta_data"][0]["value"]
                written += 1
            else:
                failed += 1
                _logger.info("Store %s: balance of customer %s not written: %s", self.id, sent["id"], item.error)
        if failed and not written and any(is_transient(item.error) for item in result.failed):
            # The store was unreachable: the job's retry writes them later.
            raise RetryableJobError(str(result.failed[0].error))
        return f"{written} balances written, {failed} failed."

    def _wc_import_orders(self, order_dicts):
        """An imported page may change its customers' balances: queue the push."""
        counts = super()._wc_import_orders(order_dicts)
        self._wc_balances_changed()
        return counts


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        stores = (posted.line_ids.sale_line_ids.order_id | posted.reversed_entry_id.line_ids.sale_line_ids.order_id).wc_store_id
        if stores and not self.env.context.get("wc_messages_defer"):
            stores.sudo()._wc_balances_changed()
        return posted


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        payments = super()._create_payments()
        stores = (payments.reconciled_invoice_ids | payments.reconciled_bill_ids).line_ids.sale_line_ids.order_id.wc_store_id
        if stores and not self.env.context.get("wc_messages_defer"):
            stores.sudo()._wc_balances_changed()
        return payments
