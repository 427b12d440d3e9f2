"""Odoo → store for orders: the store's push job, one write per changed order, batched.

Reading order: something in Odoo marks an order (``sale.order._wc_request_push``,
:mod:`.sale_order_push`), which calls :meth:`WcStore._wc_enqueue_order_push`:
one job per store, identity key ``wc:<store>:push:orders``, due a few
seconds later (``wc_push_delay``) so that the changes a user makes in a row
(validate the delivery, register the payment) end as one write. The job,
:meth:`WcStore._wc_push_orders`, takes every marked order of the store:

1. locks them like the import does (a webhook import and a push of the
   same order never interleave), reads their current store records, 100 per
   GET (``orders?include=…``);
2. per order, asks the conflict rule when the store changed the order
   since Odoo last saw it (not our own echo): the loser is noted in the
   chatter, and a store state newer than Odoo's change is never overwritten
   under "newest wins";
3. lets :func:`..wc_connector.rules.order_push.plan_order_push` decide the
   smallest write (status, ``set_paid``, tracking meta, customer sections,
   echo token);
4. sends them: one ``PUT orders/<id>`` for a single order, else
   ``POST orders/batch`` (100 per call); posts the tracking notes (the store
   mails them to the buyer);
5. keeps what the store answered: the token and ``date_modified`` of our
   write (the echo of it is then recognised, :mod:`..wc_connector.rules.echo`),
   the status, and a total the store moved (it recalculates on any write
   with billing/shipping) is flagged on the order.

A store that is down, busy (5xx, 429) or unreachable: the job is retried
with backoff (``data/queue_job_data.xml``); the orders stay marked. A
refused write (400) goes to the sync log with the store's message, direction
"Odoo → store", and *Retry* marks the order again (it enqueues; no HTTP in
the button).
"""

import logging

from odoo import fields, models
from odoo.addons.queue_job.exception import RetryableJobError

from ..wc_connector.client import MAX_BATCH_ITEMS
from ..wc_connector.errors import WooCommerceError, is_transient
from ..wc_connector.payloads.dates import as_utc, to_naive
from ..wc_connector.rules import echo, order_push
from ..wc_connector.rules.directions import CONTACTS, ORDERS, STORE
from .sale_order_push import SCOPE_KINDS
from .wc_error_text import error_text

