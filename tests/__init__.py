# The Odoo-layer tests (run by Odoo's test runner and by pytest-odoo).
# tests/core/ is the framework-free layer and is not imported here.
from . import test_store_install
from . import test_store_access
from . import test_store_fields
from . import test_store_directions
from . import test_store_connection
from . import test_import_customers
from . import test_import_orders
from . import test_order_totals
from . import test_accounting
from . import test_webhooks_controller
from . import test_webhook_registration
from . import test_access_business_users
from . import test_sync_cron
from . import test_sync_reliability
from . import test_exactly_once
from . import test_sync_customers
from . import test_sync_run_names
from . import test_push_orders
