"""The endpoint the store's webhooks POST to: one URL per store, ``/woocommerce/webhook/<store id>``.

Thin on purpose: find the store, let :func:`..wc_connector.webhooks.parse_delivery`
verify and read the delivery, hand a verified one to the store
(:meth:`wc.store._wc_enqueue_delivery` records it and queues its job) and
answer at once. The answers:

- 404: no such (active) store;
- 200: the store's ping, a delivery queued, a replayed delivery (already
  received; the store need not send it again), or a topic we do not handle
  (acknowledged and ignored: an error answer would only make the store retry
  it and, after five, disable the webhook — and with it the topics we need);
- 401: a missing or wrong signature — nothing is recorded or queued;
- 400: a signed body that is not a JSON object (the store will not fix it by
  resending, but the failure shows on the store's webhook log).

Neither the secret nor the signature is ever logged.
"""

import logging
from urllib.parse import urlencode

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..wc_connector.errors import (
    BadSignatureError,
    InvalidWebhookBodyError,
    MissingSignatureError,
    UnknownTopicError,
)
from ..wc_connector.webhooks import Ping, parse_delivery

_logger = logging.getLogger(__name__)


class WooCommerceWebhookController(http.Controller):
    @http.route(
        "/woocommerce/webhook/<int:store_id>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,  # auth="none" routes default to a read-only cursor; a delivery is written
    )
    def woocommerce_webhook(self, store_id, **_form):
        """Receive one delivery of store ``store_id``; see the module docstring for the answers."""
        # A delivery is the sync's work, not a user's: it runs (and queues its job) as the superuser.
        store = request.env(user=SUPERUSER_ID)["wc.store"].browse(store_id).exists()
        if not store or not store.active:
            return _answer(404)
        secret = store.webhook_secret
        if not secret:
            # An empty key would let anyone sign; a store without a secret accepts nothing.
            _logger.warning("Store %s has no webhook secret: delivery refused", store_id)
            return _answer(401)
        try:
            delivery = parse_delivery(request.httprequest.headers, _raw_body(), secret)
        except (MissingSignatureError, BadSignatureError) as error:
            _logger.warning("Store %s: webhook delivery refused: %s", store_id, error)
            return _answer(401)
        except UnknownTopicError as error:
            _logger.info("Store %s: %s", store_id, error)
            return _answer(200)
        except InvalidWebhookBodyError as error:
            _logger.warning("Store %s: %s", store_id, error)
            return _answer(400)
        if isinstance(delivery, Ping):
            _logger.info("Store %s: ping from webhook %s answered", store_id, delivery.webhook_id)
            return _answer(200)
        store._wc_enqueue_delivery(delivery)
        return _answer(200)


def _raw_body():
    """The request body as the store sent it.

    Odoo reads form-encoded bodies into the route's parameters before the
    route runs, which empties the stream; the store's ping is such a body
    (``webhook_id=N``), so it is put back together from the form. A ping is
    unsigned, so no signature is checked against these bytes; a *signed*
    form body would not verify, and is refused as it should be.
    """
    body = request.httprequest.get_data()
    if not body and request.httprequest.form:
        body = urlencode(list(request.httprequest.form.items(multi=True))).encode("ascii")
    return body


def _answer(status):
    return request.make_response("", status=status, headers=[("Content-Type", "text/plain")])
