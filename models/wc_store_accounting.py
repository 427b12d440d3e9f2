"""The store's accounting settings: payment gateways → journals, delivery validation for completed orders,
the write-off of the store's rounding differences, the time zone documents are dated in, and the company's tax
rounding the store's totals need."""

import math
from datetime import datetime, timezone

from odoo import api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import AccessError

from ..wc_connector.errors import RateLimitedError, WooCommerceError, is_transient
from ..wc_connector.payloads.refunds import parse_refund
from ..wc_connector.retry import RetryPolicy
from ..wc_connector.rules.document_dates import local_date
from ..wc_connector.rules.settlement import DEFAULT_WRITE_OFF_LIMIT
from .compat import USABLE_ACCOUNTS_DOMAIN
from .const import MANAGER_GROUP, OTHER_GATEWAY
from .wc_error_text import error_text

#: The company tax rounding that reproduces the store's per-line rounding ("round tax at subtotal" off).
ROUND_PER_LINE = "round_per_line"


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_gateway_ids = fields.One2many("wc.payment.gateway", "store_id", string="Payment Gateways")
    wc_validate_delivery = fields.Boolean(
        string="Validate delivery for completed orders",
        default=True,
        help="When the store completes an order, its delivery in Odoo is validated and the stock moves.",
    )
    wc_write_off_account_id = fields.Many2one(
        "account.account",
        string="Rounding write-off account",
        check_company=True,
        domain=USABLE_ACCOUNTS_DOMAIN,
        help="Where a store payment's rounding difference to its invoice is posted, so the invoice closes "
        "(the store's 'round tax at subtotal' option makes its total a cent off its lines now and then). "
        "Empty: the company's cash difference accounts (expense when the customer paid less, income when more).",
    )
    wc_write_off_limit = fields.Float(
        string="Write-off limit",
        digits="Account",
        default=float(DEFAULT_WRITE_OFF_LIMIT),
        help="The largest difference between a store payment and its invoice that is written off. A larger one "
        "is real money (a partial payment, an overpayment): it stays open. 0 writes nothing off.",
    )
    wc_tax_rounding_warning = fields.Boolean(
        compute="_compute_wc_tax_rounding_warning",
        help="The company rounds taxes globally; the store rounds them per line.",
    )

    @api.depends("company_id.tax_calculation_rounding_method")
    def _compute_wc_tax_rounding_warning(self):
        for store in self:
            store.wc_tax_rounding_warning = store.company_id.tax_calculation_rounding_method != ROUND_PER_LINE

    def action_wc_round_tax_per_line(self):
        """Make the store's company round taxes per line, as the store does; said in the store's chatter.

        A company-wide accounting setting: changed only on request (the button the store form shows with its
        explanation), by a WooCommerce manager who is also an accounting administrator.
        """
        if not (self.env.user.has_group(MANAGER_GROUP)
                and self.env.user.has_group("account.group_account_manager")):
            raise AccessError(self.env._(
                "Only a WooCommerce manager with accounting administrator rights may change the company's tax rounding."
            ))
        for store in self.filtered("wc_tax_rounding_warning"):
            company = store.company_id
            company.sudo().tax_calculation_rounding_method = ROUND_PER_LINE
            store.message_post(
                body=self.env._(
                    "Tax rounding of company %(company)s set to per line (it was global), as the store rounds "
                    "tax: orders now total to the store's cent.",
                    company=company.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _wc_tz(self):
        """The time zone documents are dated in: the company's (its partner's), else the user's, else UTC."""
        self.ensure_one()
        return self.company_id.partner_id.tz or self.env.user.tz or "UTC"

    def _wc_today(self):
        """Today in the company's time zone (for documents the store gave no date for)."""
        return local_date(datetime.now(timezone.utc), self._wc_tz())

    def _wc_write_off_account(self, loss):
        """The account a rounding difference goes to: the store's, else the company's cash difference
        expense (``loss``: the customer paid less) or income account."""
        self.ensure_one()
        company = self.company_id
        return self.wc_write_off_account_id or (
            company.default_cash_difference_expense_account_id if loss else company.default_cash_difference_income_account_id
        )

    def _wc_setup_gateways(self, gateways):
        """Record the store's payment gateways (the dicts of ``GET payment_gateways``) and their journals.

        Creates or updates one ``wc.payment.gateway`` per gateway (title,
        enabled) and a bank journal "WC <title>" for each enabled gateway that
        has none yet. Calling it again with the same list changes nothing.
        Returns the store's gateways.
        """
        self.ensure_one()
        existing = {gateway.gateway: gateway for gateway in self.wc_gateway_ids}
        to_create = []
        for position, data in enumerate(gateways):
            key = str(data.get("id") or "").strip()
            if not key:
                continue
            values = {
                "name": data.get("title") or data.get("method_title") or key,
                "enabled": bool(data.get("enabled")),
                "sequence": position,
            }
            gateway = existing.get(key)
            if gateway:
                changed = {name: value for name, value in values.items() if gateway[name] != value}
                if changed:
                    gateway.write(changed)
            else:
                to_create.append(dict(values, store_id=self.id, gateway=key))
        if to_create:
            self.env["wc.payment.gateway"].create(to_create)
        self.wc_gateway_ids.filtered("enabled")._ensure_journals()
        return self.wc_gateway_ids

    def _wc_gateway(self, method, title=""):
        """The store's gateway for an order's ``payment_method``, created (with a journal) when unknown."""
        self.ensure_one()
        key = (method or "").strip() or OTHER_GATEWAY
        gateway = self.wc_gateway_ids.filtered(lambda record: record.gateway == key)[:1]
        if not gateway:
            gateway = self.env["wc.payment.gateway"].create(
                {"store_id": self.id, "gateway": key, "name": title or key, "enabled": True}
            )
        gateway._ensure_journals()
        return gateway

    def _wc_fetch_refunds(self, order_id):
        """The refunds of store order ``order_id`` (``GET orders/<id>/refunds``), parsed.

        One GET per order with a new partial refund: the store has no refunds
        listing (WooCommerce 8.9 answers 404 to ``/refunds``), and a partial
        refund's credit note needs its lines. A refunded order needs none
        (``sale.order._wc_credit_remainder`` credits it from the order).
        """
        self.ensure_one()
        # No retries (no sleeping) inside the import's transaction: a store that is down or busy now makes the
        # job retry later (queue_job's RetryableJobError); it is not the order's failure.
        try:
            with self._client(retry=RetryPolicy(attempts=1)) as client:
                records = list(client.iter_records(f"orders/{order_id}/refunds"))
        except WooCommerceError as error:
            if is_transient(error):
                seconds = error.retry_after if isinstance(error, RateLimitedError) else None
                raise RetryableJobError(
                    self.env._("The store could not list the refunds of order %(id)s: %(error)s", id=order_id, error=error_text(self.env, error)),
                    seconds=math.ceil(seconds) if seconds else None,
                ) from None
            raise
        return [parse_refund(data, order_id=order_id) for data in records]
