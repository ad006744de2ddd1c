# Petit Talk — `make demo` runs the site with demo data; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEBUG ?= 1
PG_BIN := /usr/lib/postgresql/15/bin
VENDOR := petittalk/core/static/vendor
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# `make test` runs the suite on this many pytest-xdist workers: one per core, at most 4 (each
# worker has its own test database, live server and Chromium, and PostgreSQL needs a core too).
# TEST_WORKERS=0 runs it in one process; PYTEST_ARGS come last, so `-n`/`--dist` there win too.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 4 ] && n=4; [ $$n -lt 2 ] && n=0; echo $$n)
# worksteal: an idle worker takes queued tests from a busy one, so a few long tests (the booking
# races, the SQLite demo check, the browser journeys) do not leave one worker idle at the end.
TEST_DIST ?= worksteal

.PHONY: help install install-dev assets demo serve test lint format bench bench-deps system-deps clean

help:
	@echo "make demo   - install, migrate, load demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install what tests need (PostgreSQL, Redis, Chromium, khal) and run the whole suite"
	@echo "              in parallel (TEST_WORKERS=$(TEST_WORKERS); PYTEST_ARGS=... to pass pytest options)"
	@echo "make lint   - ruff, migrations check, Django system check"
	@echo "make bench  - run the benchmarks in bench/"

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Front-end files come from npm (package-lock.json pins them) and are served by WhiteNoise.
$(VENDOR)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)/fonts
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/@fontsource-variable/inter/files/inter-latin-wght-normal.woff2 \
	   node_modules/@fontsource-variable/inter/files/inter-latin-ext-wght-normal.woff2 \
	   node_modules/@fontsource-variable/fraunces/files/fraunces-latin-wght-normal.woff2 \
	   node_modules/@fontsource-variable/fraunces/files/fraunces-latin-wght-italic.woff2 $(VENDOR)/fonts/
	touch $@

assets: $(VENDOR)/.built

demo: install assets
	PY=$(PY) PORT=$(PORT) DEBUG=$(DEBUG) scripts/demo.sh

# PostgreSQL 15, Redis, Chromium and khal (a calendar client the invitation tests import into)
# from Debian packages, only when missing.
system-deps:
	@need=""; \
	  [ -x $(PG_BIN)/initdb ] || need="$$need postgresql-15"; \
	  command -v redis-server >/dev/null || need="$$need redis-server"; \
	  command -v chromium >/dev/null || need="$$need chromium"; \
	  command -v khal >/dev/null || need="$$need khal"; \
	  if [ -n "$$need" ]; then \
	    echo "Installing:$$need"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$need >/dev/null; \
	  fi

test: install-dev assets system-deps
	$(PY) -m pytest -n $(TEST_WORKERS) --dist $(TEST_DIST) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DEBUG=1 $(PY) manage.py check

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The page benchmark's load generator and cache server, only when missing.
bench-deps:
	@need=""; \
	  command -v wrk >/dev/null || need="$$need wrk"; \
	  command -v redis-server >/dev/null || need="$$need redis-server"; \
	  if [ -n "$$need" ]; then \
	    echo "Installing:$$need"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$need >/dev/null; \
	  fi

bench: install-dev assets system-deps bench-deps
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles .pytest_cache test-artifacts
