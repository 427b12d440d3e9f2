"""Make the repository root importable: the core packages are tested as
top-level ``wc_connector`` and ``wc_emulator``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


import pytest  # noqa: E402 - after the path the helpers need


@pytest.fixture
def receiver():
    """A webhook receiver on 127.0.0.1 (``test_emulator_helpers.Receiver``), closed after the test."""
    from test_emulator_helpers import Receiver

    running = Receiver()
    yield running
    running.close()
