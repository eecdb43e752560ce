#!/usr/bin/env bash
# Set up everything university_library needs on a Debian/Ubuntu machine, reusing what is there.
#
#   Odoo 18.0 Community  ODOO_SRC (an existing source tree), else $UL_HOME/odoo, else a shallow
#                        clone of https://github.com/odoo/odoo (branch 18.0) into $UL_HOME/odoo
#   Python               a virtualenv in $UL_HOME/venv with Odoo's requirements, Odoo installed
#                        editable in compat mode (so OCA add-ons from PyPI share odoo.addons),
#                        and this add-on's requirements.txt
#   PostgreSQL           the local cluster started if needed, a role for the current user
#   Debian packages      build libraries, wkhtmltopdf, a Persian font, chromium (browser tests)
#   rtlcss (npm)         mirrors Odoo's stylesheets for right-to-left languages (Persian)
#   Add-ons folder       $UL_HOME/addons/<checkout id>/university_library -> this checkout
#
# UL_HOME defaults to ~/.cache/university_library. Source this file to get the variables
# (ODOO_SRC, UL_PY, UL_ADDONS_PATH, UL_DB_ARGS) and the functions below; run it to set up only.
set -euo pipefail

UL_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UL_HOME="${UL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/university_library}"
ODOO_BRANCH=18.0
ODOO_GIT_URL="https://github.com/odoo/odoo.git"

ul_say() { printf '[setup] %s\n' "$*" >&2; }
ul_die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

ul_apt_packages() {
    local want=(git libldap2-dev libsasl2-dev libpq-dev build-essential python3-dev python3-venv
                postgresql postgresql-client wkhtmltopdf fonts-noto-core chromium)
    local missing=() p
    for p in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null; then
        ul_die "missing system packages (${missing[*]}) and no apt-get to install them"
    fi
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    ul_say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || ul_die "apt-get could not install: ${missing[*]}"
}

ul_rtlcss() {
    # Odoo mirrors its stylesheets for right-to-left languages (Persian) with rtlcss, from npm.
    command -v rtlcss >/dev/null && return 0
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if ! command -v npm >/dev/null; then
        command -v apt-get >/dev/null || { ul_say "WARNING: no npm to install rtlcss: Persian screens will not be mirrored"; return 0; }
        ul_say "installing npm (for rtlcss)"
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
            || { ul_say "WARNING: could not install npm: Persian screens will not be mirrored"; return 0; }
    fi
    ul_say "installing rtlcss (npm) for right-to-left screens and PDFs"
    $sudo npm install -g --silent rtlcss >/dev/null 2>&1 \
        || ul_say "WARNING: could not install rtlcss: Persian screens will not be mirrored"
}

ul_postgres() {
    if ! pg_isready -q 2>/dev/null; then
        ul_say "starting PostgreSQL"
        local ver
        ver=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
        [ -n "$ver" ] || ul_die "PostgreSQL is not installed (no /etc/postgresql); install the 'postgresql' package"
        if command -v pg_ctlcluster >/dev/null; then
            pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster "$ver" main start
        fi
        for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
        pg_isready -q || ul_die "PostgreSQL did not start"
    fi
    local me
    me="$(id -un)"
    if ! psql -d postgres -tAc 'select 1' >/dev/null 2>&1; then
        ul_say "creating PostgreSQL role $me"
        if [ "$(id -u)" -eq 0 ]; then
            su postgres -c "createuser --createdb '$me'" || ul_die "could not create PostgreSQL role $me"
        else
            sudo -u postgres createuser --createdb "$me" || ul_die "could not create PostgreSQL role $me"
        fi
    fi
}

