"""A generated store served over HTTP, connected and set up, and a way to run the sync's jobs in-process."""

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..wc_emulator import EmulatedStore
from ..wc_emulator.generator import generate_store
from .common import WcStoreCase

#: Statuses the emulator lists with status=any (its trash and drafts are hidden).
LISTED = lambda order: order.get("status") not in ("trash", "auto-draft", "checkout-draft")  # noqa: E731


class SyncCase(WcStoreCase):
    """Each test gets its own emulated store with ``ORDERS`` generated orders, all on hold.

    On hold keeps each import cheap (a quotation, no invoice or delivery):
    these tests are about which orders arrive and how often, not about
    their accounting (the import's own tests cover that).
    """

    ORDERS = 12
    SEED = 41
    PAGE_SIZE = 5

    def setUp(self):
        super().setUp()
        data = generate_store(seed=self.SEED, orders=self.ORDERS)
        for order in data.orders.values():
            order["status"] = "on-hold"
        self.emulated = EmulatedStore(data).start()
        self.addCleanup(self.emulated.stop)
        # The sync runs as the scheduled action's user, not as the manager who created the store.
        # The emulator speaks plain http on loopback: confirmed, so connecting registers its webhooks.
        self.store = self.store_for(self.emulated, wc_webhook_http_allowed=True).with_env(self.env)
        self.store.action_setup_from_store()
        self.store.action_wc_round_tax_per_line()  # as the store's accountant is asked to (Odoo 19 rounds globally)
        self.store.wc_sync_page_size = self.PAGE_SIZE
        self.run_jobs()  # what connecting the store queued (its webhooks): the tests start with an empty queue
        self.emulated.request_log.clear()

    # -- the store's side ------------------------------------------------------------

    def store_orders(self):
        """The emulated store's listed orders, by id."""
        return {order["id"]: order for order in self.emulated.data.orders.values() if LISTED(order)}

    def order_gets(self):
        """How many GET /orders listings the store has answered (or refused)."""
        return sum(1 for entry in self.emulated.request_log
                   if entry.method == "GET" and entry.path.rstrip("/").endswith("/orders"))

    # -- Odoo's side ------------------------------------------------------------------

    def sale_orders(self):
        return self.env["sale.order"].search([("wc_store_id", "=", self.store.id)])

    def imported_ids(self):
        """The store order ids that have sale orders, one entry per sale order (duplicates would show)."""
        return sorted(self.sale_orders().mapped("wc_order_id"))

    def runs(self, **values):
        domain = [("store_id", "=", self.store.id)] + [(name, "=", value) for name, value in values.items()]
        return self.env["wc.sync.run"].search(domain, order="id")

    # -- jobs ----------------------------------------------------------------------------

    def queued_jobs(self):
        """The store's jobs waiting to run: the next one first (as queue_job's runner: a postponed job goes after
        the new ones, then the smaller priority first)."""
        return self.env["queue.job"].search(
            [("state", "in", ("pending", "enqueued")), ("channel", "=", self.store._wc_channel())],
            order="eta asc nulls first, priority, id",
        )

    def run_jobs(self, limit=None, max_performed=200):
        """Perform the store's queued jobs in-process, as a queue_job worker would; return the retry waits.

        Each job runs in its own savepoint (a worker's transaction): a
        :class:`RetryableJobError` rolls back what it did and postpones the
        job with the store's seconds or the job function's retry pattern
        (the wait is recorded, not slept); any other error fails the job as
        the worker does (it is kept in ``self.failed_jobs``). ``limit``
        stops after that many jobs done.
        """
        waits = []
        self.failed_jobs = []
        performed = done = 0
        while limit is None or done < limit:
            record = self.queued_jobs()[:1]
            if not record:
                break
            performed += 1
            self.assertLess(performed, max_performed, "the jobs never end")
            job = Job.load(self.env, record.uuid)
            job.set_started()
            try:
                with self.env.cr.savepoint():
                    job.perform()
            except RetryableJobError as error:
                self.env.invalidate_all(flush=False)
                job = Job.load(self.env, record.uuid)
                if not error.ignore_retry:
                    job.retry += 1
                job.postpone(result=str(error), seconds=error.seconds)
                waits.append(job._get_retry_seconds(error.seconds))
                job.set_pending(reset_retry=False)
                job.store()
                continue
            except Exception as error:  # noqa: BLE001 - the worker's "failed" state, checked by the tests
                self.env.invalidate_all(flush=False)
                job = Job.load(self.env, record.uuid)
                job.set_failed(exc_name=type(error).__name__, exc_message=str(error), exc_info=repr(error))
                job.store()
                self.failed_jobs.append(error)
                continue
            job.set_done(result=job.result)
            job.store()
            if job.should_check_dependents():
                self.env.flush_all()
                job.enqueue_waiting()  # as the worker does: a job waiting for this one may start now
            done += 1
        return waits

    def sync(self, action, *args):
        """Call ``action(*args)``, then perform every job it queued; return the retry waits."""
        action(*args)
        return self.run_jobs()
