"""Make the repository root importable: the core packages are tested as
top-level ``wc_connector`` and ``wc_emulator``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


import pytest  # noqa: E402 - after the path the helpers need


@pytest.fixture
def receiver():
    """A webhook inbox on 127.0.0.1 (``wc_emulator.inbox.WebhookInbox``), closed after the test."""
    from wc_emulator.inbox import WebhookInbox

    with WebhookInbox() as inbox:
        yield inbox
