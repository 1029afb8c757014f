# Everything a newcomer needs: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The demo's books are rebuilt on every run, so they live in a hidden folder of their own:
# the books the README invites you to edit (my-books) are never touched by `make demo`.
DEMO   := .demo-books

.PHONY: demo test test-fast lint tools bench schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## demo: set up, build sample books in ./.demo-books (rebuilt each run), show balances, aging, customers, letters due, check
# The demo's "today" is pinned to the sample history's last day, so its figures are the same on any date.
demo: export LEDGERCTL_TODAY ?= 2026-11-23
demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/ledgerctl init $(DEMO) --sample
	$(BIN)/ledgerctl --help >/dev/null
	cd $(DEMO) && ../$(BIN)/ledgerctl balance
	cd $(DEMO) && ../$(BIN)/ledgerctl aging
	cd $(DEMO) && ../$(BIN)/ledgerctl customer list
	cd $(DEMO) && ../$(BIN)/ledgerctl remind
	cd $(DEMO) && ../$(BIN)/ledgerctl check

## tools: the real programs the tests check against (hledger, ledger-cli, Chromium, pdftotext), from apt as root
TOOLS := hledger ledger chromium pdftotext
tools:
	@missing=""; for t in $(TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing$$missing (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    hledger ledger chromium poppler-utils fonts-noto-cjk >/dev/null; \
	else \
	  echo "not installed:$$missing: the tests that need them are skipped here (CI=true makes them fail)"; \
	fi

## lint: ruff (lint and format check) and mypy (strict for core/ and store/), as configured in pyproject.toml
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

## test: set up, lint, and run the whole suite
test: $(STAMP) tools lint
	$(BIN)/python -m pytest -q -n auto

## test-fast: the pure rule tests only (no git, no files; marked `fast`, see tests/conftest.py): seconds, not minutes
FAST_DIRS := tests/core tests/dunning tests/segments
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m fast $(FAST_DIRS)

## bench: the performance benchmark of docs/performance.md (installs hledger/ledger first if apt can)
bench: $(STAMP)
	-command -v hledger >/dev/null || (apt-get update -qq && apt-get install -y -qq hledger ledger) || true
	$(BIN)/python benchmarks/run.py --sizes 100k,1m --repeat 3

## schemas: regenerate schemas/ from the models
schemas: $(STAMP)
	$(BIN)/ledgerctl schema --out schemas

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .hypothesis
