"""The incremental sync of a store: cron, "Sync now" and history import, as a reader job and parallel page jobs.

Why the store is not paged by ``orderby=modified``
--------------------------------------------------
The real store has no tie-breaker for ``orderby=modified``: records that
share one modified second are skipped or repeated across a page boundary
(``tests/fixtures/woocommerce/more/paging/``), and ``modified_after`` is
strictly "after". So a run reads a **fixed window** ``[since, until)`` of
the store, ordered by **id** (stable), page by page with ``offset``:

* ``until`` is Odoo's clock when the run starts and goes to the store as
  ``modified_before`` (strict, like the store's filter), and ``since`` goes
  as ``modified_after = since - 1 s`` (strict after one second earlier, so
  the records of ``since``'s own second are included);
* inside such a window the listing can only **shrink** while we read it: a
  record modified meanwhile gets a ``date_modified`` after ``until`` and
  leaves the window; new records are outside it. Ordered by id, a record
  that leaves shifts the later ones down by one, so each page compares the
  store's ``X-WP-Total`` with the previous page's and steps back by the
  difference before going on — nothing is skipped, at worst a few records
  are read twice (the importer counts them unchanged);
* a record that left the window was modified after ``until``: the next run,
  whose window starts at ``until - overlap``, reads it.

The cursor of the entity moves to ``until`` — the window's end, not the last
record's second — in the run's **closing** job, i.e. only once every page of
the window has been applied. A run that fails leaves the
cursor where it was, and the next run reads the window again. The overlap
(5 minutes by default) also covers a store clock that is behind Odoo's.

A history import is the same jobs over a window of **creation** dates
(``after``/``before``) and moves no cursor.

Customers: new accounts by id, changes by webhook, order and reconcile
----------------------------------------------------------------------
The real store's ``/customers`` (a WordPress user query, not a CRUD
controller) has no date filters: ``modified_after``, ``after`` and
``dates_are_gmt`` are silently ignored, so a "changed since" window would list
every customer on every run. Customers therefore come in three ways:

* **new accounts**: a cron or "Sync now" run lists ``/customers`` by
  ``orderby=id&order=desc`` (``role=all``) and stops at the first page that
  reaches the newest id an earlier run has read (``wc_customers_last_id``):
  with nothing new that is one GET. Ids only grow (WordPress user ids), so
  new accounts always come first;
* **changed accounts**: the ``customer.updated`` webhook, and every order
  import, which resolves (and, when the store is master, updates) its buyer;
* a **full reconcile** (run kind ``reconcile``): every customer by id,
  ascending, through the importer, which writes to partners only what
  differs (an unchanged customer costs its lookups and lock rows) - weekly
  from the cron (``RECONCILE_EVERY``), on the first run of a store, or by
  hand with "Sync all customers". It catches what a missed webhook left.

Both customer runs page exactly like the order windows (offset, stepping back
when ``X-WP-Total`` shrinks) and move their marks in the closing job.

Jobs
----
A run is a queue_job graph on the store's channel, each job with an
identity key naming (store, entity, run, step):

* the **reader** job reads the first page (its answer says how many pages
  the window holds) and plans a ``wc.sync.page`` row per page; each page's
  records are kept once, in its row — not in job arguments;
* a **read** job per further page, each after the previous one (in order,
  so that a page can step back when the listing shrank); reading a page of
  orders also finds or creates their buyers, products and pricelists, under
  the import locks, so that no import job has to;
* one **import** job per page, ready as soon as its page is read: the next
  page is fetched while this one is applied, and as many workers as the
  channel's capacity allows import pages in parallel. Their buyers are in
  Odoo already, so they take no customer lock and do not wait for one
  another (the order locks and the ``UNIQUE`` links still make each order
  exactly once); each writes its counts on its own page, not on the shared
  run row;
* the **closing** job, ``on_done`` of every import job, runs once every
  page is applied: it adds the pages' counts to the run, moves the cursor or
  marks, notes the orders a history import no longer finds, drops the pages
  and closes the run.

Transient failures (store down, 5xx, timeouts, 429, a lock held by another
job) raise :class:`RetryableJobError`, with the store's ``Retry-After``
seconds when it sent one; a job that fails for good fails its run (see
``wc.sync.run._wc_reap``), and the next run reads the window again.
"""

