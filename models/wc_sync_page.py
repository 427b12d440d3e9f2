"""One page of a sync run: the store's records, read once, waiting for the job that imports them.

A run's reader job lists the window and stores each page here; each page
then has an import job of its own, so that several Odoo workers import the
pages of one window at once (see :mod:`.wc_store_sync`). The records are
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


class WcSyncPage(models.Model):
    _name = "wc.sync.page"
    _description = "WooCommerce Sync Page"
    _order = "run_id, offset"

    run_id = fields.Many2one("wc.sync.run", required=True, ondelete="cascade", index=True)
    store_id = fields.Many2one(related="run_id.store_id", store=True)
    company_id = fields.Many2one(related="run_id.company_id", store=True)
    offset = fields.Integer(required=True, help="Where the page starts in the run's listing.")
    records = fields.Text(help="The store's records of the page (JSON), until the page is imported.")
    record_count = fields.Integer()
    state = fields.Selection([("pending", "To import"), ("done", "Imported")], required=True, default="pending")
    job_uuid = fields.Char(string="Import job", index=True, copy=False)
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    failed = fields.Integer()

    _run_offset_unique = Constraint('UNIQUE(run_id, "offset")', "A run reads each page once.")

    @api.model
    def _wc_store_page(self, run, offset, records):
        """Keep ``records`` (the store's dicts) as the page of ``run`` at ``offset``."""
        return self.create({
            "run_id": run.id,
            "offset": offset,
            "records": json.dumps(records, ensure_ascii=False, separators=(",", ":")),
            "record_count": len(records),
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
