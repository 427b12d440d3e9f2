"""Names and mappings that several files of the Odoo side read, in one place (like ``payment_stripe/const.py``).

The store's own vocabulary (statuses, topics, targets) lives in the
framework-free core (``wc_connector``); this module holds what is Odoo's:
group and record xml ids, queue_job states, the store's admin paths, page
sizes.
"""

#: Sees the stores and their sync; may start a sync and test a connection.
USER_GROUP = "woocommerce_connector.group_wc_user"
#: Connects stores, manages their keys (the secrets) and webhooks, retries failed records;
#: receives the weekly reconciliation and the health activities.
MANAGER_GROUP = "woocommerce_connector.group_wc_manager"

#: The parent of every store's queue_job channel (``data/queue_job_data.xml``).
ROOT_CHANNEL_XMLID = "woocommerce_connector.channel_woocommerce"

#: queue.job states of a job still to run (it may yet do its work).
LIVE_JOB_STATES = ("wait_dependencies", "pending", "enqueued", "started")

#: Records per page of the store's listings (its maximum).
PER_PAGE = 100

#: The store's order admin page (HPOS); ``%s`` is the order id.
ORDER_ADMIN_PATH = "/wp-admin/admin.php?page=wc-orders&action=edit&id=%s"

#: The payment gateway row of orders whose gateway has no row of its own.
OTHER_GATEWAY = "other"
