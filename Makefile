# The README's two commands: `make run` and `make test`. Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2
# The suite runs on two processes (pytest-xdist), a test file per process at a time; each
# process gets its own database. PYTEST_ARGS="-p no:xdist tests/web" runs a part serially.
PYTEST_ARGS ?= -n 2 --dist loadfile
# Two installs: what the app needs to run (make run), and that plus the test and security
# tools (make test). The dev install also satisfies the runtime one, so it touches both stamps.
STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
VENDOR := static/vendor/chart.umd.js
# prometheus-client's multiprocess mode: each gunicorn worker writes its metrics here, and a
# scrape adds them up. Emptied at every start, so counters begin again at zero.
METRICS_DIR := $(CURDIR)/instance/prometheus

export FLASK_APP := coach

.PHONY: run test security install install-dev vendor migrate seed serve lint clean

run: install vendor migrate seed serve ## install, migrate, seed the demo, serve on 127.0.0.1:$(PORT)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $(STAMP)

$(DEV_STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP) $(DEV_STAMP)

install: $(STAMP) ## the app and the PostgreSQL driver, nothing else

install-dev: $(DEV_STAMP) ## install plus the test, lint and security tools

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR): node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/chart.js/dist/chart.umd.js $(VENDOR)

vendor: $(VENDOR)

migrate: install
	$(BIN)/flask db upgrade

seed: install ## the demo, only into the embedded SQLite database unless COACH_DEMO=1
	$(BIN)/flask seed-demo --auto

serve: export PROMETHEUS_MULTIPROC_DIR ?= $(METRICS_DIR)
serve: install
	(umask 077; mkdir -p "$$PROMETHEUS_MULTIPROC_DIR") && rm -f "$$PROMETHEUS_MULTIPROC_DIR"/*.db
	@echo "coach is serving on http://127.0.0.1:$(PORT) (Ctrl-C stops it)"
	$(BIN)/gunicorn --config python:coach.gunicorn_conf --workers $(WORKERS) --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

test: install-dev vendor ## the whole suite, unit to browser
	bash scripts/test-setup.sh
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MAKE) security
	$(BIN)/pytest $(PYTEST_ARGS)

security: install-dev vendor ## bandit and semgrep (local rules, offline), then wapiti3 against the app on 127.0.0.1
	$(BIN)/bandit -r coach -ll -q
	$(BIN)/semgrep scan --config .semgrep/coach.yml --metrics=off --disable-version-check --error --quiet coach templates
	@echo "Findings silenced in the code, each with its reason:"; grep -rnE -B1 --include="*.py" --include="*.html" "nosec|nosemgrep" coach templates || echo "  none"
	bash scripts/dynamic-scan.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean: ## also what `pip wheel .` and `python -m build` leave behind
	rm -rf $(VENV) node_modules static/vendor .pytest_cache .hypothesis build dist *.egg-info *.whl
