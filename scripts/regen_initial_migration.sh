#!/usr/bin/env bash
# While the schema is young (before the first release), the initial migration is regenerated
# from the models instead of stacking revisions. After a release, add revisions normally.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f migrations/versions/*_core_bank.py
FINLIFE_DATABASE_URL="sqlite:///$tmp/empty.db" .venv/bin/alembic revision --autogenerate \
  --rev-id 0001_core_bank -m "core bank" >/dev/null
mv migrations/versions/*_core_bank.py migrations/versions/2026_11_30_0200_core_bank.py
.venv/bin/ruff format -q migrations
.venv/bin/ruff check -q --fix migrations || true
rm -rf "$tmp"
echo "migrations/versions/2026_11_30_0200_core_bank.py regenerated"
