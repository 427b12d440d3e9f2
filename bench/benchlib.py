"""What the benchmark scripts share: opening an Odoo database, the store's process, measuring a phase, the spec file.

The scripts run with the Odoo venv's Python and get Odoo's own command line
options after ``--`` (``bench/run`` passes the database server and the
addons path), e.g.::

    python bench/import_bench.py --orders 200 --db wc_bench_a --out a.json -- --db_host=127.0.0.1 ...
"""

import cProfile
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from contextlib import contextmanager

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: The models whose records the benchmark compares (and replays in the floor), creation order.
SPEC_MODELS = ("res.partner", "product.product", "sale.order", "account.move", "account.payment")


def split_argv(argv):
    """``(our args, Odoo's args)``: Odoo's come after ``--``."""
    if "--" in argv:
        index = argv.index("--")
        return argv[:index], argv[index + 1:]
    return argv, []


def open_registry(db, odoo_args):
    """Load Odoo with its options and return the database's registry (modules already installed)."""
    import odoo
    from odoo.tools import config

    config.parse_config(["-d", db, "--log-level=warn", *odoo_args], setup_logging=True)
    return odoo.modules.registry.Registry(db)


class StoreProcess:
    """A benchmark's store served by a child process: ``store_process.py`` (orders) or ``catalog_store.py``.

    A process of its own so that the store's data counts neither in the
    benchmark's memory nor in its Python time (a real store is another
    machine). ``options`` become the script's command line options
    (``orders=200`` -> ``--orders 200``). The script prints one JSON line
    when it serves (its URL and keys, what it holds: :attr:`info`), then
    answers each command read on stdin with one JSON line.
    """

    def __init__(self, script, **options):
        flags = [str(part) for name, value in options.items() for part in (f"--{name}", value)]
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(REPO_DIR, "bench", script), *flags],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        self.info = json.loads(self.process.stdout.readline())

    def ask(self, command):
        """Send one command (``log``, ``grow N``, ``reset``, ...) and return the store's JSON answer."""
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def request_log(self):
        """The requests the store has answered so far, counted by method and by kind."""
        return self.ask("log")

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=30)


def rate_currencies(env, codes):
    """Give each foreign currency of the store's orders a rate of 1 (the fresh database has none).

    An order in a currency without a rate is refused (it would be booked at
    a rate of 1 silently); a shop selling in EUR from a USD company sets the
    rate first, and so does each benchmark that imports orders, before its
    clock starts.
    """
    company = env.company
    Rate = env["res.currency.rate"]
    for currency in env["res.currency"].with_context(active_test=False).search([("name", "in", list(codes))]):
        if currency != company.currency_id and not Rate.search_count([("currency_id", "=", currency.id)]):
            currency.active = True
            Rate.create({"currency_id": currency.id, "rate": 1.0, "name": "2000-01-01", "company_id": company.id})


def take_job(env, channel):
    """The channel's next ready job, marked enqueued and committed; ``(uuid or None, any job still pending)``.

    As queue_job's runner picks it: pending, by priority then creation, a
    postponed job only once its ``eta`` is past.
    """
    from odoo.addons.queue_job.job import Job

    env.cr.execute(
        "SELECT uuid, (eta <= (now() AT TIME ZONE 'UTC')) IS NOT FALSE FROM queue_job"
        " WHERE state = 'pending' AND channel = %s ORDER BY priority, date_created, id",
        (channel,))
    rows = env.cr.fetchall()
    ready = next((uuid for uuid, is_ready in rows if is_ready), None)
    if ready:
        job = Job.load(env, ready)
        job.set_enqueued()
        job.store()
        env.cr.commit()
    return ready, bool(rows)


