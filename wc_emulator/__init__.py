"""A real HTTP server that behaves like a WooCommerce 8.9.1 store (REST API wc/v3), or a 10.5.0 one.

Used by the tests, the benchmarks and the demo store:

    from wc_emulator import EmulatedStore, StoreData
    with EmulatedStore(data) as store:
        store.api_url, store.consumer_key, store.consumer_secret
"""

from .data import StoreClock, StoreData
from .faults import FaultPlan
from .server import EmulatedStore, LoggedRequest

__all__ = ["EmulatedStore", "FaultPlan", "LoggedRequest", "StoreClock", "StoreData"]
