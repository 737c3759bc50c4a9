# Two commands matter: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never

.PHONY: static-vendor run test install install-dev lint format check messages migrate demo e2e-deps audit-deps audit fuzz contract bench bench-search race-servers clean

# The stamp files make a second `make run` start at once, and redo the install
# only when the lock files change. --compile-bytecode: the packages are compiled
# once here, so every later process (a test run, each server worker) starts from
# bytecode even where PYTHONDONTWRITEBYTECODE is set, as on CI machines:
# `django.setup()` with the API imported takes 1.0 s instead of 2.6 s.
$(VENV)/.base-installed: requirements/base.txt
	test -x $(PY) || $$(scripts/find-python) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv==0.13.8
	VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip install -q --compile-bytecode --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.base-installed requirements/dev.txt
	VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip install -q --compile-bytecode --require-hashes -r requirements/dev.txt
	touch $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

messages: install
	@command -v msgfmt >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; }
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: messages
	$(MANAGE) migrate --noinput -v1

demo: migrate
	$(MANAGE) load_demo

run: demo static-vendor
	$(MANAGE) runserver $(HOST):$(PORT)

# Browser code the site serves itself, copied from npm (package-lock.json) at
# build time so nothing is loaded from another host at run time: jsQR, the
# desks' QR decoder (Apache-2.0, its LICENSE beside it).
static/vendor/jsqr/jsQR.js: package-lock.json
	@test -f node_modules/jsqr/dist/jsQR.js || npm ci --silent --no-audit --no-fund
	mkdir -p static/vendor/jsqr
	cp node_modules/jsqr/dist/jsQR.js node_modules/jsqr/LICENSE static/vendor/jsqr/
	touch $@

static-vendor: static/vendor/jsqr/jsQR.js

# Debian's chromium for the real-browser tests (Playwright's own download
# cannot work here), axe-core from npm for the accessibility checks, and
# zbar's zbarimg, the decoder that reads back every QR code the pages show.
e2e-deps:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@fc-list :lang=zh 2>/dev/null | grep -q . || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }
	@command -v zbarimg >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools >/dev/null; }
	@test node_modules/.package-lock.json -nt package-lock.json || npm ci --silent --no-audit --no-fund

# The page audit's tools: Java for the Nu HTML checker (npm vnu-jar ships the
# jar, not a JVM), Lighthouse from npm; both drive or check what e2e-deps installs.
audit-deps: e2e-deps
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@test -f node_modules/vnu-jar/build/dist/vnu.jar -a -f node_modules/lighthouse/cli/index.js || npm ci --silent --no-audit --no-fund

# ruff, the layers of the import contract (pyproject.toml [tool.importlinter]) and
# mypy with django-stubs and djangorestframework-stubs ([tool.mypy]).
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy accounts core organizations cooperation marketplace tours resellers portal config

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install-dev messages
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check

test: install-dev messages e2e-deps static-vendor lint check
	$(VENV)/bin/pytest $(PYTEST_ARGS)

fuzz: install-dev messages
	$(PY) scripts/fuzz_api.py

# The schema under strict tools and generated clients (scripts/api_contract.py).
contract: install-dev messages e2e-deps
	$(PY) scripts/api_contract.py

# Every public page in three languages through the Nu HTML checker (0 errors)
# and Lighthouse on four pages, mobile and desktop (>= 98 in every category):
# scripts/page_audit.py. Reports under artifacts/audit/.
audit: install-dev messages audit-deps
	$(PY) scripts/page_audit.py

race-servers: install-dev messages
	$(PY) scripts/race_servers.py

bench: install-dev messages
	$(PY) scripts/bench.py

# The site search over 10,000 products (scripts/bench_search.py): on PostgreSQL
# when it answers (with the trigram index), else SQLite; medians of N runs.
bench-search: install-dev messages
	if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then \
	  DATABASE_URL=postgres://postgres@127.0.0.1:5432/dh_bench_search $(PY) scripts/bench_search.py; \
	else $(PY) scripts/bench_search.py; fi

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache artifacts
