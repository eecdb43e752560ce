#!/usr/bin/env bash
# Set everything up and run the whole test suite on a fresh database: the Odoo tests of
# university_library (including the browser tour in headless Chromium) and the pytest tests of
# the pure rules/ package. Ends with one line "N passed, N failed[, N skipped]".
# Exit status 0 only when nothing failed and nothing was skipped (a skipped browser test is a
# failure: it means Chromium or websocket-client is missing).
#   UL_TEST_TAGS  Odoo --test-tags (default: /university_library,/university_library_payroll)
#   UL_HTTP_PORT  port of the test server for browser tests (default: a free port from 18069 on)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ul_setup
set +e

command -v chromium >/dev/null || command -v chromium-browser >/dev/null \
    || ul_die "chromium is missing: the desk tour needs it (apt-get install chromium)"
"$UL_PY" -c 'import websocket' 2>/dev/null || ul_die "websocket-client is missing in $UL_PY (browser tests would be skipped)"

port="${UL_HTTP_PORT:-}"
if [ -z "$port" ]; then
    port=$("$UL_PY" - <<'PY'
import socket
for p in range(18069, 18169):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            continue
        print(p)
        break
PY
)
fi
DB="ul_test_$(date +%Y%m%d%H%M%S)_$$"
WORK="$(mktemp -d)"
LOG="$WORK/odoo-test.log"
cleanup() { dropdb --if-exists "$DB" >/dev/null 2>&1; rm -rf "$WORK"; }
trap cleanup EXIT
# Where the full Odoo log is kept when something failed (one file per checkout).
FAILED_LOG="${TMPDIR:-/tmp}/ul-odoo-test-$(printf '%s' "$UL_REPO" | sha1sum | cut -c1-8).log"

ul_say "pytest: rules/"
# A copy of rules/ alone: the repository root is an Odoo add-on package, which pytest must not import.
cp -r "$UL_REPO/rules" "$WORK/rules"
"$UL_PY" -m pytest -q -p no:cacheprovider "$WORK/rules/tests" | tee "$WORK/pytest.log"
py_rc=${PIPESTATUS[0]}
py_line=$(grep -E '^[0-9]+ (passed|failed)|[0-9]+ passed|[0-9]+ failed' "$WORK/pytest.log" | tail -1)
py_passed=$(echo "$py_line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
py_failed=$(( $(echo "$py_line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0) + $(echo "$py_line" | grep -oE '[0-9]+ error' | grep -oE '[0-9]+' || echo 0) ))
py_skipped=$(echo "$py_line" | grep -oE '[0-9]+ skipped' | grep -oE '[0-9]+' || echo 0)
[ "$py_rc" -ne 0 ] && [ "$py_failed" -eq 0 ] && py_failed=1

ul_say "odoo: installing university_library on fresh database $DB and running its tests"
"$UL_PY" "$ODOO_SRC/odoo-bin" "${UL_DB_ARGS[@]}" --addons-path="$UL_ADDONS_PATH" -d "$DB" \
    -i university_library,university_library_payroll --test-enable \
    --test-tags "${UL_TEST_TAGS:-/university_library,/university_library_payroll}" \
    --stop-after-init --http-port="$port" --log-level=test --max-cron-threads=0 >"$LOG" 2>&1
odoo_rc=$?
grep -E ' (ERROR|CRITICAL) |demo data failed|FAIL:|ERROR:|: skipped |Ran [0-9]+ tests|tests when loading|failed, [0-9]+ error' "$LOG" | tail -60

stats=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$LOG" | tail -1)
if [ -z "$stats" ]; then
    tail -40 "$LOG"
    ul_say "Odoo did not report test results (installation failed?). Full log kept in $FAILED_LOG"
    cp "$LOG" "$FAILED_LOG" 2>/dev/null || true
    echo "0 passed, 1 failed"
    exit 1
fi
read -r o_failed o_errors o_total < <(echo "$stats" | grep -oE '[0-9]+' | tr '\n' ' ')
o_skipped=$(grep -cE ': skipped ' "$LOG" || true)
o_logged_errors=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) |demo data failed to install' "$LOG" || true)
o_bad=$(( o_failed + o_errors ))
# An ERROR logged outside a test (a failed install step, a broken view) fails the run too.
if [ "$o_bad" -eq 0 ] && { [ "$o_logged_errors" -gt 0 ] || [ "$odoo_rc" -ne 0 ]; }; then
    o_bad=1
fi
o_passed=$(( o_total - o_failed - o_errors - o_skipped ))

passed=$(( o_passed + py_passed ))
failed=$(( o_bad + py_failed ))
skipped=$(( o_skipped + py_skipped ))
ul_say "odoo: $o_total tests, $o_failed failed, $o_errors errors, $o_skipped skipped; pytest: $py_passed passed, $py_failed failed"
if [ "$failed" -gt 0 ] || [ "$skipped" -gt 0 ]; then
    cp "$LOG" "$FAILED_LOG" 2>/dev/null && ul_say "full Odoo log: $FAILED_LOG"
fi
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
    ul_say "tests were skipped: a skipped browser test means Chromium or websocket-client is missing"
    exit 1
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
