# Tekseru: `make run` serves the app with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export TEKSERU_INSTANCE_PATH ?= $(CURDIR)/instance
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
DEPS_HASH := $(shell cat pyproject.toml | sha1sum | cut -c1-12)
RUN_STAMP := $(VENV)/.run-$(DEPS_HASH)
TEST_STAMP := $(VENV)/.test-$(DEPS_HASH)
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres lint system-deps node-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	rm -f $(VENV)/.run-*; touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	rm -f $(VENV)/.test-* $(VENV)/.run-*; touch $@ $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/tekseru db upgrade
	$(BIN)/tekseru demo
	$(BIN)/tekseru review demo
	@echo "Tekseru on http://127.0.0.1:5000 — demo accounts above, password: tekseru-demo"
	$(BIN)/tekseru run --host 127.0.0.1 --port 5000

system-deps:
	@bash scripts/install-system-deps.sh

node-deps:
	@bash scripts/install-node-deps.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check server tests scripts

test: $(TEST_STAMP) system-deps node-deps lint
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL$$DATABASE_URL" ] || $(BIN)/python scripts/pg_answers.py "$(PG_TEST_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	else echo "PostgreSQL not reachable: suite ran on SQLite only"; fi

test-sqlite: $(TEST_STAMP)
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL -u TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(TEST_STAMP)
	@echo "== test suite on PostgreSQL =="
	TEST_DATABASE_URL="$${TEST_DATABASE_URL:-$${DATABASE_URL:-$(PG_TEST_URL)}}" $(BIN)/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
