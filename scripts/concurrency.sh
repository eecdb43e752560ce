#!/usr/bin/env bash
# Several desks lending at once against odoo --workers=4 over JSON-RPC (see scripts/concurrency.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ul_setup
TEMPLATE="${UL_BENCH_TEMPLATE:-library_bench_template}"
if ! psql -d "$TEMPLATE" -tAc "select 1 from ir_module_module where name='university_library' and state='installed'" 2>/dev/null | grep -q 1; then
    dropdb --if-exists "$TEMPLATE"
    "$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$TEMPLATE" \
        -i university_library --stop-after-init --log-level=warn
fi
cd "$UL_REPO"
"$UL_PY" scripts/concurrency.py --template "$TEMPLATE" "$@" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH"
