"""Run a queue_job channel's jobs in worker processes, the way Odoo runs them in production.

In production, queue_job's runner hands each ready job of a channel to one
of Odoo's worker processes, at most the channel's capacity at once, and
Odoo's prefork server (``--workers=N``) forks those processes from a master
that has loaded the registry and then closed its database connections
(``PreforkServer.run``: ``preload_registries``, ``sql_db.close_all``, fork).
Threads of one process would share one GIL: Odoo's Python work could not use
two cores, which is not what a shop with two workers gets.

:func:`run_channel` does the same without HTTP: the caller has loaded the
registry; the connections are closed and ``capacity`` processes are forked.
Each takes the channel's next ready job (priority, then creation; a
postponed job once its ``eta`` is past), marks it enqueued and runs it
through queue_job's own controller steps — ``_acquire_job`` (started, job
lock) and ``_runjob`` (perform, done, commit; a ``RetryableJobError``
postpones the job; ``_enqueue_dependent_jobs`` readies the jobs that waited
for it). Taking a job and counting the running ones happen under one lock
shared by the processes, so a worker stops only when no job is pending and
no other worker is running one that could ready more.
"""

import multiprocessing
import os
import queue
import threading
import time

import benchlib
from benchlib import Meter, environment, log


def memory_mb():
    """This process's memory now, in MB: resident, its proportional share, and its own pages.

    ``rss`` counts the pages shared with the process it was forked from (Odoo
    and the registry, loaded once); ``private`` is what this process alone
    holds — what one more worker costs the machine; ``pss`` shares the
    shared pages out among the processes that map them.
    """
    fields = {}
    with open("/proc/self/smaps_rollup") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                fields[parts[0].rstrip(":")] = int(parts[1])
    with open("/proc/self/status") as handle:
        peak = next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:"))
    return {
        "rss_mb": round(fields["Rss"] / 1024, 1),
        "max_rss_mb": round(peak / 1024, 1),
        "pss_mb": round(fields["Pss"] / 1024, 1),
        "private_mb": round((fields["Private_Clean"] + fields["Private_Dirty"]) / 1024, 1),
    }


def work(registry, channel, number, shared, progress, after_job, results, trace, profile):
    """One worker process: run the channel's jobs until none is left; put its figures on ``results``.

    It then waits for the parent's release before it exits, so that its
    database connections (and their backends' CPU time) are still there when
    the parent measures them.
    """
    thread = threading.current_thread()
    thread.dbname = registry.db_name
    thread.query_count, thread.query_time = 0, 0.0  # Odoo adds each query's wait to these
    meter = Meter(trace=trace, profile=profile and f"{profile}.worker{number}").start()
    mine = {"worker": number, "pid": os.getpid(), "jobs": 0, "postponed": 0, "failed": 0, "busy_seconds": 0.0,
            "marks": [], "quarter": None}
    while True:
        with environment(registry) as env:
            with shared["lock"]:
                uuid, left = benchlib.take_job(env, channel)
                if uuid:
                    shared["running"].value += 1
                elif not left and not shared["running"].value:
                    break  # nothing pending and nobody running who could ready more
            if not uuid:
                time.sleep(0.05)  # a postponed job's eta, or the others' jobs still running
                continue
            began = time.perf_counter()
            try:
                benchlib.run_job(env, uuid)
            except Exception as error:  # noqa: BLE001 - _runjob marked it failed; a benchmark reports it
                env.cr.rollback()
                log(f"  job {uuid} failed: {error}")
                mine["failed"] += 1
            mine["busy_seconds"] += time.perf_counter() - began
            mine["jobs"] += 1
            env.cr.execute("SELECT state FROM queue_job WHERE uuid = %s", (uuid,))
            mine["postponed"] += env.cr.fetchone()[0] == "pending"
            mine["marks"].append((time.time(), after_job(env)))
            done, total = progress(env)
            with shared["lock"]:
                shared["running"].value -= 1
                shared["jobs"].value += 1
                count = shared["jobs"].value
            if mine["quarter"] is None and done >= benchlib.quarter_mark(total):
                mine["quarter"] = {**meter.checkpoint("N/4", done), **memory_mb()}
            log(f"  worker {number} job {count}: {done}/{total} orders ({meter.checkpoint('page', done)['seconds']} s)")
    end = meter.stop(0)
    mine.update(busy_seconds=round(mine["busy_seconds"], 3), cpu_seconds=end["cpu_seconds"],
                sql_queries=thread.query_count, sql_seconds=round(thread.query_time, 3),
                end={**end, **memory_mb()})
    results.put(mine)
    shared["release"].wait()


def run_channel(registry, channel, capacity, progress, after_job, finished, trace=False, profile=None):
    """Run ``channel``'s jobs in ``capacity`` forked worker processes until none is left.

    ``progress(env)`` gives ``(done, total)`` after each job (for the log and
    the N/4 memory point); ``after_job(env)`` is recorded with the time after
    each job. Returns each worker's figures, by worker number: jobs, postponed
    and failed jobs, CPU and busy seconds, SQL queries and wait, memory at
    N/4 and at the end (:func:`memory_mb`), and the ``(time, after_job)`` marks.
    ``finished()`` runs in this process once every worker is done, before
    they exit and close their connections; its result is returned too:
    ``(figures, finished())``.
    """
    import odoo.sql_db

    context = multiprocessing.get_context("fork")
    shared = {"lock": context.Lock(), "running": context.Value("i", 0, lock=False),
              "jobs": context.Value("i", 0, lock=False), "release": context.Event()}
    results = context.Queue()
    # As Odoo's prefork server does before forking: no connection is shared between processes.
    odoo.sql_db.close_all()
    workers = [
        context.Process(target=work, name=f"bench-worker-{number}",
                        args=(registry, channel, number, shared, progress, after_job, results, trace, profile))
        for number in range(1, capacity + 1)
    ]
    for worker in workers:
        worker.start()
    figures = []
    while len(figures) < capacity:  # read before joining: a child exits only once its figures are taken
        try:
            figures.append(results.get(timeout=1))
        except queue.Empty:
            dead = [worker.name for worker in workers if worker.exitcode]
            if dead:
                raise RuntimeError(f"{', '.join(dead)} ended without its figures (see the log above)") from None
    try:
        after = finished()
    finally:
        shared["release"].set()
        for worker in workers:
            worker.join()
    return sorted(figures, key=lambda mine: mine["worker"]), after
