# Shared settings for scripts/setup and scripts/test (sourced, not run).
# Everything that is not ours (Odoo, its venv) lives in a per-user cache,
# outside the repository, so that the test command finds an Odoo that the
# setup command installed earlier on the same machine.

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ADDON_NAME=woocommerce_connector
WC_CACHE=${WC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/woocommerce_connector}
CORE_VENV=$WC_CACHE/core-venv
# The Odoo versions this branch supports; the first is the default.
SUPPORTED_ODOO_VERSIONS="18.0 19.0"
# Where a downloaded Odoo source goes when ODOO_SRC is not given:
# ~/src/odoo-18.0, ~/src/odoo-19.0 (ODOO_VERSION picks one, default 18.0).
ODOO_SRC_PARENT=${ODOO_SRC_PARENT:-$HOME/src}

# Odoo's major version in a source tree, read from its odoo/release.py ("18", "19").
odoo_version_of() {
    sed -nE 's/^version_info = \(([0-9]+), .*/\1/p' "$1/odoo/release.py" 2>/dev/null | head -1
}

# One venv per Odoo version in the cache: odoo18-venv, odoo19-venv.
odoo_venv_for() { echo "$WC_CACHE/odoo$1-venv"; }

# Every Odoo venv present in the cache, lowest version first.
odoo_venvs() {
    local venv
    for venv in $(ls -d "$WC_CACHE"/odoo[0-9]*-venv 2>/dev/null | sort -V); do
        [ -x "$venv/bin/python" ] && echo "$venv"
    done
}

if [ -z "${ODOO_SRC:-}" ] && [ -f "$ODOO_SRC_PARENT/odoo-${ODOO_VERSION:-18.0}/odoo-bin" ]; then
    ODOO_SRC=$ODOO_SRC_PARENT/odoo-${ODOO_VERSION:-18.0}
fi
# The version comes from the source given (ODOO_SRC), else from ODOO_VERSION.
if [ -n "${ODOO_SRC:-}" ] && [ -n "$(odoo_version_of "$ODOO_SRC")" ]; then
    ODOO_MAJOR=$(odoo_version_of "$ODOO_SRC")
else
    ODOO_MAJOR=${ODOO_VERSION:-18.0}
    ODOO_MAJOR=${ODOO_MAJOR%%.*}
fi
ODOO_VENV=${ODOO_VENV:-$(odoo_venv_for "$ODOO_MAJOR")}

# The addons folder that holds this repository under its technical name.
# One per clone (named after the clone's path), so that two clones on one
# machine never redirect each other's tests; WC_ADDONS_DIR overrides it.
ADDONS_LINK_DIR=${WC_ADDONS_DIR:-$WC_CACHE/addons/$(basename "$REPO_DIR")-$(printf '%s' "$REPO_DIR" | sha1sum | cut -c1-8)}

# PostgreSQL: Odoo refuses to run as "postgres", so we use a role of our own.
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
ODOO_DB_USER=${ODOO_DB_USER:-odoo_wc}
export PGHOST PGPORT

# The first Python 3.10-3.12 found (Odoo 18 and 19 both support these).
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

# Odoo 18 loads demo data unless told --without-demo=all; Odoo 19 loads none by default
# and reads that option as a boolean (warning about "all").
without_demo_option() {  # without_demo_option <major version>
    if [ "$1" -ge 19 ] 2>/dev/null; then echo "--without-demo"; else echo "--without-demo=all"; fi
}

odoo_addons_path() {
    local odoo_src
    # odoo.release, not odoo: on Odoo 19 `odoo` is a namespace package without __file__.
    odoo_src=$("$ODOO_VENV/bin/python" -c 'import odoo.release, os; print(os.path.dirname(os.path.dirname(odoo.release.__file__)))')
    echo "$odoo_src/addons,$ADDONS_LINK_DIR"
}