_logger = logging.getLogger(__name__)


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_push_status_ids = fields.One2many(
        "wc.order.push.status", "store_id", string="Status sent to the store",
        help="Which store status each Odoo event sends; a row replaces the default for its event.")
    wc_push_delay = fields.Integer(
        string="Send changes after (seconds)", default=1,
        help="Odoo changes of one order made within this time reach the store as one write.")

    # -- queueing -----------------------------------------------------------------------------------

    def _wc_enqueue_order_push(self):
        """Queue this store's push job (once: identity key), due after ``wc_push_delay`` seconds.

        ``with_delay`` writes the job in the caller's transaction: the job
        exists, and the worker sees it, only once that transaction commits.
        """
        self.ensure_one()
        self.with_delay(
            channel=self._wc_channel(),
            identity_key=f"wc:{self.id}:push:orders",
            eta=max(self.wc_push_delay, 0),
            description=self.env._("%(store)s: send order changes to the store", store=self.name),
        )._wc_push_orders()

    def _wc_push_statuses(self):
        """The store's table ``{event: store status or ""}``: the defaults with the store's rows over them."""
        table = dict(order_push.DEFAULT_EVENT_STATUSES)
        for row in self.wc_push_status_ids:
            table[row.event] = "" if row.wc_status == "none" else row.wc_status
        return table

    # -- the job ---------------------------------------------------------------------------------------

    def _wc_push_orders(self):
        """Job: write every marked order of this store to the store; return what happened."""
        self.ensure_one()
        sales = self.env["sale.order"].sudo().search(
            [("wc_store_id", "=", self.id), ("wc_push_scope", "!=", False)], order="id")
        if not sales:
            return "nothing to send"
        self._wc_lock_orders(sales.mapped("wc_order_id"))
        client = self._client()
        try:
            return self._wc_push_sales(client, sales)
        finally:
            client.close()

    def _wc_push_sales(self, client, sales):
        by_wc_id = {sale.wc_order_id: sale for sale in sales}
        try:
            records = self._wc_fetch_orders(client, list(by_wc_id))
        except WooCommerceError as error:
            if is_transient(error):
                raise RetryableJobError(str(error), seconds=getattr(error, "retry_after", None) or None) from error
            raise
        statuses = self._wc_push_statuses()
        links = self._wc_push_customer_links(sales)
        writes, failures, done = [], [], sales.browse()
        for wc_id, sale in by_wc_id.items():
            record = records.get(wc_id)
            if record is None:
                failures.append((sale, self.env._("The order no longer exists in the store."), {}))
                continue
            scopes = self._wc_push_scopes_after_conflict(sale, record)
            push = order_push.plan_order_push(
                record, statuses, scopes,
                facts=sale._wc_push_facts() if order_push.SCOPE_STATUS in scopes else None,
                customer=sale._wc_push_customer(links) if order_push.SCOPE_CUSTOMER in scopes else None,
            )
            for problem in push.problems:
                sale.message_post(body=self._wc_push_problem_text(problem), subtype_xmlid="mail.mt_note")
            if push.body:
                writes.append((sale, record, push))
            else:
                done |= sale
        done.write({"wc_push_scope": False})
        retry, sent = self._wc_send_writes(client, writes, failures)
        self._wc_log_push_failures(failures)
        self.env["wc.sync.log"]._wc_resolve_pushes(self, [sale.wc_order_id for sale in sent])
        if retry:
            # Nothing written for these: keep them marked and try again later (backoff of the job function).
            if not sent:
                raise RetryableJobError(str(retry[0]), seconds=getattr(retry[0], "retry_after", None) or None)
            self.with_delay(
                channel=self._wc_channel(), identity_key=f"wc:{self.id}:push:orders", eta=60,
                description=self.env._("%(store)s: send order changes to the store", store=self.name),
            )._wc_push_orders()
        return f"orders: sent {len(sent)}, unchanged {len(done)}, failed {len(failures)}, retry {len(retry)}"

    def _wc_fetch_orders(self, client, wc_ids):
        """``{id: store record}`` of ``wc_ids``, one GET per 100."""
        records = {}
        for start in range(0, len(wc_ids), MAX_BATCH_ITEMS):
            chunk = wc_ids[start:start + MAX_BATCH_ITEMS]
            answer = client.get("orders", {"include": ",".join(map(str, chunk)), "per_page": len(chunk),
                                           "status": "any", "orderby": "id", "order": "asc"})
            records.update({record["id"]: record for record in answer if isinstance(record, dict)})
        return records

    def _wc_push_customer_links(self, sales):
        """``{partner id: store customer id}`` for the customers (and their companies) of ``sales``: one query."""
        partners = sales.partner_id | sales.partner_id.commercial_partner_id
        links = self.env["wc.customer.link"].sudo()._wc_bound_to(self, partners)
        return {link.partner_id.id: link.wc_customer_id for link in links}

    def _wc_push_scopes_after_conflict(self, sale, record):
        """The scopes still to send once the conflict rule has judged a store change made since the last sync."""
        scopes = set(filter(None, (sale.wc_push_scope or "").split(",")))
        if echo.is_echo(record, sale.wc_sync_token, as_utc(sale.wc_pushed_modified)):
            return scopes
        store_changed = order_push.store_changed_since(record, as_utc(sale.wc_date_modified))
        if not store_changed:
            return scopes
        odoo_changed = as_utc(sale.wc_push_requested_at)
        for scope in sorted(scopes):
            if self._wc_winner(SCOPE_KINDS[scope], odoo_changed, store_changed) == STORE:
                scopes.discard(scope)
                sale.message_post(body=self.env._(
                    "Not sent to %(store)s: the store order was changed there at %(store_time)s, after Odoo's "
                    "change (%(odoo_time)s); under this store's rule for %(kind)s the store's state stands and "
                    "the next sync brings it here.",
                    store=self.name, store_time=store_changed.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    odoo_time=odoo_changed.strftime("%Y-%m-%d %H:%M:%S UTC") if odoo_changed else "-",
                    kind=self._wc_kind_label(SCOPE_KINDS[scope])), subtype_xmlid="mail.mt_note")
            else:
                sale.message_post(body=self.env._(
                    "%(store)s changed the store order at %(store_time)s as well; under this store's rule for "
                    "%(kind)s Odoo's change wins and is sent, replacing the store's.",
                    store=self.name, store_time=store_changed.strftime("%Y-%m-%d %H:%M:%S UTC"),
                    kind=self._wc_kind_label(SCOPE_KINDS[scope])), subtype_xmlid="mail.mt_note")
        return scopes

    def _wc_kind_label(self, kind):
        return {ORDERS: self.env._("orders"), CONTACTS: self.env._("contacts")}.get(kind, kind)

    def _wc_push_problem_text(self, problem):
        if problem == "company name missing":
            return self.env._(
                "The customer was not sent to %(store)s: the order's customer is a company without a name. "
                "Fill in the company name and save the order again.", store=self.name)
        return problem

    def _wc_send_writes(self, client, writes, failures):
        """Send ``writes`` ``[(sale, record, push)]``: one PUT, or batches; ``(transient errors, sales sent)``."""
        if not writes:
            return [], self.env["sale.order"]
        if len(writes) == 1:
            sale, _record, push = writes[0]
            try:
                answers = [(True, client.request("PUT", f"orders/{sale.wc_order_id}", json=push.body).data, None)]
            except WooCommerceError as error:
                answers = [(False, None, error)]
        else:
            result = client.batch("orders", update=[dict(push.body, id=sale.wc_order_id) for sale, _r, push in writes])
            answers = [(item.ok, item.record if item.ok else None, item.error) for item in result.of("update")]
        retry, sent = [], self.env["sale.order"]
        for (sale, record, push), (ok, answer, error) in zip(writes, answers):
            if ok:
                self._wc_apply_push_answer(client, sale, record, push, answer)
                sent |= sale
            elif is_transient(error):
                retry.append(error)
            else:
                failures.append((sale, error.message or str(error), push.body))
        return retry, sent

    def _wc_apply_push_answer(self, client, sale, before, push, answer):
        """Keep what the store answered to our write; flag a moved total; post the tracking notes."""
        modified = echo.modified_at(answer)
        sale.write({
            "wc_push_scope": False,
            "wc_sync_token": push.token,
            "wc_pushed_modified": to_naive(modified),
            # What Odoo has now seen of the store order: our own write (its echo is skipped by the import).
            "wc_date_modified": to_naive(modified),
            "wc_status": answer.get("status") or sale.wc_status,
        })
        moved = order_push.total_moved(before.get("total"), answer.get("total"))
        if moved:
            sale.write({"wc_total": float(moved[1]), "wc_total_difference": sale.amount_total - float(moved[1])})
            sale.message_post(body=self.env._(
                "%(store)s recalculated the store order after Odoo's change: its total moved from %(before)s to "
                "%(after)s. Check the order.", store=self.name, before=moved[0], after=moved[1]),
                subtype_xmlid="mail.mt_note")
        for tracking in push.notes:
            note = self.env._("Your order has been shipped with %(carrier)s, tracking number %(number)s.",
                              carrier=tracking.carrier or "-", number=tracking.number) if tracking.carrier else \
                self.env._("Your order has been shipped, tracking number %(number)s.", number=tracking.number)
            try:
                client.request("POST", f"orders/{sale.wc_order_id}/notes", json={"note": note, "customer_note": True})
            except WooCommerceError as error:
                # The status and the tracking meta are in the store; only the buyer's e-mail is missing.
                sale.message_post(body=self.env._(
                    "The tracking note could not be added in %(store)s: %(error)s", store=self.name, error=error_text(self.env, error)),
                    subtype_xmlid="mail.mt_note")

    def _wc_log_push_failures(self, failures):
        """A refused write: one open "Odoo → store" sync log entry per order, with the store's message."""
        if not failures:
            return
        Log = self.env["wc.sync.log"].sudo()
        open_entries = {
            entry.wc_id: entry for entry in Log.search([
                ("store_id", "=", self.id), ("entity", "=", "order"), ("direction", "=", "export"),
                ("state", "=", "failed"), ("wc_id", "in", [sale.wc_order_id for sale, _r, _b in failures])])
        }
        new = []
        for sale, reason, body in failures:
            _logger.info("Store %s: order %s not written to the store: %s", self.id, sale.wc_order_id, reason)
            payload = {"id": sale.wc_order_id, "scope": sale.wc_push_scope or "", "body": body}
            vals = dict(Log._wc_failed(self, "order", sale.wc_order_id, reason, payload), direction="export")
            entry = open_entries.get(sale.wc_order_id)
            if entry:
                entry.write({"reason": reason, "payload": vals["payload"], "date": fields.Datetime.now()})
            else:
                new.append(vals)
        Log.create(new)
        # Refused as it is: not retried by itself (Retry on the log entry marks them again).
        self.env["sale.order"].browse([sale.id for sale, _r, _b in failures]).sudo().write({"wc_push_scope": False})
