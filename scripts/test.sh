#!/usr/bin/env bash
# The whole suite: on SQLite, then on PostgreSQL, then the conformance run, then in Chromium. Outside CI, a missing
# PostgreSQL or Chromium is skipped LOUDLY; with CI=true, nothing may be skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${FINLIFE_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}
CHROMIUM=${FINLIFE_CHROMIUM:-/usr/bin/chromium}
in_ci() { [[ "${CI:-}" =~ ^(1|true|yes)$ ]]; }
skipped=()
status=0

echo "== lint (ruff, mypy strict, import-linter)"
make --no-print-directory lint || status=1

echo "== tests on SQLite"
FINLIFE_TEST_DATABASE=sqlite $PY -m pytest -n 2 -m "not browser" "$@" || status=1

if $PY - "$PG_URL" <<'PYEOF'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr); sys.exit(1)
PYEOF
then
  echo "== tests on PostgreSQL ($PG_URL)"
  FINLIFE_TEST_DATABASE=$PG_URL $PY -m pytest -n 2 -m "not browser" "$@" || status=1
  conformance_db=$PG_URL
elif in_ci; then
  echo "!! CI: PostgreSQL is required and not reachable at $PG_URL" >&2; status=1
else
  skipped+=("the PostgreSQL pass (no server at $PG_URL)")
  skipped+=("the conformance run on PostgreSQL (ran on SQLite instead)")
  conformance_db=sqlite
fi

# schemathesis against the app, every operation for five roles on a seeded world (tests/conformance):
# on PostgreSQL, the production database, whose rules (NUL bytes, integer ranges, the batched
# transfer route) SQLite does not have. Any finding fails the run.
if [[ -n "${conformance_db:-}" ]]; then
  echo "== conformance run (schemathesis) on ${conformance_db%%@*}"
  FINLIFE_TEST_DATABASE=$conformance_db $PY -m pytest -n 2 -m conformance -p no:randomly tests/conformance || status=1
fi

if [[ -x "$CHROMIUM" && ! -f node_modules/axe-core/axe.min.js ]]; then
  if in_ci; then
    echo "!! CI: axe-core is missing (npm ci --no-audit --no-fund; make test runs it)" >&2; status=1
  else
    skipped+=("the accessibility check (no node_modules/axe-core; npm ci --no-audit --no-fund)")
  fi
fi
if [[ -x "$CHROMIUM" ]]; then
  echo "== browser tests (Chromium at $CHROMIUM)"
  FINLIFE_TEST_DATABASE=sqlite FINLIFE_CHROMIUM=$CHROMIUM $PY -m pytest -m browser -p no:randomly "$@" || status=1
elif in_ci; then
  echo "!! CI: Chromium is required and missing at $CHROMIUM" >&2; status=1
else
  skipped+=("the browser tests (no Chromium at $CHROMIUM; apt-get install chromium)")
fi

if ((${#skipped[@]})); then
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
  for s in "${skipped[@]}"; do echo "!! SKIPPED: $s"; done
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n'
fi
exit $status
