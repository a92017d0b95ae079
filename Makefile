# TwitchLog: `make run` to use it, `make test` to check it. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes: one per core by default (pytest-xdist); TEST_WORKERS=0 runs in this one.
TEST_WORKERS ?= auto

.PHONY: run test lint format e2e migrate demo benchmark clean audit loadtest loadtest-cluster lighthouse screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changed (the stamp is newer otherwise).
$(VENV)/.installed-run: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

migrate: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input

demo: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(PY) manage.py seed_demo

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The whole suite but the browser tests, which `make e2e` runs.
test: lint
	$(BIN)/pytest -m "not e2e" -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The browser suite: Playwright driving Debian's Chromium (/usr/bin/chromium).
e2e: $(VENV)/.installed-dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Speed with two years of dense data, on a throwaway database (PostgreSQL with
# DATABASE_URL). DEBUG=true only lets it start without a SECRET_KEY: it measures
# with DEBUG off. BENCHMARK_ARGS="--json bench.json" also writes the results.
benchmark: $(VENV)/.installed-dev
	DEBUG=$${DEBUG:-true} $(PY) manage.py benchmark $(BENCHMARK_ARGS)

# Known vulnerabilities in the pinned dependencies, from PyPI's advisory data: any
# vulnerability found fails. A pin the index cannot describe is listed as "could not be
# audited" (a mirror without PyPI's JSON API, for one); AUDIT_ARGS=--strict fails on that too.
audit: $(VENV)/.installed-dev
	$(BIN)/pip-audit --progress-spinner off $(AUDIT_ARGS) -r requirements.txt -r requirements-dev.txt

# Load and fault test: gunicorn (2 workers) on a throwaway PostgreSQL cluster, wrk on
# loopback; needs wrk and the PostgreSQL server. See scripts/loadtest.sh.
loadtest: $(VENV)/.installed-dev
	scripts/loadtest.sh

# The same load through nginx in front of two gunicorn app servers sharing a throwaway
# PostgreSQL and Redis; one app server is killed mid-run and started again, and sign-in
# lock-outs must hold across both. Needs nginx-light, redis-server, wrk and the
# PostgreSQL server. See scripts/loadtest_cluster.sh.
loadtest-cluster: $(VENV)/.installed-dev
	scripts/loadtest_cluster.sh

# Lighthouse (mobile) on /, /log/ and /trends/ served by gunicorn; needs `npm ci`.
lighthouse: $(VENV)/.installed-dev
	scripts/lighthouse.sh

# A PNG of every page and state, 390 and 1280 wide, in ./screenshots (SCREENSHOTS_OUT), from
# a throwaway database with the demo journal; needs Debian's Chromium. Look at every one.
screenshots: $(VENV)/.installed-dev
	$(PY) scripts/screenshots.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
