"""A WooCommerce store that this database is connected to.

Credentials live here and nowhere else. The consumer key/secret and the webhook
secret are fields restricted to the "WooCommerce manager" group: a WooCommerce
user sees the store (name, URL, connection status) but can neither read nor
write a secret. Code that needs the secrets to talk to the store goes through
:meth:`WcStore._client`, the one place that reads them (as superuser).
"""

import logging
import secrets
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..wc_connector.client import StoreClient, StoreConfig
from ..wc_connector.errors import WooCommerceError
from ..wc_connector.retry import RetryPolicy
from .compat import Constraint
from .const import MANAGER_GROUP, USER_GROUP
from .wc_access import check_wc_group
from .wc_error_text import error_text

_logger = logging.getLogger(__name__)

#: Changing any of these makes the last connection test meaningless.
CONNECTION_FIELDS = ("url", "consumer_key", "consumer_secret", "verify_ssl", "timeout")


def new_webhook_secret():
    """Return a fresh random secret for signing the store's webhook deliveries."""
    return secrets.token_urlsafe(32)


def normalize_store_url(url):
    """Return the site's address: no surrounding blanks, no trailing slashes,
    no REST API path.

    The client appends ``/wp-json/wc/v3`` to it, so ``https://shop.example/``,
    ``https://shop.example`` and a pasted ``https://shop.example/wp-json/wc/v3``
    must all be the same store.
    """
    if not url:
        return url
    url = url.strip()
    site, api_marker, _api_path = url.partition("/wp-json")
    return (site if api_marker else url).rstrip("/")


