"""Make the repository root importable: the core packages are tested as
top-level ``wc_connector`` and ``wc_emulator``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
