# TwitchLog: `make run` to use it, `make test` to check it. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format e2e migrate demo benchmark clean

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
	$(BIN)/pytest -m "not e2e" $(PYTEST_ARGS)

# The browser suite: Playwright driving Debian's Chromium (/usr/bin/chromium).
e2e: $(VENV)/.installed-dev
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e $(PYTEST_ARGS)

benchmark: $(VENV)/.installed-dev
	$(PY) manage.py benchmark

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
