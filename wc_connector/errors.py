"""Every exception the core raises, one type per meaning.

The store answers errors as ``{"code": ..., "message": ..., "data": {"status": N}}``.
Each exception keeps that code, message and HTTP status so that logs and the
sync log can show exactly what the store said, while ``str(error)`` is a
sentence a shop owner understands. No exception text ever contains a consumer
key, a secret or a signed URL: callers pass the endpoint path, never the URL
that was sent.

That sentence is made of English templates marked for translation
(``texts.py``): ``str(error)`` is the English, and ``error.render(translate)``
lets the Odoo side show it in the reader's language.
"""

from .texts import TranslatableText, _lt, english


class WooCommerceError(TranslatableText, Exception):
    """Base of every error that comes from talking to a store."""

    #: What the shop owner reads first; subclasses say what it means for them.
    summary = _lt("The store answered with an error.")

    def __init__(self, message=None, *, code=None, status=None, data=None):
        self.code = code or ""
        self.message = message or ""
        self.status = status
        self.data = data
        super().__init__(self.render())

    def texts(self):
        """The summary, then what the store said and its error code (the store's words, not translated)."""
        texts = [(self.summary, {})]
        if self.message:
            texts.append((_lt("The store said: %(message)s"), {"message": self.message}))
        if self.code:
            texts.append(("(%(code)s)", {"code": self.code}))
        return texts


class AuthenticationError(WooCommerceError):
    summary = _lt(
        "The store refused our credentials: check the consumer key and secret, "
        "and that the key has read/write permission."
    )


class NotFoundError(WooCommerceError):
    summary = _lt("The store does not have what we asked for (it may have been deleted).")


class InvalidRequestError(WooCommerceError):
    summary = _lt("The store rejected the request as invalid.")


class PayloadTooLargeError(WooCommerceError):
    summary = _lt("The store rejected a request that was too large.")


class RateLimitedError(WooCommerceError):
    summary = _lt("The store is limiting how fast we may call it; we will try again shortly.")

    def __init__(self, message=None, *, retry_after=None, **kwargs):
        #: Seconds the store asked us to wait (from ``Retry-After``), or None.
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class StoreUnavailableError(WooCommerceError):
    summary = _lt("The store could not be reached or is not working right now; we will try again.")


class StoreSSLError(WooCommerceError):
    summary = _lt(
        "The store's SSL certificate could not be verified. Fix the certificate, "
        "or switch off 'Verify SSL' for a test store."
    )


class NotWooCommerceError(WooCommerceError):
    summary = _lt(
        "The address answers, but not like a WooCommerce store: check the store URL "
        "and that the WooCommerce REST API is enabled."
    )


#: Errors that may go away by themselves; retrying later can help.
TRANSIENT_ERRORS = (RateLimitedError, StoreUnavailableError)


def is_transient(error):
    """Tell whether retrying the same request later may succeed."""
    return isinstance(error, TRANSIENT_ERRORS)


class PayloadError(TranslatableText, ValueError):
    """A record from the store that we cannot use as it is.

    Names the record type, its id and the field, so the sync log says
    exactly which order (or customer, product...) is wrong and why.
    """

    def __init__(self, record_type, record_id, field, problem, params=None):
        self.record_type = record_type
        self.record_id = record_id
        self.field = field
        #: What is wrong: a template marked for translation, filled in with ``params`` (the values sent).
        self.problem_template = problem
        self.problem_params = params or {}
        self.problem = english(problem, self.problem_params)
        super().__init__(self.render())

    def texts(self):
        record = f"{self.record_type} {self.record_id}" if self.record_id not in (None, "") else self.record_type
        return [(_lt("The store's %(record)s has an invalid '%(field)s':"), {"record": record, "field": self.field}),
                (self.problem_template, self.problem_params)]


class WebhookError(TranslatableText, Exception):
    """A webhook delivery we refuse; the message says why (``template`` filled in with ``params``)."""

    template = _lt("The webhook delivery was refused.")

    def __init__(self, **params):
        self.params = params
        super().__init__(self.render())

    def texts(self):
        return [(self.template, self.params)]


class MissingSignatureError(WebhookError):
    template = _lt("The webhook delivery has no X-WC-Webhook-Signature header; it was ignored.")


class BadSignatureError(WebhookError):
    template = _lt("The webhook delivery's signature does not match the store's webhook secret; it was ignored.")


class UnknownTopicError(WebhookError):
    template = _lt("The webhook topic '%(topic)s' is not one the connector handles; it was ignored.")

    def __init__(self, topic):
        self.topic = topic
        super().__init__(topic=topic)


class InvalidWebhookBodyError(WebhookError):
    template = _lt("The webhook delivery's body is not valid JSON (%(problem)s); it was ignored.")

    def __init__(self, problem):
        super().__init__(problem=problem)


class WebhookBodyMismatchError(InvalidWebhookBodyError):
    """A signed JSON body whose shape does not fit its (unsigned) topic header."""

    template = _lt("The webhook delivery's body does not fit its topic '%(topic)s' (%(problem)s); it was ignored.")

    def __init__(self, topic, problem):
        self.topic = topic
        WebhookError.__init__(self, topic=topic, problem=problem)
