#!/usr/bin/env bash
# Set everything up, create (once) a database with university_library and its demo data, and
# serve Odoo on http://localhost:8069.   Usage: bash scripts/run.sh [--reset] [extra odoo-bin args]
#   UL_DB    database name (default: library_demo)      UL_PORT  HTTP port (default: 8069)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ul_setup

DB="${UL_DB:-library_demo}"
PORT="${UL_PORT:-8069}"
if [ "${1:-}" = "--reset" ]; then
    shift
    dropdb --if-exists "$DB"
fi
if ! psql -d "$DB" -tAc "select 1 from ir_module_module where name='university_library' and state='installed'" 2>/dev/null | grep -q 1; then
    ul_say "creating database $DB with university_library and demo data (a few minutes)"
    "$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$DB" \
        -i university_library --load-language=fa_IR,vi_VN --stop-after-init --log-level=warn
    "$UL_PY" "$ODOO_SRC/odoo-bin" shell "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$DB" \
        --log-level=warn <<'PY' >/dev/null
env.ref("base.user_admin").write({"password": "admin"})
# Loading Persian makes it the users' language; the demo starts in English (each user can switch;
# the scheduler's user writes notices' failure reasons, so it stays in English too).
env["res.users"].with_context(active_test=False).search(
    [("login", "in", ("admin", "librarian", "__system__"))]).write({"lang": "en_US"})
env.cr.commit()
PY
fi
cat <<MSG

  University Library is running:  http://localhost:$PORT
  Database: $DB     Log in as  admin / admin  (library manager)  or  librarian / librarian  (desk)

MSG
exec "$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$DB" \
    --db-filter="^$DB\$" --http-port="$PORT" "$@"
