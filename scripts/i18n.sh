#!/usr/bin/env bash
# Regenerate the translation template and bring the Persian and Vietnamese catalogues up to date.
#
#   bash scripts/i18n.sh           export i18n/*.pot of both add-ons from a fresh database and merge
#                                  the new terms into i18n/fa.po and i18n/vi.po (new terms are empty;
#                                  the test suite fails until they are translated)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ul_setup
set +e

DB="ul_i18n_$(date +%Y%m%d%H%M%S)_$$"
trap 'dropdb --if-exists "$DB" >/dev/null 2>&1' EXIT
ul_say "installing the add-ons on $DB to read their terms"
"$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$DB" \
    -i university_library,university_library_payroll --without-demo=all --stop-after-init \
    --log-level=warn || ul_die "installation failed"
for module_dir in "$UL_REPO" "$UL_REPO/companions/university_library_payroll"; do
    module="$(basename "$module_dir")"
    [ "$module_dir" = "$UL_REPO" ] && module=university_library
    mkdir -p "$module_dir/i18n"
    "$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$DB" \
        --modules="$module" --i18n-export="$module_dir/i18n/$module.pot" --stop-after-init --log-level=warn \
        || ul_die "could not export the terms of $module"
    "$UL_PY" "$UL_REPO/scripts/i18n_merge.py" "$module_dir/i18n/$module.pot" "$module_dir/i18n/fa.po" "$module_dir/i18n/vi.po"
done
