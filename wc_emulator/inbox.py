"""A webhook inbox: a small HTTP server on 127.0.0.1 that keeps every delivery the store sends it.

The emulator's webhooks (``webhooks.py``) deliver to it in the core tests and
in the Odoo tests, which then hand the deliveries on as the controller would.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class WebhookInbox:
    """Keeps ``(path, headers, raw body)`` of every POST in :attr:`received`; answers ``status``.

    ``url`` is where to deliver; :meth:`close` (or leaving the ``with`` block) stops the server.
    """

    def __init__(self, status=200):
        self.status = status
        self.received = []
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                inbox.received.append((self.path, dict(self.headers), body))
                self.send_response(inbox.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # quiet: tests read what was received, not a log
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
