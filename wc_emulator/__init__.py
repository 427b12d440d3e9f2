"""A real HTTP server that behaves like a WooCommerce 8.9.1 store (REST API wc/v3).

Used by the tests, the benchmarks and the demo store. See `server.EmulatedStore`.
"""

from .data import StoreClock, StoreData

__all__ = ["StoreClock", "StoreData"]
