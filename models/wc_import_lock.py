"""Import locks: what makes "exactly once" a property of the database.

Two transactions may import the same store record at the same moment (a
webhook job and the cron's page job, or two workers). A lock around
find-or-create is not enough on its own: Odoo runs transactions in
REPEATABLE READ, so a transaction sees the database as it was at its first
query. A transaction that gets a lock *after* the previous holder committed
(it waited for it, or simply started before that commit and reached the lock
later, e.g. after reading a page from the store over HTTP) still cannot see
the sale order or partner the holder created, and would create them again.

So each lock key also has a row in ``wc_import_lock``, and taking the lock
upserts it. PostgreSQL refuses, with a serialization failure, to let a
REPEATABLE READ transaction update a row that a transaction it cannot see
has inserted or updated: exactly the stale case. Both refusals (the lock
held right now, or held and released since the snapshot) are errors Odoo and
queue_job retry in a fresh transaction, which then sees everything.
"""

import hashlib

from odoo import api, fields, models

from .compat import Constraint


def advisory_lock_key(*parts):
    """A stable signed 64-bit key for ``pg_advisory_xact_lock`` (the same in every process, unlike ``hash``)."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


class WcImportLock(models.Model):
    _name = "wc.import.lock"
    _description = "WooCommerce import lock"
    _log_access = False

    # A hash of the key's parts, not the parts: keys name emails and phones, which do not belong here.
    key = fields.Char(required=True, readonly=True)

    _key_unique = Constraint("UNIQUE(key)", "An import lock is recorded once.")

    @api.model
    def _wc_take(self, keys, what):
        """Hold the advisory lock ``keys`` (from :func:`advisory_lock_key`) for this transaction, or fail retryably.

        ``what`` says in the error what is being imported (no personal data).
        Raises ``psycopg2.errors.LockNotAvailable`` when another transaction
        holds one of the keys now, and ``psycopg2.errors.SerializationFailure``
        when one was held and released by a transaction this one's snapshot
        does not see. Both are in Odoo's ``PG_CONCURRENCY_ERRORS_TO_RETRY``:
        queue_job and Odoo's request handling run the work again.
        """
        keys = sorted(set(keys))
        if not keys:
            return
        cr = self.env.cr
        # Tried, never waited for: a transaction that waited would go on with a stale snapshot.
        # Taken in one order and given up at the first one held, so that of two transactions
        # wanting the same keys one always gets them all. The error is PostgreSQL's own (not a
        # Python exception) so that every retrying layer recognises it.
        cr.execute(
            """DO $$ DECLARE k bigint; BEGIN
                FOREACH k IN ARRAY %s::bigint[] LOOP
                    IF NOT pg_try_advisory_xact_lock(k) THEN
                        RAISE EXCEPTION USING ERRCODE = 'lock_not_available', MESSAGE = %s;
                    END IF;
                END LOOP;
            END $$""",
            [keys, f"{what}: being imported by another transaction"],
        )
        # The upsert updates every key's row; a row written by a commit this snapshot cannot see
        # raises "could not serialize access due to concurrent update" (SQLSTATE 40001).
        cr.execute(
            "INSERT INTO wc_import_lock (key) SELECT unnest(%s::varchar[]) ORDER BY 1 "
            "ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key",
            [[format(key & 0xFFFFFFFFFFFFFFFF, "016x") for key in keys]],
        )
