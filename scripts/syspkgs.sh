#!/usr/bin/env bash
# The system packages apopms needs, installed when this user can, named when not.
#
#   scripts/syspkgs.sh            WeasyPrint's libraries (needed by `make run` and `make test`)
#   scripts/syspkgs.sh --browser  also Chromium and poppler-utils (the browser tests skip without them)
#   scripts/syspkgs.sh --production  also nginx, PostgreSQL's client tools, poppler-utils and openssl
#
# Installs with apt-get as root, or through `sudo -n` when that works without a password.
# Otherwise it stops (exit 1) with one line naming the command to run, before anything else
# is set up. Missing browser packages alone only print a note: those tests skip, naming them.
# The lists can be overridden (SYSPKGS, SYSPKGS_BROWSER; SYSLIBS where there is no dpkg),
# e.g. to try the refusal path.
set -euo pipefail

read -r -a required <<<"${SYSPKGS-libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0}"
browser=()
for arg in "$@"; do
  case $arg in
    --browser) read -r -a browser <<<"${SYSPKGS_BROWSER-chromium poppler-utils}" ;;
    --production)
      # `make prod-smoke`, `make backup` and `make restore`: the proxy, PostgreSQL's client tools
      # (pg_dump, pg_restore, psql), poppler-utils (pdfinfo) and openssl (the proxy's certificate).
      read -r -a production <<<"${SYSPKGS_PRODUCTION-nginx postgresql-client poppler-utils openssl}"
      required+=("${production[@]}")
      ;;
  esac
done

say() { printf '%s\n' "$*" >&2; }

# Not Debian or Ubuntu: check the libraries themselves and say what to install.
if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  if ! command -v ldconfig >/dev/null 2>&1 && [ ! -x /sbin/ldconfig ]; then
    say "Cannot check system libraries here (no dpkg-query, no ldconfig). WeasyPrint needs Pango and HarfBuzz (macOS: brew install pango)."
    exit 0
  fi
  libs=$(PATH="$PATH:/sbin" ldconfig -p)
  missing=()
  read -r -a needed_libs <<<"${SYSLIBS-libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0}"
  for lib in "${needed_libs[@]}"; do
    grep -q "$lib " <<<"$libs" || missing+=("$lib")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "Missing system libraries: ${missing[*]}. Install Pango and HarfBuzz (with its subset library) with your package manager, e.g. sudo dnf install pango harfbuzz"
    exit 1
  fi
  exit 0
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
missing_of() {
  local pkg
  for pkg in "$@"; do installed "$pkg" || printf '%s\n' "$pkg"; done
}

mapfile -t need_required < <(missing_of "${required[@]}")
mapfile -t need_browser < <(missing_of "${browser[@]}")
need=("${need_required[@]}" "${need_browser[@]}")
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  as_root=(none)
fi

if [ "${as_root[*]}" != none ]; then
  echo "Installing system packages: ${need[*]} (apt-get)"
  if "${as_root[@]}" apt-get update -q \
    && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}"; then
    exit 0
  fi
  mapfile -t need_required < <(missing_of "${required[@]}")
  mapfile -t need_browser < <(missing_of "${browser[@]}")
  need=("${need_required[@]}" "${need_browser[@]}")
  say "apt-get could not install them."
fi

if [ ${#need_required[@]} -gt 0 ]; then
  say "Missing system packages: ${need[*]}. Install them with: sudo apt-get install -y --no-install-recommends ${need[*]}"
  exit 1
fi
if [ ${#need_browser[@]} -gt 0 ]; then
  say "The browser tests will skip: missing ${need_browser[*]}. Install with: sudo apt-get install -y --no-install-recommends ${need_browser[*]}"
fi
exit 0
