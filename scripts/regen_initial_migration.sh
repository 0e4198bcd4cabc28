#!/usr/bin/env bash
# While the schema is young (before the first release), the initial migration is regenerated
# from the models instead of stacking revisions. After a release, add revisions normally.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
# Hand-written revisions after the core one (FTS5, GIN: what autogenerate cannot make) are set
# aside while the core is generated from the models, then put back on top of it.
mkdir "$tmp/later"
restore() { mv "$tmp"/later/*.py src/finlife/migrations/versions/ 2>/dev/null || true; rm -rf "$tmp"; }
trap restore EXIT
find src/finlife/migrations/versions -maxdepth 1 -name '*.py' ! -name '*_core_bank.py' -exec mv {} "$tmp/later/" \;
rm -f src/finlife/migrations/versions/*_core_bank.py
FINLIFE_DATABASE_URL="sqlite:///$tmp/empty.db" .venv/bin/alembic revision --autogenerate \
  --rev-id 0001_core_bank -m "core bank" >/dev/null
mv src/finlife/migrations/versions/*_core_bank.py src/finlife/migrations/versions/2026_11_30_0200_core_bank.py
.venv/bin/ruff format -q src/finlife/migrations
.venv/bin/ruff check -q --fix src/finlife/migrations || true
echo "src/finlife/migrations/versions/2026_11_30_0200_core_bank.py regenerated"
