# Platoo: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/platoo

.PHONY: install pdf-libs run serve test test-sqlite test-postgres lint browser messages bench clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: pdf-libs $(BIN)/.installed

# The system libraries WeasyPrint renders PDFs with (Pango, HarfBuzz and fontconfig: they shape Thai),
# and poppler's tools (pdftoppm, pdffonts) to look at what it made; from Debian, like chromium below.
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz.so.0 libharfbuzz-subset.so.0 libfontconfig.so.1
pdf-libs:
	@missing=$$(for lib in $(PDF_LIBS); do /sbin/ldconfig -p | grep -q "$$lib" || echo "$$lib"; done); \
	[ -z "$$missing" ] && command -v pdftoppm >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 poppler-utils >/dev/null; }

# Development server with the demo network loaded (idempotent: existing data is kept), and beside it the
# background worker that builds manuals' PDFs and sends emails, so no page waits for them.
run: install
	$(BIN)/python manage.py migrate --noinput
	TASK_BACKEND=database $(BIN)/python manage.py load_demo
	TASK_BACKEND=database $(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true TASK_BACKEND=database $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production-style server (gunicorn, collected static files) on the same database.
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn platoo.wsgi --bind 127.0.0.1:$(PORT) --workers 2 --threads 4

# Debian's chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Thai catalogues: new messages are added (fill in every empty msgstr), then all are compiled.
APPS := accounts activity network knowledge communities events search netmap
messages: install
	for app in $(APPS); do (cd platoo/$$app && ../../$(BIN)/django-admin makemessages -l th --no-obsolete); done
	cd platoo && ../$(BIN)/django-admin makemessages -l th --no-obsolete $(foreach app,$(APPS),--ignore=$(app)/*) --ignore=tests/*
	for po in $$(find platoo -name django.po -path '*/th/*'); do msgfmt --check-format -o $${po%.po}.mo $$po; done

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run >/dev/null
	$(BIN)/mypy

test-sqlite: install browser
	$(BIN)/pytest

test-postgres: install browser
	DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest

test: lint test-sqlite test-postgres

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
