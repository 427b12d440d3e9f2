"""The store's webhooks, registered and watched from Odoo.

*Register webhooks* (and every save that changes the store's address, keys or
webhook secret, through a job so that saving never waits for the store)
makes the store send the topics of :data:`..models.wc_webhook.WEBHOOK_TOPICS`
to this database's per-store URL, signed with the store's webhook secret. A
webhook the store already has for that topic — the one registered before
(by its id), or one with the same topic and delivery URL — is updated, never
duplicated. The store's answer (each webhook's status) is kept on
``wc.webhook`` rows and shown on the store form; a webhook the store
disabled (after more than five failed deliveries) is re-enabled in one click.

Registering sends the webhook secret to the store; over plain http anyone on
the way reads it and can then sign deliveries. So a store reached over http
shows a warning, and its webhooks are registered (by the button or after a
save) only once a manager has ticked the explicit confirmation
``wc_webhook_http_allowed``; https is what the README recommends.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..wc_connector.errors import WooCommerceError
from ..wc_connector.retry import RetryPolicy
from .const import MANAGER_GROUP
from .wc_access import check_wc_group
from .wc_error_text import error_text
from .wc_webhook import WEBHOOK_STATUSES, WEBHOOK_TOPICS

_logger = logging.getLogger(__name__)

#: The route of the webhook controller; the store id follows.
WEBHOOK_ROUTE = "/woocommerce/webhook"

#: A user who clicks waits for the store as it is now, not for retries (as "Test connection" does).
NO_RETRY = RetryPolicy(attempts=1)

#: Saving any of these makes the store's webhooks out of date (or, the confirmation, registrable).
WEBHOOK_FIELDS = ("url", "consumer_key", "consumer_secret", "webhook_secret", "wc_webhook_http_allowed")


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_webhook_ids = fields.One2many("wc.webhook", "store_id", string="Webhooks", readonly=True)
    wc_webhook_url = fields.Char(string="Delivery URL", compute="_compute_wc_webhook_url")
    wc_webhook_disabled = fields.Boolean(compute="_compute_wc_webhook_disabled")
    wc_webhook_insecure = fields.Boolean(
        string="Reached over plain http",
        compute="_compute_wc_webhook_insecure",
        help="The store's address is http: registering webhooks would send their secret unencrypted.",
    )
    wc_webhook_http_allowed = fields.Boolean(
        string="Send the webhook secret over plain http",
        copy=False,
        help="Register the webhooks of this http store anyway: whoever can read the traffic between Odoo and "
        "the store learns the secret and can forge deliveries. Prefer an https address.",
    )

    def _compute_wc_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for store in self:
            store.wc_webhook_url = f"{base}{WEBHOOK_ROUTE}/{store.id}" if store.id else False

    @api.depends("wc_webhook_ids.status")
    def _compute_wc_webhook_disabled(self):
        for store in self:
            store.wc_webhook_disabled = any(hook.status == "disabled" for hook in store.wc_webhook_ids)

    @api.depends("url")
    def _compute_wc_webhook_insecure(self):
        for store in self:
            store.wc_webhook_insecure = (store.url or "").strip().lower().startswith("http://")

    def _wc_webhook_transport_refused(self):
        """Why the webhooks may not be registered now (an http store not confirmed), or ``None``."""
        self.ensure_one()
        if self.wc_webhook_insecure and not self.wc_webhook_http_allowed:
            return self.env._(
                "the store is reached over plain http, which would send the webhook secret unencrypted. "
                "Use an https address, or tick 'Send the webhook secret over plain http' on the Webhooks page "
                "to accept that risk"
            )
        return None

    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in WEBHOOK_FIELDS):
            self._wc_queue_webhook_registration()
        return result

    # -- actions -----------------------------------------------------------------

    def action_register_webhooks(self):
        """Create or update the store's webhooks now and show their status (button)."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Register webhooks"))
        for store in self:
            refused = store._wc_webhook_transport_refused()
            if refused:
                raise UserError(self.env._("The webhooks were not registered: %s.", refused))
            try:
                store._wc_register_webhooks(retry=NO_RETRY)
            except WooCommerceError as error:
                raise UserError(self.env._("The webhooks could not be registered: %s", error_text(self.env, error))) from None
        return True

    def action_refresh_webhooks(self):
        """Ask the store for its webhooks' current status (button)."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Refresh the webhooks' status"))
        for store in self:
            try:
                with store._client(retry=NO_RETRY) as client:
                    store._wc_keep_webhooks(store._wc_our_webhooks(list(client.iter_records("webhooks"))).values())
            except WooCommerceError as error:
                raise UserError(self.env._("The store's webhooks could not be read: %s", error_text(self.env, error))) from None
        return True

    # -- registration ------------------------------------------------------------

    def _wc_queue_webhook_registration(self):
        """Register the webhooks of the stores that have keys in a job (runs after the save is committed)."""
        for store in self.sudo().filtered(
            lambda s: s.active and s.consumer_key and s.consumer_secret and not s._wc_webhook_transport_refused()
        ):
            store.with_delay(
                channel=store._wc_channel(),
                identity_key=f"wc:{store.id}:webhooks:register",
                description=self.env._("%s: register the store's webhooks", store.name),
            )._wc_job_register_webhooks()

    def _wc_job_register_webhooks(self):
        """Job: register the webhooks; a failure is told in the chatter (the Register button tries again)."""
        self.ensure_one()
        try:
            self._wc_register_webhooks(retry=NO_RETRY)
        except (WooCommerceError, UserError) as error:
            self.message_post(
                body=self.env._("The store's webhooks could not be registered: %s", error_text(self.env, error)),
                subtype_xmlid="mail.mt_note",
            )
            return f"not registered: {error}"
        return "registered"

    def _wc_register_webhooks(self, retry=None):
        """Create the missing webhooks, update ours (URL, secret) and keep the store's answer; raise on failure."""
        self.ensure_one()
        refused = self._wc_webhook_transport_refused()
        if refused:
            # Checked here too: a job queued before the address changed to http must not send the secret.
            raise UserError(self.env._("The webhooks were not registered: %s.", refused))
        url = self.wc_webhook_url
        secret = self.sudo().webhook_secret
        with self._client(retry=retry) as client:
            ours = self._wc_our_webhooks(list(client.iter_records("webhooks")))
            name = self.env._("Odoo %(db)s: %(topic)s", db=self.env.cr.dbname, topic="%s")
            result = client.batch(
                "webhooks",
                create=[
                    {"name": name % topic, "topic": topic, "delivery_url": url, "secret": secret, "status": "active"}
                    for topic in WEBHOOK_TOPICS
                    if topic not in ours
                ],
                update=[
                    {"id": hook["id"], "name": name % topic, "delivery_url": url, "secret": secret}
                    for topic, hook in ours.items()
                ],
            )
        self._wc_keep_webhooks(item.record for item in result.items if item.ok and isinstance(item.record, dict))
        if result.failed:
            raise result.failed[0].error
        self.message_post(
            body=self.env._("The store's webhooks were registered for %s.", url), subtype_xmlid="mail.mt_note"
        )

    def _wc_our_webhooks(self, remote):
        """The store's webhooks that are ours, one per topic: the one registered before, else same topic and URL."""
        known = {hook.wc_webhook_id: hook.topic for hook in self.wc_webhook_ids}
        ours = {}
        for hook in remote:
            topic = hook.get("topic")
            if topic not in WEBHOOK_TOPICS:
                continue
            if known.get(hook.get("id")) == topic:
                ours[topic] = hook  # the one we registered wins over a look-alike
            elif hook.get("delivery_url") == self.wc_webhook_url:
                ours.setdefault(topic, hook)
        return ours

    def _wc_keep_webhooks(self, records):
        """Make the ``wc.webhook`` rows match the store's webhook records (status as the store says it)."""
        records = {record["id"]: record for record in records}
        Webhook = self.env["wc.webhook"].sudo()
        existing = {hook.wc_webhook_id: hook for hook in self.sudo().wc_webhook_ids}
        statuses = dict(WEBHOOK_STATUSES)
        now = fields.Datetime.now()
        new = []
        for wc_id, record in records.items():
            vals = {
                "topic": record.get("topic"),
                "delivery_url": record.get("delivery_url"),
                "status": record.get("status") if record.get("status") in statuses else False,
                "last_sync": now,
            }
            if wc_id in existing:
                existing[wc_id].write(vals)
            else:
                new.append(dict(vals, store_id=self.id, wc_webhook_id=wc_id))
        Webhook.create(new)

    def _wc_set_webhook_status(self, webhooks, status):
        """Ask the store to give ``webhooks`` (``wc.webhook`` rows of this store) a status; keep its answer."""
        self.ensure_one()
        try:
            with self._client(retry=NO_RETRY) as client:
                result = client.batch("webhooks", update=[{"id": hook.wc_webhook_id, "status": status} for hook in webhooks])
        except WooCommerceError as error:
            raise UserError(self.env._("The store could not change the webhook: %s", error_text(self.env, error))) from None
        self._wc_keep_webhooks(item.record for item in result.items if item.ok and isinstance(item.record, dict))
        if result.failed:
            raise UserError(self.env._("The store could not change the webhook: %s", result.failed[0].error))