def run_job(env, uuid):
    """Run an enqueued job through queue_job's own controller steps, as its ``/queue_job/runjob`` route does.

    ``_acquire_job`` (started, job lock), then ``_runjob``: perform, done,
    commit; a ``RetryableJobError`` postpones the job; then
    ``_enqueue_dependent_jobs`` readies the jobs that waited for this one
    (a page's import job once the page is read, the closing job once every
    page is imported). A failed job is marked failed and its error raised.
    """
    from odoo.addons.queue_job.controllers.main import RunJobController

    job = RunJobController._acquire_job(env, uuid)
    if job:
        RunJobController._runjob(env, job)
        env.cr.commit()


@contextmanager
def environment(registry, context=None):
    """A fresh cursor and superuser environment, committed at the end — the way a queue job runs a unit of work."""
    import odoo

    with registry.cursor() as cr:
        yield odoo.api.Environment(cr, odoo.SUPERUSER_ID, dict(context or {}))


def sql_queries():
    """Every SQL query this process has sent so far (Odoo counts them in ``odoo.sql_db.sql_counter``)."""
    import odoo.sql_db

    return odoo.sql_db.sql_counter


def rss_mb():
    """The process's resident memory now, in MB."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def max_rss_mb():
    """The process's peak resident memory so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Meter:
    """Times one phase: wall and CPU seconds, SQL queries, memory; checkpoints along the way.

    With ``profile`` (a file name) the phase runs under cProfile and its
    stats go to that file (``python -m pstats FILE``). With ``trace`` the phase runs under tracemalloc (Python allocations,
    peak since the start) — which slows Python down, so the timings of a
    traced run are not comparable with an untraced one.
    """

    def __init__(self, trace=False, profile=None):
        self.trace = trace
        self.profile = profile
        self._profiler = None
        self.checkpoints = []

    def start(self):
        if self.trace:
            tracemalloc.start()
        if self.profile:
            self._profiler = cProfile.Profile()
            self._profiler.enable()
        self._wall, self._cpu, self._queries = time.perf_counter(), time.process_time(), sql_queries()
        return self

    def checkpoint(self, label, orders):
        """Record where the phase is after ``orders`` orders."""
        point = {
            "label": label,
            "orders": orders,
            "seconds": round(time.perf_counter() - self._wall, 3),
            "cpu_seconds": round(time.process_time() - self._cpu, 3),
            "queries": sql_queries() - self._queries,
            "rss_mb": round(rss_mb(), 1),
            "max_rss_mb": round(max_rss_mb(), 1),
            # The machine is shared: a busy one slows either side down.
            "load_average": round(os.getloadavg()[0], 2),
        }
        if self.trace:
            current, peak = tracemalloc.get_traced_memory()
            point.update(traced_mb=round(current / 2**20, 1), traced_peak_mb=round(peak / 2**20, 1))
        self.checkpoints.append(point)
        return point

    def stop(self, orders):
        if self._profiler:
            self._profiler.disable()
            self._profiler.dump_stats(self.profile)
        point = self.checkpoint("end", orders)
        if self.trace:
            tracemalloc.stop()
        return point


def postgres_cpu(env):
    """``{backend pid: CPU seconds so far}`` of the PostgreSQL backends connected to ``env``'s database.

    PostgreSQL runs on this machine (127.0.0.1): each backend's user + system
    time is in ``/proc/<pid>/stat``. Only this benchmark uses its database,
    so these backends do its SQL work and nobody else's; the server's shared
    processes (WAL writer, checkpointer, autovacuum) are not counted.
    """
    env.cr.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for (pid,) in env.cr.fetchall():
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:  # another machine's or another user's PostgreSQL: not measurable from here
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15)
    return seconds


def postgres_cpu_since(before, after):
    """CPU seconds the backends spent between two :func:`postgres_cpu` samples (new backends from zero)."""
    return round(sum(spent - before.get(pid, 0.0) for pid, spent in after.items()), 3)


def quarter_mark(total):
    """The order count at which the N/4 memory checkpoint is taken."""
    return max(1, total // 4)


def write_json(path, data):
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, default=str)


def read_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def log(message):
    print(message, file=sys.stderr, flush=True)
