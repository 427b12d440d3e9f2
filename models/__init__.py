from . import wc_store
from . import res_config_settings
from . import wc_customer_link
from . import res_partner
from . import wc_store_customers
