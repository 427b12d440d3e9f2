"""Is this store record our own write coming back? (echo recognition)

When the connector writes to the store, the store answers with the saved
record and, up to a minute later, sends a webhook (``order.updated``) and
lists the record in the next sync window. Applying that echo in Odoo would
at best waste work and at worst act on it (an order echoed back as
``completed`` would be invoiced by the import).

What the real store shows (captures ``reverse/5_echo`` and ``reverse/2_orders``):

- A meta entry the connector writes (``_odoo_sync_token``) is stored and
  returned in the PUT answer, in GET and in the webhook payload.
- Deliveries coalesce: two writes before the store's queue runs give ONE
  delivery with the latest state, so a token written by the connector is
  still present after a later change made in the shop. The token alone
  therefore does not prove the state is ours.
- The payload's ``date_modified_gmt`` equals the connector's PUT answer's
  when nothing happened in between; any later write (even a no-op) moves it.

So a record is our echo when it carries the token we wrote **and** its
``date_modified_gmt`` (whole seconds) equals the one our own write's answer
had. Products carry no token (a stock batch stays lean, and a token in
``meta_data`` would itself be a change): for them the modification second is
the whole check (:func:`is_unchanged_since_our_write`).
"""

import uuid

from ..payloads.dates import to_utc

#: The meta key the connector writes its token under (stored and returned by the store).
TOKEN_KEY = "_odoo_sync_token"


def new_token():
    """A fresh token for one write: unique, short, no secret in it."""
    return uuid.uuid4().hex


def token_meta(token):
    """The ``meta_data`` entry that carries ``token`` in a write."""
    return {"key": TOKEN_KEY, "value": token}


def token_of(record):
    """The connector's token in a store record's ``meta_data``, or ``None``."""
    for entry in (record or {}).get("meta_data") or ():
        if isinstance(entry, dict) and entry.get("key") == TOKEN_KEY:
            return entry.get("value") or None
    return None


def modified_at(record):
    """The record's ``date_modified_gmt`` as an aware UTC datetime to the second, or ``None``."""
    try:
        moment = to_utc((record or {}).get("date_modified_gmt"))
    except ValueError:
        return None
    return moment.replace(microsecond=0) if moment else None


def is_echo(record, written_token, written_modified_at):
    """Whether ``record`` (a webhook payload or listed record) is exactly the state our last write left.

    ``written_token`` is the token our last write carried and
    ``written_modified_at`` the ``date_modified_gmt`` (aware datetime) of
    the store's answer to it. Both must match: the token proves the write
    was ours, the unchanged modification second proves nobody wrote since.
    """
    if not written_token or token_of(record) != written_token:
        return False
    return is_unchanged_since_our_write(modified_at(record), written_modified_at)


def is_unchanged_since_our_write(delivered_modified, written_modified):
    """Whether a record's ``date_modified`` is the one our last write to it returned (whole seconds).

    The products' echo check, and the orders' besides their token: any later
    write in the store, even one that changes nothing, moves the second on.
    """
    if delivered_modified is None or written_modified is None:
        return False
    return delivered_modified.replace(microsecond=0) == written_modified.replace(microsecond=0)
