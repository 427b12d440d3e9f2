from . import wc_store
from . import res_config_settings
