"""Sync runs: one row per run of the sync (a cron tick, "Sync now", a history import, a webhook job).

A run lists one entity (orders or customers) of one store inside a fixed
window and is carried out by jobs (see :mod:`.wc_store_sync`): a reader job
and the read jobs after it keep the window's pages (``wc.sync.page``), one
import job per page applies each as soon as it is read, and a closing job adds the pages' counts to the run and closes it with
its duration. While it runs, "processed" counts the pages already applied, so
the counts shown are exactly what was committed. The records that failed are
in the sync log (``wc.sync.log``) with their reason and payload.
"""

from odoo import api, fields, models

from .const import LIVE_JOB_STATES
from .wc_sync_log import ENTITIES

KINDS = [
    ("cron", "Scheduled"),
    ("sync_now", "Sync now"),
    ("history", "History import"),
    ("webhook", "Webhook"),
    ("reconcile", "All customers"),
]

STATES = [("running", "Running"), ("done", "Done"), ("failed", "Failed")]


class WcSyncRun(models.Model):
    _name = "wc.sync.run"
    _description = "WooCommerce Sync Run"
    _order = "date_start desc, id desc"

    store_id = fields.Many2one("wc.store", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="store_id.company_id", store=True)
    kind = fields.Selection(KINDS, required=True, default="cron", index=True)
    entity = fields.Selection(ENTITIES, required=True, default="order", index=True)
    direction = fields.Selection(
        [("import", "Store → Odoo"), ("export", "Odoo → Store")], required=True, default="import"
    )
    state = fields.Selection(STATES, required=True, default="running", index=True)
    date_start = fields.Datetime(string="Started", required=True, default=fields.Datetime.now)
    date_end = fields.Datetime(string="Finished")
    duration = fields.Float(string="Duration (s)", digits=(16, 2))
    window_start = fields.Datetime(help="Records modified (or, for a history import, created) from this moment...")
    window_end = fields.Datetime(help="...up to this moment (excluded).")
    total = fields.Integer(help="How many records the store listed in the window when the run started.")
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    failed = fields.Integer()
    done = fields.Integer(compute="_compute_done", string="Processed")
    pages = fields.Integer(help="Pages read from the store.")
    requests = fields.Integer(string="Requests", help="GET requests sent to the store.")
    error = fields.Text(help="Why the run stopped, in the store's or the sync's words.")
    gone = fields.Integer(
        string="No longer in the store",
        help="History import: sale orders of the window that the store no longer lists (deleted there).",
    )
    read_offset = fields.Integer(help="Where the next page of the listing starts (the read jobs follow each other).")
    read_total = fields.Integer(help="How many records the store listed when the last page was read.")
    newest_id = fields.Integer(help="Customers: the highest store customer id read.")
    seen_ids = fields.Text(help="History import: the store ids read so far (to find the orders deleted there).")
    job_uuid = fields.Char(string="Current job", copy=False, index=True,
                           help="The reader job, then the job that closes the run once every page is imported.")
    page_ids = fields.One2many("wc.sync.page", "run_id", string="Pages to import")

    @api.depends("store_id.name", "kind", "entity", "date_start")
    def _compute_display_name(self):
        # "Demo store · Orders · Scheduled · 11/23/2026 16:33:12", as lists and the store form show it.
        kinds, entities = dict(KINDS), dict(ENTITIES)
        for run in self:
            started = fields.Datetime.context_timestamp(run, run.date_start) if run.date_start else None
            parts = [run.store_id.name, entities.get(run.entity), kinds.get(run.kind)]
            if started:
                parts.append(started.strftime("%Y-%m-%d %H:%M:%S"))
            run.display_name = " · ".join(part for part in parts if part)

    @api.depends("created", "updated", "unchanged", "failed", "page_ids.state")
    def _compute_done(self):
        # A running run's pages are applied by parallel jobs that write on their own page, not here.
        running = self.filtered(lambda run: run.state == "running" and run.id)
        applied = running.sudo().page_ids._wc_totals() if running else {}
        for run in self:
            pages = sum(applied.get(run.id, {}).values())
            run.done = run.created + run.updated + run.unchanged + run.failed + pages

    def _wc_add(self, counts, pages=1, requests=1):
        """Add one page's ``{created, updated, unchanged, failed}`` to the run (failed: a number or a list)."""
        self.ensure_one()
        failed = counts.get("failed", 0)
        self.write(
            {
                "created": self.created + counts.get("created", 0),
                "updated": self.updated + counts.get("updated", 0),
                "unchanged": self.unchanged + counts.get("unchanged", 0),
                "failed": self.failed + (len(failed) if isinstance(failed, (list, tuple)) else failed),
                "pages": self.pages + pages,
                "requests": self.requests + requests,
            }
        )

    def _wc_remember_ids(self, wc_ids):
        """Add store ids to the ones this run has read."""
        self.ensure_one()
        known = self._wc_seen_ids()
        known.update(int(wc_id) for wc_id in wc_ids if wc_id)
        self.seen_ids = ",".join(str(wc_id) for wc_id in sorted(known))

    def _wc_seen_ids(self):
        """The store ids this run has read."""
        return {int(part) for part in (self.seen_ids or "").split(",") if part}

    def _wc_finish(self, state="done", error=None):
        """Close the run: state, end date and duration; a failed run's pages are dropped (the next run reads them)."""
        now = fields.Datetime.now()
        failed = self.filtered(lambda run: state == "failed").page_ids
        failed._wc_mark_stock()  # what the applied pages moved is in Odoo: the stores get it all the same
        failed.unlink()
        for run in self:
            run.write(
                {
                    "state": state,
                    "date_end": now,
                    "duration": (now - run.date_start).total_seconds(),
                    "error": error or run.error,
                }
            )

    @api.model
    def _wc_reap(self, store_ids=None):
        """Close the runs whose job is no longer alive (failed, cancelled or gone).

        A job that fails for good rolls back its own writes, so its run would
        stay "running" for ever — the reader job, or a page's import job (the
        closing job then waits for it for ever, and is cancelled here); this
        marks the run failed with the job's error, so that the store can
        start a new run of that entity, which reads the window again.
        """
        domain = [("state", "=", "running"), ("job_uuid", "!=", False)]
        if store_ids:
            domain.append(("store_id", "in", list(store_ids)))
        runs = self.search(domain)
        if not runs:
            return runs
        jobs = {
            job.uuid: job
            for job in self.env["queue.job"].sudo().search([("uuid", "in", runs.mapped("job_uuid"))])
        }
        # A page's read or import job that failed for good leaves the closing job waiting for ever.
        page_uuids = [uuid for page in runs.page_ids for uuid in (page.read_job_uuid, page.job_uuid) if uuid]
        dead_page_jobs = {
            job.uuid: job
            for job in self.env["queue.job"].sudo().search(
                [("uuid", "in", page_uuids), ("state", "in", ("failed", "cancelled"))])
        } if page_uuids else {}
        stale = self.browse()
        for run in runs:
            job = jobs.get(run.job_uuid)
            if job and job.state == "wait_dependencies":
                page_job = next(
                    (dead_page_jobs[uuid] for page in run.page_ids for uuid in (page.read_job_uuid, page.job_uuid)
                     if uuid in dead_page_jobs), None)
                if page_job:
                    job.sudo().button_cancelled()
                    run._wc_finish("failed", page_job.exc_message or page_job.exc_name
                                   or self.env._("A page of the run could not be imported."))
                    stale |= run
                continue
            if job and job.state in LIVE_JOB_STATES:
                continue
            if job and job.state == "done":
                # The job finished without closing the run (it should not happen): close it as done.
                run._wc_finish("done")
                continue
            reason = (job.exc_message or job.exc_name) if job else None
            run._wc_finish("failed", reason or self.env._("The sync job stopped before the run ended."))
            stale |= run
        return stale

    def action_open_logs(self):
        """The sync-log entries of this run's store and entity written while it ran."""
        self.ensure_one()
        domain = [("store_id", "=", self.store_id.id), ("entity", "=", self.entity), ("date", ">=", self.date_start)]
        if self.date_end:
            domain.append(("date", "<=", self.date_end))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sync log"),
            "res_model": "wc.sync.log",
            "view_mode": "list,form",
            "domain": domain,
        }