ul_odoo_tree() {
    if [ -n "${ODOO_SRC:-}" ]; then
        [ -f "$ODOO_SRC/odoo-bin" ] && [ -d "$ODOO_SRC/odoo" ] \
            || ul_die "ODOO_SRC=$ODOO_SRC is not an Odoo source tree (no odoo-bin and odoo/ there)"
    elif [ -f "$UL_HOME/odoo/odoo-bin" ]; then
        ODOO_SRC="$UL_HOME/odoo"
    else
        ul_say "downloading Odoo $ODOO_BRANCH Community from $ODOO_GIT_URL into $UL_HOME/odoo"
        mkdir -p "$UL_HOME"
        git clone --quiet --depth 1 --branch "$ODOO_BRANCH" "$ODOO_GIT_URL" "$UL_HOME/odoo.part" \
            || ul_die "could not download Odoo $ODOO_BRANCH (no network?). Put an Odoo $ODOO_BRANCH Community tree in $UL_HOME/odoo or name one with ODOO_SRC=/path/to/odoo"
        mv "$UL_HOME/odoo.part" "$UL_HOME/odoo"
        ODOO_SRC="$UL_HOME/odoo"
    fi
    ODOO_SRC="$(cd "$ODOO_SRC" && pwd)"
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || ul_die "$ODOO_SRC is not Odoo 18.0 (odoo/release.py)"
    export ODOO_SRC
}

ul_python() {
    local venv="$UL_HOME/venv" stamp
    UL_PY="$venv/bin/python"
    # Reinstall when Odoo's or our requirements change (or the tree moves).
    stamp="$(cat "$ODOO_SRC/requirements.txt" "$UL_REPO/requirements.txt" | sha1sum | cut -c1-16)-$(echo "$ODOO_SRC" | sha1sum | cut -c1-8)"
    if [ -x "$UL_PY" ] && [ "$(cat "$venv/.ul-stamp" 2>/dev/null)" = "$stamp" ] \
        && "$UL_PY" -c 'import odoo, odoo.addons.base' 2>/dev/null; then
        return 0
    fi
    local base_py
    base_py="$(command -v python3.11 || command -v python3)"
    "$base_py" -c 'import sys; assert (3, 10) <= sys.version_info[:2] <= (3, 12)' \
        || ul_die "Odoo 18 needs Python 3.10-3.12; $base_py is $("$base_py" --version)"
    [ -x "$UL_PY" ] || { ul_say "creating virtualenv $venv"; "$base_py" -m venv "$venv"; }
    ul_say "installing Python requirements (a few minutes the first time; log: $UL_HOME/pip.log)"
    local constraint="$UL_HOME/build-constraints.txt" log="$UL_HOME/pip.log"
    echo 'setuptools<72' > "$constraint"
    : > "$log"
    ul_pip() { "$UL_PY" -m pip install -q "$@" >>"$log" 2>&1 || { tail -30 "$log" >&2; return 1; }; }
    ul_pip --upgrade 'pip>=25.3' wheel || ul_die "could not upgrade pip in $venv"
    ul_pip --build-constraint "$constraint" -r "$ODOO_SRC/requirements.txt" \
        || ul_die "could not install Odoo's Python requirements (pip's message above)"
    ul_pip --build-constraint "$constraint" --no-deps -e "$ODOO_SRC" --config-settings editable_mode=compat \
        || ul_die "could not install Odoo from $ODOO_SRC"
    ul_pip --build-constraint "$constraint" -r "$UL_REPO/requirements.txt" \
        || ul_die "could not install requirements.txt"
    echo "$stamp" > "$venv/.ul-stamp"
}

ul_addons() {
    local id link_dir
    id="$(printf '%s' "$UL_REPO" | sha1sum | cut -c1-12)"
    link_dir="$UL_HOME/addons/$id"
    mkdir -p "$link_dir"
    ln -sfn "$UL_REPO" "$link_dir/university_library"
    # Companion add-ons (bridges to OCA modules) live in companions/ of this checkout.
    UL_ADDONS_PATH="$ODOO_SRC/odoo/addons,$ODOO_SRC/addons,$link_dir,$UL_REPO/companions"
    export UL_ADDONS_PATH
}

ul_setup() {
    ul_apt_packages
    ul_rtlcss
    ul_postgres
    ul_odoo_tree
    ul_python
    ul_addons
    UL_DB_ARGS=(--db_host= --db_user="$(id -un)")
    ul_say "Odoo $ODOO_SRC, Python $UL_PY"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    ul_setup
fi