import logging
import math
import random
from contextlib import contextmanager
from datetime import datetime, time, timedelta, timezone

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.addons.queue_job.delay import group
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError

from ..wc_connector.errors import PayloadError, RateLimitedError, WooCommerceError, is_transient
from ..wc_connector.payloads import parse_order
from ..wc_connector.payloads.dates import as_utc, to_naive, to_store_text
from ..wc_connector.retry import RetryPolicy
from ..wc_connector.rules.customers import orders_to_prepare
from .compat import Constraint
from .const import MANAGER_GROUP, PER_PAGE, USER_GROUP
from .wc_access import check_wc_group
from .wc_store_customers import BUYERS_PREPARED
from .wc_sync_page import STOCK_CHANGES_PAGE

_logger = logging.getLogger(__name__)


#: What each entity lists and which importer applies a page: (endpoint, importer, fixed params, cursor field).
SYNC_ENTITIES = {
    "customer": ("customers", "_wc_import_customers", {"role": "all"}, "wc_customers_cursor"),
    "order": ("orders", "_wc_import_orders", {"status": "any"}, "wc_orders_cursor"),
    # Only for stores that sync their catalog (models/wc_store_catalog.py).
    "product": ("products", "_wc_import_products", {}, "wc_products_cursor"),
}


#: Seconds after which a page refused by another job's import lock tries again (a random pick in the range).
LOCK_RETRY_SECONDS = (2, 8)

#: Priority of the read jobs (queue_job runs smaller numbers first; import jobs have the default 10).
READ_PRIORITY = 5

#: How often a page job is retried before it fails for good (transient errors only).
MAX_RETRIES = 12

#: How often the cron reads every customer again (the full reconcile).
RECONCILE_EVERY = timedelta(days=7)

#: Run kinds that read what is new or changed (one at a time per store and entity).
INCREMENTAL_KINDS = ("cron", "sync_now")


