# finlife — the two set-up commands are `make run` and `make test`; both work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Front-end packages the tests use (axe-core for the accessibility check), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

.PHONY: run test lint fmt bench bench-transfers bench-posting-cpu bench-checkout bench-discovery bench-flash-claim bench-interbank bench-startup bench-events demo migrate smoke clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

run: $(STAMP)
	$(VENV)/bin/finlife db upgrade
	$(VENV)/bin/finlife demo --if-empty
	FINLIFE_DEMO_TOOLS=true $(VENV)/bin/finlife serve

test: $(STAMP) $(NODE_STAMP)
	bash scripts/test.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench examples
	$(VENV)/bin/ruff format --check src tests bench examples
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

fmt: $(STAMP)
	$(VENV)/bin/ruff format src tests bench examples
	$(VENV)/bin/ruff check --fix src tests bench examples

bench: bench-transfers bench-checkout bench-discovery bench-flash-claim

bench-transfers: $(STAMP)
	$(PY) bench/transfers.py

# As an operator would measure it: wrk (Debian: wrk), one worker per core, 200 accounts.
.PHONY: bench-transfers-wrk
bench-transfers-wrk: $(STAMP)
	$(PY) bench/transfers_wrk.py

bench-startup: $(STAMP)
	$(PY) bench/startup.py

bench-posting-cpu: $(STAMP)
	$(PY) bench/posting_cpu.py

# SIGKILLs finlife serve under load and checks the ledger afterwards (docs/crash-test.md).
.PHONY: bench-crash
bench-crash: $(STAMP)
	$(PY) bench/crash.py

bench-checkout: $(STAMP)
	$(PY) bench/checkout.py

bench-discovery: $(STAMP)
	$(PY) bench/discovery.py

bench-flash-claim: $(STAMP)
	$(PY) bench/flash_claim.py

bench-interbank: $(STAMP)
	$(PY) bench/interbank.py

# The event stream: commit -> relay -> JetStream -> a partner's receiver, and the relay alone (NATS).
bench-events: $(STAMP)
	$(PY) bench/events.py

smoke:
	bash scripts/wheel_smoke.sh

demo: $(STAMP)
	$(VENV)/bin/finlife db upgrade
	$(VENV)/bin/finlife demo

migrate: $(STAMP)
	$(VENV)/bin/finlife db upgrade

clean:
	rm -rf $(VENV) var node_modules .pytest_cache .mypy_cache .ruff_cache
