"""One page of a sync run: the store's records, read once, waiting for the job that imports them.

A run's reader job plans one row per page of the window (``sequence``), reads
the first and leaves the others to read jobs that follow each other; each
page has an import job of its own that starts as soon as its page is read,
so that several Odoo workers import the pages of one window at once while
the next page is read (see :mod:`.wc_store_sync`). The records are
kept in one place — a row the import job reads — rather than copied into
job arguments, and are dropped as soon as the page is applied (the import
job) or the run is closed; what failed stays in the sync log with its
payload. Each import job writes its counts on its own page, never on the
shared run row, so parallel imports do not serialise on that row: the run's
counts are the sum of its pages, added once when the run closes.
"""

import json

from odoo import api, fields, models

from .compat import Constraint

COUNTS = ("created", "updated", "unchanged", "failed")

#: Context key of an import job: the page (id) that notes the products whose stock moved (see ``_wc_note_stock``).
STOCK_CHANGES_PAGE = "wc_stock_changes_page"


class WcSyncPage(models.Model):
    _name = "wc.sync.page"
    _description = "WooCommerce Sync Page"
    _order = "run_id, offset"

    run_id = fields.Many2one("wc.sync.run", required=True, ondelete="cascade", index=True)
    store_id = fields.Many2one(related="run_id.store_id", store=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    sequence = fields.Integer(required=True, help="The page's place in the run's reading (1 for the first).")
    offset = fields.Integer(required=True, help="Where the page starts in the run's listing.")
    records = fields.Text(help="The store's records of the page (JSON), until the page is imported.")
    record_count = fields.Integer()
    state = fields.Selection([("to_read", "To read"), ("pending", "To import"), ("done", "Imported")],
                             required=True, default="to_read")
    prepared = fields.Boolean(help="The reader found or created the buyers and products of the page's orders.")
    read_job_uuid = fields.Char(string="Read job", index=True, copy=False)
    job_uuid = fields.Char(string="Import job", index=True, copy=False)
    stock_changes = fields.Text(help="Products whose stock the page's import moved (JSON), marked when the run ends.")
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    failed = fields.Integer()

    _run_sequence_unique = Constraint("UNIQUE(run_id, sequence)", "A run reads each page once.")

    @api.model
    def _wc_plan(self, run, sequences, per_page):
        """The rows of the pages ``sequences`` of ``run``, to read (their offsets as planned: stepping back moves them)."""
        return self.create([
            {"run_id": run.id, "sequence": sequence, "offset": (sequence - 1) * per_page} for sequence in sequences
        ])

    def _wc_fill(self, offset, records, prepared=False):
        """The page is read: keep ``records`` (the store's dicts), read from ``offset``, until it is imported."""
        self.ensure_one()
        self.write({
            "offset": offset,
            "records": json.dumps(records, ensure_ascii=False, separators=(",", ":")),
            "record_count": len(records),
            "prepared": prepared,
            "state": "pending",
        })

    def _wc_records(self):
        """The page's records, as the store sent them."""
        self.ensure_one()
        return json.loads(self.records or "[]")

    def _wc_done(self, counts):
        """The page is applied: its counts, and its records are no longer kept."""
        failed = counts.get("failed", 0)
        values = {name: counts.get(name, 0) for name in COUNTS}
        values.update(failed=len(failed) if isinstance(failed, (list, tuple)) else failed, state="done", records=False)
        self.write(values)

    def _wc_totals(self):
        """The pages' counts added up, per run id: ``{run_id: {created, updated, unchanged, failed}}``."""
        totals = {}
        for run, *sums in self._read_group(
            [("id", "in", self.ids)], ["run_id"], [f"{name}:sum" for name in COUNTS]
        ):
            totals[run.id] = dict(zip(COUNTS, sums))
        return totals

    def _wc_note_stock(self, products, reservation=False):
        """Note products whose stock the page's import moved (``reservation``: only reserved or released).

        Marking them on their store links at once would make parallel import
        jobs — whose orders share products — update the same link rows, and
        PostgreSQL refuses one of two transactions that do: every page would
        wait for the others. The page's own row takes the note instead; the
        run marks the links when it ends (:meth:`_wc_mark_stock`).
        """
        self.ensure_one()
        noted = json.loads(self.stock_changes or "{}")
        kind = "reserved" if reservation else "moved"
        noted[kind] = sorted(set(noted.get(kind, [])) | set(products.ids))
        self.stock_changes = json.dumps(noted)

    def _wc_mark_stock(self):
        """Mark the products the pages' imports moved, for their stores' stock push (one call per kind)."""
        moved, reserved = set(), set()
        for page in self.filtered("stock_changes"):
            noted = json.loads(page.stock_changes)
            moved.update(noted.get("moved", ()))
            reserved.update(noted.get("reserved", ()))
        Product, Store = self.env["product.product"], self.env["wc.store"].sudo()
        if moved:
            Store._wc_stock_changed(Product.browse(sorted(moved)))
        if reserved - moved:
            Store._wc_stock_changed(Product.browse(sorted(reserved - moved)), reservation=True)
