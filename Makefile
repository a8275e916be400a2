# Async in Action: two commands matter, `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: install install-postgres services test-scale run test check lint typecheck migrations-check browser ci bench screenshots clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# collectstatic: hashed names with gzip and brotli copies, for ServeStatic (course/static_files.py).
# Redone only when a file under static/ or the installed packages changed.
MANIFEST := staticfiles/staticfiles.json

static: $(MANIFEST)

$(MANIFEST): $(VENV)/.installed $(shell find static -type f)
	$(BIN)/python manage.py collectstatic --noinput -v 0
	touch $@

# Daphne's default listen backlog is 50: a burst of new connections overflows it and the
# kernel drops SYNs, which clients retry after 1 s, 3 s, 7 s... Hence the explicit backlog.
# manage.py makes the checkout's local secret key (.secret_key) on first use; Daphne gets the
# same one unless DJANGO_SECRET_KEY is set.
run: install static
	$(BIN)/python manage.py migrate --noinput
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret_key)}"; \
	exec $(BIN)/python -m course.serve -e tcp:port=$(PORT):interface=$(HOST):backlog=4096 course.asgi:application

# What the browser tests need from Debian: Chromium (Playwright never downloads a browser)
# and npm, for axe-core. Installed here when missing and running as root, as CI does.
browser:
	@missing=""; test -x $(CHROMIUM) || missing="chromium"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "The browser tests need Debian packages: sudo apt-get install -y $$missing"; exit 1; fi; \
	fi

# axe-core (the accessibility audit the browser tests inject) comes from the npm registry,
# pinned in frontend/package-lock.json; it is never served by the site.
AXE := frontend/node_modules/axe-core/axe.min.js

$(AXE): frontend/package-lock.json | browser
	cd frontend && npm ci --no-audit --no-fund
	test -s $@ && touch $@

test: install static browser $(AXE)
	$(BIN)/python -m pytest

# The same suite on PostgreSQL and Redis, the layout for more than one server process.
# .ci/services installs (as root, from Debian) and starts both and makes the database.
SCALE_DATABASE_URL ?= postgres://course:course@127.0.0.1:5432/course
SCALE_REDIS_URL ?= redis://127.0.0.1:6379/0

install-postgres: $(VENV)/.installed-postgres

$(VENV)/.installed-postgres: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $@

services:
	.ci/services

test-scale: install-postgres static services browser $(AXE)
	DATABASE_URL=$(SCALE_DATABASE_URL) REDIS_URL=$(SCALE_REDIS_URL) $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	DJANGO_DEBUG=1 $(BIN)/mypy .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

check: lint typecheck migrations-check
	$(BIN)/python manage.py validate_lessons

ci: check test test-scale

bench: install static
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
