# Shared settings for scripts/setup and scripts/test (sourced, not run).
# Everything that is not ours (Odoo, its venv) lives in a per-user cache,
# outside the repository, so that the test command finds an Odoo that the
# setup command installed earlier on the same machine.

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON_NAME=woocommerce_connector
WC_CACHE=${WC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/woocommerce_connector}
ODOO_VENV=${ODOO_VENV:-$WC_CACHE/odoo18-venv}
CORE_VENV=$WC_CACHE/core-venv
# The addons folder that holds this repository under its technical name
# (WC_ADDONS_DIR keeps two checkouts on one machine from sharing it).
ADDONS_LINK_DIR=${WC_ADDONS_DIR:-$WC_CACHE/addons}

# PostgreSQL: Odoo refuses to run as "postgres", so we use a role of our own.
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
ODOO_DB_USER=${ODOO_DB_USER:-odoo_wc}
export PGHOST PGPORT

# The first Python 3.10-3.12 found (Odoo 18 supports these).
pick_python() {
    local candidate
    for candidate in ${PYTHON:-} python3.12 python3.11 python3.10 python3; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 12))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

# Create the Odoo database role (a superuser, so it can create and drop
# throwaway test databases) when it is missing.
ensure_db_role() {
    local admin_user
    for admin_user in postgres "$(id -un)"; do
        if psql -h "$PGHOST" -p "$PGPORT" -U "$admin_user" -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then
            if [ "$(psql -h "$PGHOST" -p "$PGPORT" -U "$admin_user" -d postgres -tAc \
                    "SELECT 1 FROM pg_roles WHERE rolname = '$ODOO_DB_USER'")" != 1 ]; then
                psql -h "$PGHOST" -p "$PGPORT" -U "$admin_user" -d postgres -qc \
                    "CREATE ROLE \"$ODOO_DB_USER\" LOGIN SUPERUSER PASSWORD '$ODOO_DB_USER'" >/dev/null
            fi
            return 0
        fi
    done
    return 1
}

# Link the repository into an addons folder under the addon's technical name
# (a clone may be called anything; Odoo needs the folder to be the module name).
link_addon() {
    mkdir -p "$ADDONS_LINK_DIR"
    ln -sfn "$REPO_DIR" "$ADDONS_LINK_DIR/$ADDON_NAME"
}

odoo_addons_path() {
    local odoo_src
    odoo_src=$("$ODOO_VENV/bin/python" -c 'import odoo, os; print(os.path.dirname(os.path.dirname(odoo.__file__)))')
    echo "$odoo_src/addons,$ADDONS_LINK_DIR"
}
