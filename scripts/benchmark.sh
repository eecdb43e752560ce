#!/usr/bin/env bash
# Set everything up, build a template database with the demo data once, then run the benchmark:
#   bash scripts/benchmark.sh [--sizes tiny,small,medium,large]      (default: small,large)
#   UL_BENCH_TEMPLATE  template database (default: library_bench_template)
#   UL_BENCH_FRESH=1   rebuild the template first, and drop it at the end (CI)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ul_setup
TEMPLATE="${UL_BENCH_TEMPLATE:-library_bench_template}"
if [ -n "${UL_BENCH_FRESH:-}" ]; then
    dropdb --if-exists "$TEMPLATE"
    trap 'dropdb --if-exists "$TEMPLATE"' EXIT
fi
if ! psql -d "$TEMPLATE" -tAc "select 1 from ir_module_module where name='university_library' and state='installed'" 2>/dev/null | grep -q 1; then
    ul_say "building the template database $TEMPLATE (the add-on and its demo data)"
    dropdb --if-exists "$TEMPLATE"
    "$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$TEMPLATE" \
        -i university_library --stop-after-init --log-level=warn
else
    ul_say "updating the template database $TEMPLATE to this checkout's code"
    "$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$TEMPLATE" \
        -u university_library --stop-after-init --log-level=warn
fi
cd "$UL_REPO"
"$UL_PY" scripts/benchmark.py --template "$TEMPLATE" "$@" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH"
