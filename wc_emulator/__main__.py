"""Command line: `python -m wc_emulator serve --port 8071 --keys-file PATH --orders N [--seed S]`.

Seeds the store with the generator, writes {"url", "consumer_key",
"consumer_secret", "webhook_secret"} as JSON to the keys file, and serves
until killed, logging one line per request (without oauth_* parameters).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import secrets
import signal
import sys
import threading


def main(argv=None):
    """Run the CLI; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m wc_emulator",
                                     description="A WooCommerce store emulator (8.9.1 or 10.5.0).")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve a generated store until killed")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8071)
    serve.add_argument("--keys-file", required=True)
    serve.add_argument("--orders", type=int, default=40)
    serve.add_argument("--seed", type=int, default=1)
    serve.add_argument("--https", action="store_true")
    serve.add_argument("--wc-version", choices=("8.9", "10.5"), default="8.9",
                       help="which WooCommerce the store behaves as (default 8.9)")
    serve.add_argument("--deliver-every", type=float, default=5.0,
                       help="seconds between webhook delivery runs (0: never)")
    args = parser.parse_args(argv)

    from .generator import generate_store
    from .server import EmulatedStore

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    store = EmulatedStore(generate_store(seed=args.seed, orders=args.orders), https=args.https,
                          host=args.host, port=args.port, quiet=False,
                          auto_deliver=args.deliver_every > 0,
                          delivery_interval=args.deliver_every or 1.0, wc_version=args.wc_version)
    store.start()
    keys = {"url": store.url, "consumer_key": store.consumer_key,
            "consumer_secret": store.consumer_secret, "webhook_secret": secrets.token_urlsafe(24)}
    directory = os.path.dirname(os.path.abspath(args.keys_file))
    os.makedirs(directory, exist_ok=True)
    temporary = args.keys_file + ".tmp"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(keys, handle)
    os.chmod(temporary, 0o600)
    os.replace(temporary, args.keys_file)  # readers never see half a file
    logging.getLogger("wc_emulator").info("serving %s (%d orders)", store.url, len(store.data.orders))
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    store.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
