"""The endpoint the store's webhooks POST to: one URL per store, ``/woocommerce/webhook/<store id>``.

Thin on purpose: find the store, let :func:`..wc_connector.webhooks.parse_delivery`
verify and read the delivery, hand a verified one to the store
(:meth:`wc.store._wc_enqueue_delivery` records it and queues its job) and
answer at once. The answers:

- 413: a body over :data:`~..wc_connector.webhooks.MAX_BODY_BYTES`: the
  route's ``max_content_length`` makes werkzeug refuse it from its
  ``Content-Length`` before it is parsed or held in memory (werkzeug drains
  it unread so that the client sees the answer);
- 200: a ping, a delivery queued, a replayed delivery (already received; the
  store need not send it again), or a topic we do not handle (acknowledged
  and ignored: an error answer would only make the store retry it and, after
  five, disable the webhook — and with it the topics we need);
- 401: a missing or wrong signature — and, the same way, a store id that is
  unknown, archived or has no webhook secret: the delivery is checked against
  a throw-away secret, so nobody learns which store ids exist; nothing is
  recorded or queued;
- 400: a signed body that is not a JSON object, or does not fit its topic
  (the store will not fix it by resending, but the failure shows on the
  store's webhook log).

Neither the secret nor the signature is ever logged.
"""

import logging
import secrets
from urllib.parse import urlencode

from werkzeug.exceptions import RequestEntityTooLarge

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..wc_connector.errors import (
    BadSignatureError,
    InvalidWebhookBodyError,
    MissingSignatureError,
    UnknownTopicError,
)
from ..wc_connector.webhooks import MAX_BODY_BYTES, Ping, parse_delivery

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
        max_content_length=MAX_BODY_BYTES,  # werkzeug reads no further (a chunked body has no length to check)
    )
    def woocommerce_webhook(self, store_id, **_form):
        """Receive one delivery of store ``store_id``; see the module docstring for the answers."""
        if (request.httprequest.content_length or 0) > MAX_BODY_BYTES:
            _logger.warning("Store %s: webhook delivery of %s bytes refused", store_id, request.httprequest.content_length)
            return _answer(413)
        body = _raw_body()
        if body is None:
            _logger.warning("Store %s: webhook delivery over %s bytes refused", store_id, MAX_BODY_BYTES)
            return _answer(413)
        # A delivery is the sync's work, not a user's: it runs (and queues its job) as the superuser.
        store = request.env(user=SUPERUSER_ID)["wc.store"].browse(store_id).exists()
        secret = store.webhook_secret if store and store.active else None
        if store and store.active and not secret:
            _logger.warning("Store %s has no webhook secret: its deliveries are refused", store_id)
        # No store (or no secret, which would let anyone sign): verify against a secret nobody has,
        # so the answer is the one of a bad signature and tells nothing about which stores exist.
        try:
            delivery = parse_delivery(request.httprequest.headers, body, secret or secrets.token_urlsafe(32))
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
        if not secret:
            # Unreachable (nobody signs with the throw-away secret); never enqueue for a missing store.
            return _answer(401)
        store._wc_enqueue_delivery(delivery)
        return _answer(200)


def _raw_body():
    """The request body as the store sent it, or ``None`` when it is over the limit.

    Read with the route's ``max_content_length`` (a chunked body has no
    ``Content-Length`` to check first). Odoo reads form-encoded bodies into
    the route's parameters before the route runs, which empties the stream; the store's ping is such a body
    (``webhook_id=N``), so it is put back together from the form. A ping is
    unsigned, so no signature is checked against these bytes; a *signed*
    form body would not verify, and is refused as it should be.
    """
    try:
        body = request.httprequest.get_data()
    except RequestEntityTooLarge:
        return None
    if not body and request.httprequest.form:
        body = urlencode(list(request.httprequest.form.items(multi=True))).encode("ascii")
    return body


def _answer(status):
    return request.make_response("", status=status, headers=[("Content-Type", "text/plain")])
