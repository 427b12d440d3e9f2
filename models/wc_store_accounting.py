"""The store's accounting settings: payment gateways → journals, delivery validation for completed orders."""

import math

from odoo import fields, models

from odoo.addons.queue_job.exception import RetryableJobError

from ..wc_connector.errors import RateLimitedError, WooCommerceError, is_transient
from ..wc_connector.payloads.refunds import parse_refund
from ..wc_connector.retry import RetryPolicy
from .wc_payment_gateway import OTHER_GATEWAY


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_gateway_ids = fields.One2many("wc.payment.gateway", "store_id", string="Payment Gateways")
    wc_validate_delivery = fields.Boolean(
        string="Validate delivery for completed orders",
        default=True,
        help="When the store completes an order, its delivery in Odoo is validated and the stock moves.",
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
                    self.env._("The store could not list the refunds of order %(id)s: %(error)s", id=order_id, error=error),
                    seconds=math.ceil(seconds) if seconds else None,
                ) from None
            raise
        return [parse_refund(data, order_id=order_id) for data in records]
