# Two commands on a fresh Debian/Ubuntu machine with Python 3.11:
#   make serve   build and serve the site on http://127.0.0.1:8000
#   make test    run the whole test suite
# and `make offline`: the offline copy for training rooms (build/faasst-handbook-offline.zip).
# Each installs what it needs (pinned) into .venv/ (and node_modules/ for the browser checks).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000
# Material prints an end-of-life notice on every build; README "Dependencies" says what it means.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build offline test validate schema checklists bench clean help

help:
	@echo "make serve | make test | make build | make offline | make validate | make schema | make checklists | make bench | make clean"

# --- environments (rebuilt when the pins change) ---------------------------------------
$(BIN)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

$(BIN)/.installed-test: $(BIN)/.installed requirements-test.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# --- the two commands -------------------------------------------------------------------
serve: $(BIN)/.installed
	$(BIN)/mkdocs serve --dirty --dev-addr $(ADDR)

test: $(BIN)/.installed-test node_modules/.installed
	$(BIN)/python -m pytest

# --- the others -------------------------------------------------------------------------
build: $(BIN)/.installed
	$(BIN)/handbook build

# The site as a zip that works when opened from disk (publish/offline.py); not part of
# `make build`, which stays as fast as it was.
offline: $(BIN)/.installed
	$(BIN)/handbook offline

validate: $(BIN)/.installed
	$(BIN)/handbook validate

schema: $(BIN)/.installed
	$(BIN)/handbook schema

checklists: $(BIN)/.installed
	$(BIN)/handbook checklists

# Build times, page weights and search data against a stock baseline (about 10 minutes).
bench: $(BIN)/.installed
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf site docs/handbook .pytest_cache
