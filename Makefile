# Taavon: `make demo` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export TAAVON_DATA_DIR ?= $(CURDIR)/var

.PHONY: install demo serve test test-pg lint bench loadtest clean browser fuzz messages

install: $(STAMP)

$(STAMP): pyproject.toml requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Debian's chromium for the browser tests (Playwright drives it; no browser download is possible here), GNU
# gettext, which extracts the messages (`make messages`, and the catalogue's test), and Pango (WeasyPrint's PDFs)
# with poppler-utils (pdftoppm: the summons letter rendered to PNG in its test).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing: browser tests will be skipped (install Debian's chromium as root)."; fi
	@if command -v xgettext >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing GNU gettext for the message catalogue..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	else echo "GNU gettext is missing: the catalogue's extraction test will be skipped."; fi
	@if command -v pdftoppm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Pango (WeasyPrint's PDFs) and poppler-utils (the PDFs rendered to PNG in the tests)..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	else echo "poppler-utils (pdftoppm) is missing: the PDFs' rendering tests will be skipped."; fi

# the message catalogue from the code (English source strings; Persian in src/taavon/locale/fa), compiled
messages: install
	$(BIN)/taavon messages

demo: install
	$(BIN)/taavon migrate --noinput
	$(BIN)/taavon demo
	$(BIN)/taavon serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/taavon serve --host $(HOST) --port $(PORT)

# the suite in parallel, one worker per core (a module's tests on one worker: module fixtures load once)
PYTEST := $(BIN)/python -m pytest -n auto --dist loadscope

test: install browser
	$(PYTEST)

test-pg: install browser
	TAAVON_DATABASE_URL=$${TAAVON_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/taavon_test} $(PYTEST)

# the layer contract (nothing imports upward), lint and format: CI runs this before the suite
lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# the whole hostile-input corpus over every form, filter, API parameter and import kind (the suite runs a sample)
fuzz: install
	TAAVON_FUZZ=all $(BIN)/python -m pytest tests/core/test_hostile_inputs.py -s -p no:cacheprovider

# the national-scale suite at a small scale (2,000 cooperatives, SQLite; JSON in bench/results/), then the imports
# benchmark; the full runs by hand, in the background: `taavon bench --scale 10k|100k|1m --db sqlite|postgres`
bench: install
	$(BIN)/taavon bench --scale $(or $(SCALE),2000) --db sqlite --reps 3 --cards 20 --http-seconds 5
	$(BIN)/python bench/import_cooperatives.py

# the staff pages under 64 concurrent clients for 60 s per URL, against `taavon serve` on a temporary database (the
# demo, and one cooperative with 500 changes of history); a benchmark, not a test: CLIENTS=, DURATION= to change
loadtest: install
	$(BIN)/python bench/loadtest.py --clients $(or $(CLIENTS),64) --duration $(or $(DURATION),60)

clean:
	rm -rf $(VENV) var .pytest_cache
