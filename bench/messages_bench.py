"""What the customer messages cost: N generated store orders imported, then their step messages sent.

    python bench/messages_bench.py --db DB --orders N [--out result.json] -- <odoo options>

The database must have the addon installed. The store (an ``EmulatedStore``
of ``generate_store(seed=1, orders=N)``) runs in this process's threads.

1. **Import**: the store's currency (EUR) gets a rate of 1 in the company
   (an order in a currency without a rate is refused); then the orders are
   imported page by page (100 per page, each page committed, like the sync's
   jobs) with the store's *Messages from* in the future, so every order
   only gets its "skipped: placed before" rows — the decision and the rows
   the import always pays for.
2. **Messages**: those rows are removed, every step is switched on (none left
   to the store) and *Messages from* moved back; then
   ``sale.order._wc_send_step_messages`` runs per page of 100 orders, as the
   import calls it: rows claimed, templates rendered per step and language,
   one chatter message and e-mail per step due (the invoice PDF attached,
   printed by wkhtmltopdf when it is installed: with no Odoo server running
   it cannot fetch the report's style sheets, so each print waits on a
   refused connection; without wkhtmltopdf the message goes without it),
   an SMS when the ``sms`` module is installed (through Odoo's IAP: without
   network access each send fails and is logged). Both count in the wall
   seconds, not in the CPU seconds.

Prints seconds, SQL queries and messages per order for both phases.
"""

import argparse
import os
import sys
from collections import Counter
from datetime import datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import benchlib  # noqa: E402
from benchlib import Meter, environment, log  # noqa: E402

PER_PAGE = 100


def main(argv):
    ours, odoo_args = benchlib.split_argv(argv)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--out")
    args = parser.parse_args(ours)
    registry = benchlib.open_registry(args.db, odoo_args)
    sys.path.insert(0, benchlib.REPO_DIR)
    from store_process import data_mix

    from wc_emulator import EmulatedStore
    from wc_emulator.generator import generate_store

    data = generate_store(seed=1, orders=args.orders)
    store_emulator = EmulatedStore(data, quiet=True)
    store_emulator.start()
    try:
        with environment(registry) as env:
            store = env["wc.store"].create({
                "name": "Messages bench", "url": store_emulator.url,
                "consumer_key": store_emulator.consumer_key, "consumer_secret": store_emulator.consumer_secret,
                "wc_messages_go_live": datetime(2100, 1, 1),
            })
            benchlib.rate_currencies(env, data_mix(data)["currencies"])
            store.action_setup_from_store()
            store_id = store.id
        log(f"Importing {args.orders} orders...")
        meter = Meter().start()
        with environment(registry) as env:
            client = env["wc.store"].browse(store_id)._client()
        pages, counts = [], Counter()
        try:
            for page in client.iter_pages("orders", {"orderby": "id", "order": "asc"}, per_page=PER_PAGE):
                if not page.records:
                    break
                with environment(registry) as env:
                    counts.update(env["wc.store"].browse(store_id)._wc_import_orders(page.records))
                    pages.append([record["id"] for record in page.records])
        finally:
            client.close()
        imported = meter.stop(args.orders)
        log(f"  {dict(counts)}")

        with environment(registry) as env:
            store = env["wc.store"].browse(store_id)
            env["wc.message.sent"].search([("store_id", "=", store_id)]).unlink()
            store.wc_message_step_ids.write({"enabled": True, "store_sends": False})
            store.wc_messages_go_live = datetime(2000, 1, 1)
        log("Sending the step messages...")
        meter = Meter().start()
        for wc_ids in pages:
            with environment(registry) as env:
                env["sale.order"].search(
                    [("wc_store_id", "=", store_id), ("wc_order_id", "in", wc_ids)])._wc_send_step_messages()
        sent = meter.stop(args.orders)
        with environment(registry) as env:
            messages = env["wc.message.sent"].search_count([("store_id", "=", store_id), ("state", "=", "sent")])
            orders = env["sale.order"].search_count([("wc_store_id", "=", store_id)])
    finally:
        store_emulator.stop()

    result = {
        "orders": orders,
        "import_counts": dict(counts),
        "import": imported,
        "messages": sent,
        "messages_sent": messages,
    }
    print(f"orders imported: {orders}")
    print(f"import (messages decided, none due): {imported['seconds']} s, "
          f"{imported['queries'] / max(orders, 1):.0f} queries per order")
    print(f"messages: {messages} sent for {orders} orders in {sent['seconds']} s "
          f"({1000 * sent['seconds'] / max(messages, 1):.0f} ms and "
          f"{sent['queries'] / max(messages, 1):.0f} queries per message), load {sent['load_average']}")
    if args.out:
        benchlib.write_json(args.out, result)


if __name__ == "__main__":
    main(sys.argv[1:])
