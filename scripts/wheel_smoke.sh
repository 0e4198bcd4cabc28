#!/usr/bin/env bash
# The wheel as an operator gets it: built from this checkout, installed in a clean venv WITHOUT the
# dev extra, then every module imported, the schema migrated and the server asked for /readyz and /healthz.
# Fails on any runtime import that only the dev extra (or this machine) happens to provide.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== wheel smoke test: build"
# setuptools copies a source into build/lib only when it is newer than the copy there: start clean.
rm -rf build
$PYTHON -m pip wheel --quiet --no-deps --wheel-dir "$work/dist" . 2>"$work/build.log" || {
  cat "$work/build.log" >&2; exit 1
}
# A warning while building (the project table, package data) is a defect too; pip's own notes on
# this machine's unused find-links folders are not the project's.
if grep -i "warning" "$work/build.log" | grep -v "Location 'file:"; then echo "!! the build warned" >&2; exit 1; fi

echo "== wheel smoke test: install without extras in a clean venv"
$PYTHON -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet "$work"/dist/finlife-*.whl

# Run from an empty folder so that nothing of the checkout (src/, .env) is on the path.
cd "$work"
export FINLIFE_DATABASE_URL="sqlite:///$work/smoke.db" FINLIFE_ADMIN_PASSWORD=smoke-test-password
echo "== wheel smoke test: import every module"
"$work/venv/bin/python" - <<'PYEOF'
import importlib, pkgutil, finlife
names = [m.name for m in pkgutil.walk_packages(finlife.__path__, "finlife.")]
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules from {finlife.__path__[0]}")
PYEOF

echo "== wheel smoke test: migrate and serve"
"$work/venv/bin/finlife" db upgrade
port=$("$work/venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/venv/bin/finlife" serve --port "$port" >"$work/serve.log" 2>&1 &
server=$!
# /healthz answers as soon as the worker listens ("starting" while it loads the app); /readyz only
# once the app is loaded and the schema checked: wait for that, then /healthz must say ok.
for _ in $(seq 1 120); do
  if ready=$(curl -fsS "http://127.0.0.1:$port/readyz" 2>/dev/null); then
    echo "readyz: $ready"
    body=$(curl -fsS "http://127.0.0.1:$port/healthz") || { echo "!! /healthz did not answer" >&2; exit 1; }
    echo "healthz: $body"
    grep -q '"ok"' <<<"$body" || { echo "!! /healthz answered without ok" >&2; exit 1; }
    echo "== wheel smoke test passed"
    exit 0
  fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
echo "!! the installed server did not become ready (/readyz)" >&2
cat "$work/serve.log" >&2
exit 1