class WcStore(models.Model):
    _name = "wc.store"
    _description = "WooCommerce Store"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    url = fields.Char(
        string="Store URL",
        required=True,
        tracking=True,
        help="The address of the WordPress site, e.g. https://shop.example.com "
        "(the REST API is found under /wp-json/wc/v3).",
    )
    consumer_key = fields.Char(
        groups=MANAGER_GROUP,
        copy=False,
        help="WooCommerce › Settings › Advanced › REST API: a key with Read/Write permission.",
    )
    consumer_secret = fields.Char(groups=MANAGER_GROUP, copy=False)
    webhook_secret = fields.Char(
        groups=MANAGER_GROUP,
        copy=False,
        help="Paste this secret into each webhook of the store (WooCommerce › Settings › "
        "Advanced › Webhooks); deliveries signed with another secret are refused.",
    )
    verify_ssl = fields.Boolean(
        string="Verify SSL",
        default=True,
        tracking=True,
        help="Check the store's HTTPS certificate. Switch off only for a test store "
        "with a self-signed certificate.",
    )
    timeout = fields.Integer(
        string="Timeout (s)",
        default=30,
        help="Seconds to wait for the store to answer one request.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    connection_status = fields.Selection(
        [("untested", "Not tested"), ("ok", "Connected"), ("failed", "Failed")],
        default="untested",
        required=True,
        readonly=True,
        copy=False,
    )
    connection_message = fields.Text(readonly=True, copy=False)
    last_connection_check = fields.Datetime(readonly=True, copy=False)

    _timeout_positive = Constraint("CHECK(timeout > 0)", "The timeout must be at least one second.")

    @api.constrains("url")
    def _check_url(self):
        for store in self:
            parts = urlsplit(store.url or "")
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValidationError(
                    store.env._(
                        "The store URL %(url)s is not a web address: it must start with "
                        "https:// (or http://) followed by the site's domain.",
                        url=store.url,
                    )
                )
            if parts.query or parts.fragment:
                raise ValidationError(
                    store.env._(
                        "The store URL %(url)s must be the site's address only, "
                        "without '?' or '#' parts.",
                        url=store.url,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """The one ``create`` of ``wc.store``: everything connecting a store sets up (seed A.8), in this order.

        The steps live in the files of their areas; only their order is
        decided here — the channel exists before the first job is queued.
        """
        for vals in vals_list:
            if "url" in vals:
                vals["url"] = normalize_store_url(vals["url"])
            if not vals.get("webhook_secret"):
                vals["webhook_secret"] = new_webhook_secret()
        stores = super().create(vals_list)
        stores.filtered(lambda store: not store.customer_club_tag_id)._create_customer_club_tags()  # wc_store_customers
        stores._wc_order_sequence()  # wc_store_orders
        stores._wc_ensure_channels()  # wc_store_channels
        stores._wc_queue_webhook_registration()  # wc_store_webhooks: a job on the store's channel
        return stores

    def write(self, vals):
        vals = dict(vals)
        if "url" in vals:
            vals["url"] = normalize_store_url(vals["url"])
        if "connection_status" not in vals and any(name in vals for name in CONNECTION_FIELDS):
            vals.update(connection_status="untested", connection_message=False)
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        if default and "name" in default:
            return vals_list
        return [dict(vals, name=self.env._("%s (copy)", store.name)) for store, vals in zip(self, vals_list)]

    def _client(self, retry=None):
        """Return a :class:`StoreClient` for this store; the caller closes it.

        The only place that reads the secrets, as superuser, so that a
        WooCommerce user's action (a sync, a connection test) can still talk
        to the store without ever seeing the keys. ``retry`` replaces the
        default :class:`RetryPolicy` (e.g. no retries for a connection test).
        """
        self.ensure_one()
        store = self.sudo()
        return StoreClient(
            StoreConfig(
                store.url,
                store.consumer_key or "",
                store.consumer_secret or "",
                verify_ssl=store.verify_ssl,
                timeout=store.timeout,
                retry=retry or RetryPolicy(),
            )
        )

    def action_test_connection(self):
        """Ask the store who it is and tell the user, in plain words, what happened.

        Success names the store, its WooCommerce version and currency; a
        failure is the error's own sentence (wrong key, not reachable, not
        WooCommerce, SSL). The result is kept on the store and in its chatter.
        """
        self.ensure_one()
        check_wc_group(self.env, USER_GROUP, self.env._("Test connection"))
        ok, message = self._check_connection()
        # Users may test a store they can only read: the result is a fact
        # about the store, not an edit of its settings (the note's author is
        # still the user: sudo() keeps env.user).
        self.sudo().write(
            {
                "connection_status": "ok" if ok else "failed",
                "connection_message": message,
                "last_connection_check": fields.Datetime.now(),
            }
        )
        self.sudo().message_post(
            body=self.env._("Connection test: %s", message),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Connection successful") if ok else self.env._("Connection failed"),
                "message": message,
                "type": "success" if ok else "danger",
                "sticky": not ok,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _check_connection(self):
        """Return ``(ok, message)`` after asking the store for its identity."""
        store = self.sudo()
        if not (store.consumer_key and store.consumer_secret):
            return False, self.env._(
                "The consumer key and secret are missing: create a REST API key with "
                "Read/Write permission in WooCommerce › Settings › Advanced › REST API "
                "and enter both here."
            )
        # No retries: the user is waiting for a diagnosis of the store as it is now.
        client = self._client(retry=RetryPolicy(attempts=1))
        try:
            info = client.store_info()
        except WooCommerceError as error:
            # The error is written for the shop owner (in their language) and never holds a secret.
            _logger.info("Connection test of store %s failed: %s", self.id, error)
            return False, error_text(self.env, error)
        finally:
            client.close()
        return True, self.env._(
            "Connected to %(name)s: WooCommerce %(version)s, currency %(currency)s",
            name=info.name,
            version=info.wc_version,
            currency=info.currency,
        )

    def action_regenerate_webhook_secret(self):
        """Replace the webhook secret; the store's webhooks must then get the new one."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Regenerate the webhook secret"))
        for store in self:
            store.webhook_secret = new_webhook_secret()
            store.message_post(
                body=self.env._(
                    "The webhook secret was regenerated: enter the new secret in every "
                    "webhook of the store, or its deliveries will be refused."
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