class WcStore(models.Model):
    _inherit = "wc.store"

    wc_orders_cursor = fields.Datetime(
        string="Orders synced up to",
        copy=False,
        help="Orders modified before this moment (UTC) have been imported; the next sync reads from "
        "here minus the overlap. Empty: the next sync reads every order.",
    )
    wc_customers_cursor = fields.Datetime(
        string="Customers synced up to",
        copy=False,
        help="When the last complete read of the store's customer accounts started (UTC): accounts "
        "created before it have been imported.",
    )
    wc_customers_last_id = fields.Integer(
        string="Newest customer read",
        copy=False,
        help="The highest store customer id a sync has read; the next sync lists newer accounts only.",
    )
    wc_customers_reconciled = fields.Datetime(
        string="Customers reconciled",
        copy=False,
        help="When the last full read of every customer started (UTC). The scheduled sync reads them all "
        "again once a week; changes in between come by webhook and with the orders.",
    )
    wc_sync_overlap = fields.Integer(
        string="Overlap (minutes)",
        default=5,
        help="Each sync reads again this many minutes before where the last one ended, so records "
        "saved while it ran, or a store clock a little behind Odoo's, are never missed.",
    )
    wc_sync_page_size = fields.Integer(
        string="Records per page",
        default=PER_PAGE,
        help="How many records one sync job reads and imports (at most 100, the store's limit). "
        "A smaller page suits a slow store that times out.",
    )
    wc_sync_run_ids = fields.One2many("wc.sync.run", "store_id", string="Sync runs")
    wc_sync_run_id = fields.Many2one(
        "wc.sync.run", compute="_compute_wc_sync_progress", string="Last run",
        help="The run in progress (the oldest one), or else the last one.",
    )
    wc_sync_running = fields.Boolean(compute="_compute_wc_sync_progress", string="Sync running")
    wc_sync_done = fields.Integer(compute="_compute_wc_sync_progress", string="Processed")
    wc_sync_total = fields.Integer(compute="_compute_wc_sync_progress", string="To process")
    wc_sync_failed = fields.Integer(compute="_compute_wc_sync_progress", string="Failures")
    wc_sync_progress = fields.Float(compute="_compute_wc_sync_progress", string="Progress (%)")

    _wc_sync_overlap_not_negative = Constraint("CHECK(wc_sync_overlap >= 0)", "The overlap cannot be negative.")
    _wc_sync_page_size_range = Constraint(
        "CHECK(wc_sync_page_size BETWEEN 1 AND 100)",
        "A page holds 1 to 100 records (the store's limit).",
    )

    def _compute_wc_sync_progress(self):
        Run = self.env["wc.sync.run"]
        for store in self:
            run = Run.search([("store_id", "=", store.id), ("state", "=", "running")], order="id", limit=1) if store.id else Run
            if not run and store.id:
                run = Run.search([("store_id", "=", store.id)], order="id desc", limit=1)
            store.wc_sync_run_id = run
            store.wc_sync_running = run.state == "running" if run else False
            store.wc_sync_done = run.done
            store.wc_sync_total = max(run.total, run.done)
            store.wc_sync_failed = run.failed
            store.wc_sync_progress = 100.0 * run.done / run.total if run.total else (100.0 if run.state == "done" else 0.0)

    # -- starting runs ---------------------------------------------------------------

    @api.model
    def _cron_sync_all_stores(self):
        """The scheduled action: start an incremental run of each entity for every active store with keys."""
        stores = self.search([("active", "=", True)]).filtered(lambda s: s.sudo().consumer_key and s.sudo().consumer_secret)
        for store in stores:
            store._wc_sync_changes("cron")
        return True

    def action_sync_now(self):
        """Start an incremental sync now (customers, then orders); it runs as jobs, the form shows its progress."""
        check_wc_group(self.env, USER_GROUP, self.env._("Sync now"))
        stores = self.filtered("active")
        for store in stores:
            store._wc_sync_changes("sync_now")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Sync started"),
                "message": self.env._(
                    "The sync of %s runs in the background; the sync runs list shows its progress.",
                    ", ".join(stores.mapped("name")),
                ),
                "type": "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_import_history(self):
        """Open the wizard that imports the store's orders created in a date range."""
        self.ensure_one()
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Import history"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import history"),
            "res_model": "wc.history.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_store_id": self.id},
        }

    def action_open_sync_runs(self):
        """The store's sync runs."""
        self.ensure_one()
        # Not inline: Odoo 19's exporter takes the domain tuple after an inline _() for a term (its field name).
        name = self.env._("Sync runs")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "wc.sync.run",
            "view_mode": "list,form",
            "domain": [("store_id", "=", self.id)],
        }

    def action_sync_all_customers(self):
        """Read every customer of the store again now (the full reconcile the cron runs weekly)."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Sync all customers"))
        stores = self.filtered("active")
        self.env["wc.sync.run"].sudo()._wc_reap(stores.ids)
        for store in stores:
            if not store._wc_running_runs("customer", ("reconcile",)):
                store._wc_start_run("customer", "reconcile", None, datetime.now(timezone.utc).replace(microsecond=0))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Customer sync started"),
                "message": self.env._("Every customer of %s is read again in the background.",
                                      ", ".join(stores.mapped("name"))),
                "type": "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _wc_running_runs(self, entity, kinds):
        """The store's runs of ``entity`` and ``kinds`` still running."""
        return self.env["wc.sync.run"].sudo().search(
            [("store_id", "=", self.id), ("entity", "=", entity), ("state", "=", "running"), ("kind", "in", kinds)]
        )

    def _wc_sync_changes(self, kind):
        """Start one incremental run per entity (unless one is already running); return the runs started.

        Customers: new accounts only, or the full reconcile when the last one
        is a week old (or there was none).
        """
        self.ensure_one()
        Run = self.env["wc.sync.run"].sudo()
        Run._wc_reap(self.ids)
        until = datetime.now(timezone.utc).replace(microsecond=0)
        overlap = timedelta(minutes=self.wc_sync_overlap)
        started = Run.browse()
        for entity, (_endpoint, _importer, _params, cursor_field) in SYNC_ENTITIES.items():
            if entity == "product" and not self._wc_syncs_catalog():
                continue
            if self._wc_running_runs(entity, INCREMENTAL_KINDS + ("reconcile",)):
                continue  # the running one will read these changes too; its cursor moves when it ends
            if entity == "customer":
                reconciled = as_utc(self.wc_customers_reconciled)
                run_kind = "reconcile" if not reconciled or until - reconciled >= RECONCILE_EVERY else kind
                started |= self._wc_start_run(entity, run_kind, None, until)
                continue
            cursor = as_utc(self[cursor_field])
            since = cursor - overlap if cursor else None
            started |= self._wc_start_run(entity, kind, since, until)
        return started

    def _wc_import_history(self, date_from, date_to):
        """Start a history import of the orders created from ``date_from`` up to ``date_to`` (aware datetimes)."""
        self.ensure_one()
        if date_from and date_to and date_from >= date_to:
            raise UserError(self.env._("The history's start must be before its end."))
        return self._wc_start_run("order", "history", date_from, date_to)

    def _wc_start_run(self, entity, kind, since, until):
        """Create the run row for window ``[since, until)`` and enqueue its reader job."""
        self.ensure_one()
        run = self.env["wc.sync.run"].sudo().create(
            {
                "store_id": self.id,
                "entity": entity,
                "kind": kind,
                "window_start": to_naive(since),
                "window_end": to_naive(until),
            }
        )
        job = (
            self._wc_run_delayable(run, "read", self.env._("%(store)s: read the %(entity)s of run %(run)s",
                                                          store=self.name, entity=entity, run=run.id))
            ._wc_job_read_run(entity, since.isoformat() if since else None, until.isoformat() if until else None,
                              run.id)
        )
        job.delay()
        run.job_uuid = job._generated_job.uuid
        return run

    def _wc_run_delayable(self, run, step, description, priority=None):
        """A delayable on the store's channel for one ``step`` of ``run`` (its identity key names both)."""
        return self.sudo().delayable(
            channel=self._wc_channel(),
            identity_key=f"wc.store({self.id}).sync.{run.entity}.run({run.id}).{step}",
            description=description,
            max_retries=MAX_RETRIES,
            priority=priority,
        )

    # -- the run's jobs: read the window page after page, import each page as soon as it is read, close -------

    def _wc_job_read_run(self, entity, since, until, run_id):
        """Read the run's first page, plan the others, and enqueue the run's graph of jobs.

        The first answer says how many records the window holds, hence how
        many pages: one row per page is planned, and the graph is one
        queue_job graph (``on_done`` edges, the closing job waiting for every
        import job):

        * the read job of page *k* (``_wc_job_read_page``) runs after the one
          of page *k − 1* (reading in order is what lets a page step back when
          the listing shrank); it keeps the page and resolves the buyers and
          products of its orders (:meth:`_wc_prepare_orders`);
        * the import job of page *k* runs as soon as page *k* is read, beside
          the read job of page *k + 1*: the next page is fetched while this
          one is applied, and as many workers as the store's channel allows
          import pages at once. The page's buyers are already in Odoo, so the
          import jobs take no customer lock and never wait for one another;
        * the closing job runs once every import job is done, and only it
          moves the cursor.

        The graph is built here, not page by page, because queue_job cannot
        add a dependency to a job already enqueued; a listing that grows
        while it is read (a history window reaching into the future, new
        customer accounts) is read to its end by the last page's read job.
        New customer accounts are one page (read until an account read
        before). ``since``/``until`` are ISO datetimes (UTC) or None; they are
        the run's window, kept on the run for the read jobs.
        """
        self.ensure_one()
        run = self.env["wc.sync.run"].sudo().browse(run_id).exists()
        if not run or run.state != "running":
            return "The run is closed; nothing to do."
        per_page = self.wc_sync_page_size or PER_PAGE
        Page = self.env["wc.sync.page"].sudo()
        first = Page._wc_plan(run, [1], per_page)
        new_accounts = entity == "customer" and run.kind != "reconcile"
        more, count = self._wc_read_page(run, first, read_on=new_accounts)
        run.total = count if new_accounts else run.read_total
        if not count and not more:
            first.unlink()
            return self._wc_job_close_run(run.id)
        pages = first
        if more:
            pages |= Page._wc_plan(run, range(2, max(2, math.ceil(run.read_total / per_page)) + 1), per_page)
        imports = [
            self._wc_run_delayable(run, f"page({page.sequence})", self.env._(
                "%(store)s: import %(entity)s of page %(page)s (run %(run)s)",
                store=self.name, entity=entity, page=page.sequence, run=run.id,
            ))._wc_job_import_page(page.id)
            for page in pages
        ]
        # Reading goes first whenever a worker is free: it is short, and it feeds the import jobs.
        reads = [
            self._wc_run_delayable(run, f"read({page.sequence})", self.env._(
                "%(store)s: read page %(page)s of the %(entity)s of run %(run)s",
                store=self.name, entity=entity, page=page.sequence, run=run.id,
            ), priority=READ_PRIORITY)._wc_job_read_page(page.id)
            for page in pages[1:]
        ]
        close = self._wc_run_delayable(run, "close", self.env._(
            "%(store)s: close run %(run)s", store=self.name, run=run.id))._wc_job_close_run(run.id)
        for index, read in enumerate(reads, start=1):
            read.on_done(imports[index], *reads[index:index + 1])
        for job in imports:
            job.on_done(close)
        group(imports[0], *reads[:1]).delay()
        for page, job in zip(pages, imports):
            page.job_uuid = job._generated_job.uuid
        for page, job in zip(pages[1:], reads):
            page.read_job_uuid = job._generated_job.uuid
        run.job_uuid = close._generated_job.uuid
        return f"{count} records read of {run.read_total}; {len(pages)} pages to import."

    def _wc_job_read_page(self, page_id):
        """Read the next page of the run's listing into ``page_id`` (the last page reads on to the listing's end)."""
        self.ensure_one()
        page = self.env["wc.sync.page"].sudo().browse(page_id).exists()
        if not page or page.state != "to_read" or page.run_id.state != "running":
            return "Nothing to read."
        last = not page.search_count([("run_id", "=", page.run_id.id), ("sequence", ">", page.sequence)])
        _more, count = self._wc_read_page(page.run_id, page, read_on=last)
        return f"{count} records read from record {page.offset + 1}."

    def _wc_read_page(self, run, page, read_on=False):
        """GET the listing where the run's reading stands into ``page``; return ``(more, records kept)``.

        Steps back first when the listing shrank since the previous page (see
        :meth:`_wc_fetch_window_page`). ``read_on``: go on to the end of the
        listing (the last page), all of it kept in this page. New customer
        accounts stop at the first account read before. The page's orders get
        their buyers and products at once (:meth:`_wc_prepare_orders`).
        """
        endpoint = SYNC_ENTITIES[run.entity][0]
        params = self._wc_listing_params(run.entity, run.kind, as_utc(run.window_start), as_utc(run.window_end))
        offset, seen_total = run.read_offset, (run.read_total if page.sequence > 1 else None)
        kept, start, requests, newest = [], None, 0, run.newest_id
        while True:
            records, total, offset, spent = self._wc_fetch_window_page(endpoint, params, offset, seen_total)
            requests += spent
            start = offset if start is None else start
            next_offset = offset + len(records)
            more = bool(records) and next_offset < total
            if run.entity == "customer":
                ids = [record["id"] for record in records if isinstance(record, dict) and isinstance(record.get("id"), int)]
                newest = max([newest or 0, *ids])
                if run.kind != "reconcile":
                    # Newest first: the page that reaches an account read before is the last one.
                    known = self.wc_customers_last_id
                    fresh = [record for record in records
                             if not (isinstance(record, dict) and isinstance(record.get("id"), int)
                                     and record["id"] <= known)]
                    more = more and len(fresh) == len(records)
                    records = fresh
            kept += records
            offset, seen_total = next_offset, total
            if not (read_on and more):
                break
        if run.kind == "history" and run.entity == "order":
            run._wc_remember_ids(record.get("id") for record in kept if isinstance(record, dict))
        prepared = run.entity == "order" and self._wc_prepare_orders(kept)
        page._wc_fill(start, kept, prepared)
        run.write({
            "read_offset": offset, "read_total": seen_total, "newest_id": newest or 0,
            "requests": run.requests + requests, "pages": run.pages + (1 if kept else 0),
        })
        return more, len(kept)

    def _wc_prepare_orders(self, order_dicts):
        """Find or create the buyers, products and pricelists of a page's orders, ahead of its import job.

        Only for the orders the import will apply (:func:`orders_to_prepare`).
        This runs in the read jobs, which follow each other: each buyer is
        created once, under its import locks, before any import job needs it,
        so the import jobs — running at once — find every buyer and product
        and lock none (:func:`plan_writes`). Returns whether the page is
        prepared; when something fails here the import job resolves the page
        itself and reports the order that fails.
        """
        orders = []
        for data in order_dicts:
            try:
                orders.append(parse_order(data))
            except PayloadError:
                continue  # the import job logs it with its reason
        applied = {
            sale.wc_order_id: sale.wc_date_modified
            for sale in self.env["sale.order"].sudo().search_fetch(
                [("wc_store_id", "=", self.id), ("wc_order_id", "in", [order.id for order in orders])],
                ["wc_order_id", "wc_date_modified"],
            )
        } if orders else {}
        todo = orders_to_prepare(orders, applied)
        if not todo:
            return True
        store = self.sudo()
        try:
            with refused_means_retry(), self.env.cr.savepoint():
                store._wc_resolve_customers(todo)
                store._wc_order_products(todo)
                store._wc_pricelists({order.currency for order in todo})
        except RetryableJobError:
            raise
        except Exception:  # noqa: BLE001 - the import job finds what fails, and logs it per order
            _logger.info("Store %s: the buyers of a page were not prepared; its import job resolves them", self.id,
                         exc_info=True)
            return False
        return True

    def _wc_job_import_page(self, page_id):
        """Import one page the reader kept; its counts stay on the page until the run closes."""
        self.ensure_one()
        page = self.env["wc.sync.page"].sudo().browse(page_id).exists()
        if not page or page.state == "done":
            return "The page is imported already."
        run = page.run_id
        # Its read job applied the updates of the page's buyers; the import only finds them.
        store = self.with_context(**{STOCK_CHANGES_PAGE: page.id})
        store = store.with_context(**{BUYERS_PREPARED: True}) if page.prepared else store
        counts = store._wc_apply_page(run.entity, SYNC_ENTITIES[run.entity][1], page._wc_records())
        page._wc_done(counts)
        return f"{page.record_count} records at offset {page.offset} imported."

    def _wc_job_close_run(self, run_id, newest=None):
        """Every page of the run is applied: add up the counts, move the marks, close the run.

        ``newest`` (the highest customer id read) is kept for jobs enqueued
        before the run kept it itself (``newest_id``).
        """
        self.ensure_one()
        run = self.env["wc.sync.run"].sudo().browse(run_id).exists()
        if not run or run.state != "running":
            return "The run is closed; nothing to do."
        cursor_field = SYNC_ENTITIES[run.entity][3]
        until = as_utc(run.window_end)
        newest = max(newest or 0, run.newest_id)
        totals = run.page_ids._wc_totals().get(run.id, {})
        run._wc_add(totals, pages=0, requests=0)
        if run.kind in INCREMENTAL_KINDS + ("reconcile",) and until:
            current = as_utc(self[cursor_field])
            if not current or current < until:
                self.sudo()[cursor_field] = to_naive(until)
        if run.entity == "customer":
            if newest and newest > self.wc_customers_last_id:
                self.sudo().wc_customers_last_id = newest
            if run.kind == "reconcile":
                self.sudo().wc_customers_reconciled = to_naive(until)
        if run.kind == "history" and run.entity == "order":
            self._wc_note_orders_gone(run)
        run.page_ids._wc_mark_stock()
        run.page_ids.unlink()  # the records are applied (failures are in the sync log)
        run._wc_finish("done")
        return f"Run {run.id} done."

    def _wc_listing_params(self, entity, kind, since, until):
        """The query of a run's listing (without ``offset``): always ordered by id, the store's stable order.

        Orders: the window ``[since, until)`` of modification dates (creation
        dates for a history import). Customers: no dates (the store ignores
        them); newest first for new accounts, oldest first for the reconcile.
        """
        fixed = SYNC_ENTITIES[entity][2]
        per_page = self.wc_sync_page_size or PER_PAGE
        if entity == "customer":
            return dict(fixed, orderby="id", order="asc" if kind == "reconcile" else "desc", per_page=per_page)
        after_key, before_key = ("after", "before") if kind == "history" else ("modified_after", "modified_before")
        params = dict(fixed, orderby="id", order="asc", per_page=per_page, dates_are_gmt="true")
        if since:
            # The store's filter is strictly after: one second earlier includes since's own second.
            params[after_key] = to_store_text(since - timedelta(seconds=1))
        if until:
            params[before_key] = to_store_text(until)
        return params

    def _wc_note_orders_gone(self, run):
        """After a history import: the sale orders of the window that the store no longer lists.

        A force-deleted order fires no webhook and no longer shows up in any
        listing, so only a complete read of a window can tell. Each one is
        marked (store status ``deleted``) and noted on the sale order; nothing
        is cancelled or deleted in Odoo. Orders created after the run started
        are left alone (the run's listing may have passed them).
        """
        seen = run._wc_seen_ids()
        end = min(run.window_end or run.date_start, run.date_start)
        domain = [
            ("wc_store_id", "=", self.id),
            ("wc_order_id", "not in", list(seen)),
            ("wc_status", "not in", ("deleted", "trash")),
            ("date_order", "<", end),
        ]
        if run.window_start:
            domain.append(("date_order", ">=", run.window_start))
        gone = self.env["sale.order"].sudo().search(domain)
        gone.write({"wc_status": "deleted"})
        for sale in gone:
            sale.message_post(
                body=self.env._(
                    "%(store)s no longer lists this order (it was deleted there, or moved to its trash). "
                    "Nothing was cancelled in Odoo; cancel the order here if the sale is void.",
                    store=self.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        run.gone = len(gone)
        return gone

    def _wc_fetch_window_page(self, endpoint, params, offset, seen_total):
        """``(records, total, offset, requests)``: the page at ``offset`` of the listing ``params`` asks for.

        If the listing shrank since the previous page (records modified
        meanwhile leave an order window, a customer is deleted), steps back by
        the difference first, so no record slides past unread.
        """
        # No retries inside the job (no sleeping in a worker): queue_job retries the whole page.
        client = self._client(retry=RetryPolicy(attempts=1))
        requests = 0
        try:
            while True:
                answer = client.request("GET", endpoint, params=dict(params, offset=offset))
                requests += 1
                records = answer.data if isinstance(answer.data, list) else []
                total = _int_header(answer.headers, "X-WP-Total", offset + len(records))
                if seen_total is not None and total < seen_total and offset:
                    offset = max(0, offset - (seen_total - total))
                    seen_total = total
                    continue
                return records, total, offset, requests
        except WooCommerceError as error:
            if is_transient(error):
                seconds = error.retry_after if isinstance(error, RateLimitedError) else None
                raise RetryableJobError(str(error), seconds=math.ceil(seconds) if seconds else None) from None
            raise
        finally:
            client.close()

    def _wc_apply_page(self, entity, importer, records):
        """Import one page with the entity's importer; a lock held by another job makes the job retry."""
        if not records:
            return {}
        with refused_means_retry(), self.env.cr.savepoint():
            return getattr(self.sudo(), importer)(records)


@contextmanager
def refused_means_retry():
    """Turn PostgreSQL's refusals (a lock held by another job, a stale snapshot) into a quick, free retry.

    Jobs of one run and a webhook job may want the same records: being
    refused is no failure. Try again within seconds (jittered, so two workers
    do not meet in step again), without spending one of the job's tries.
    """
    try:
        yield
    except (pg_errors.LockNotAvailable, pg_errors.SerializationFailure, pg_errors.DeadlockDetected) as error:
        raise RetryableJobError(
            f"Another job is importing the same records ({error.pgcode}); trying again.",
            seconds=random.randint(*LOCK_RETRY_SECONDS), ignore_retry=True,
        ) from None


def _int_header(headers, name, default):
    try:
        return int(headers.get(name))
    except (TypeError, ValueError):
        return default


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    def action_wc_sync_now(self):
        """Settings › WooCommerce › Sync now: start a sync of every active store."""
        check_wc_group(self.env, MANAGER_GROUP, self.env._("Sync now"))
        stores = self.env["wc.store"].search([("active", "=", True)])
        if not stores:
            raise UserError(self.env._("No WooCommerce store is connected yet."))
        return stores.action_sync_now()


def history_bounds(date_from, date_to):
    """A date range (Odoo dates, the last day included) as the aware UTC window ``[from, to)``."""
    start = datetime.combine(date_from, time.min, tzinfo=timezone.utc) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=timezone.utc) if date_to else None
    return start, end
