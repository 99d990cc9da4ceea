# Målbild: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test lint data install clean bench chromium headless-shell fonts haproxy postgresql pdftools

## --no-compile: pip compiles no package's bytecode up front (36 s -> 25 s in a fresh clone);
## Python compiles what it imports, once, and keeps it (__pycache__, git-ignored). A machine
## that sets PYTHONDONTWRITEBYTECODE (this one does; many container images do) would have
## every process compile every module it imports again: the suite starts Python processes
## by the dozen (its workers, the app's servers, the command line, the benchmarks' runs),
## and a run took 877 busy core-seconds keeping the bytecode against 937-1094 compiling it
## (2026-12-06).
unexport PYTHONDONTWRITEBYTECODE

## uv installs the packages (pip's resolver and its one download at a time took ~15 s of a
## fresh clone's 22 s install; uv ~5 s, the same versions: checked with `pip freeze`,
## 2026-12-07). It is installed by pip into the environment itself, so nothing is needed
## beforehand; where uv cannot reach the index pip can (a pip.conf naming a mirror, which
## uv does not read: give it UV_INDEX_URL), pip installs instead, as before.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]' \
	  || $(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Build the sample dataset from the CSV files in sample/ with the same import users run.
data: $(STAMP)
	$(BIN)/python -m dashboard ingest sample --out data

## Install everything and open the dashboard on the sample data. The annual report's charts
## are drawn in Debian's chromium-headless-shell and its text set in DejaVu Sans: installed
## here when missing and we may (else the dashboard still opens, and the report says each
## chart in words; `board.DEBIAN_PACKAGES`).
run: $(STAMP)
	-@$(MAKE) --no-print-directory headless-shell fonts
	$(BIN)/python -m streamlit run streamlit_app.py --server.port $(PORT)

# $(call debian,PACKAGE,PROGRAM,WHY): install Debian's PACKAGE when PROGRAM is missing and we
# may (as root, or through sudo); else say WHY it is needed and fail.
debian = @command -v $(2) >/dev/null 2>&1 || test -x /usr/bin/$(2) || test -x /usr/sbin/$(2) || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo apt-get install -y -qq $(1) >/dev/null; \
	  else echo "$(3): apt-get install $(1)" >&2; exit 1; fi; }

## Debian's chromium, a person's browser: the floor benchmark draws the pages in it.
chromium:
	$(call debian,chromium,chromium,the floor benchmark needs Debian's chromium)

## Debian's chromium-headless-shell (the same Blink as its chromium, without the desktop
## browser: a quarter less CPU a page) drives the browser tests and draws the report's charts.
headless-shell:
	$(call debian,chromium-headless-shell,chromium-headless-shell,the browser tests need Debian's chromium-headless-shell)

## Debian's HAProxy is the load balancer the deployment test runs deploy/haproxy.cfg with.
haproxy:
	$(call debian,haproxy,haproxy,the deployment test needs Debian's haproxy)

## Debian's PostgreSQL is the shared catalog the several-machines test (tests/test_store.py)
## starts a cluster of on a free port; installed here when missing and we may.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo apt-get install -y -qq postgresql >/dev/null; \
	  else echo "the shared-catalog test needs Debian's PostgreSQL: apt-get install postgresql" >&2; exit 1; fi; }

## The report tests draw the PDF's pages with poppler's pdftoppm; the report is set in
## DejaVu Sans (fonts-dejavu-core: every letter of Swedish and Danish).
pdftools: fonts
	$(call debian,poppler-utils,pdftoppm,the report tests draw PDF pages with pdftoppm)

## DejaVu Sans, the report's font (every letter of Swedish, Danish and English).
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    sudo apt-get install -y -qq fonts-dejavu-core >/dev/null; \
	  else echo "the report needs DejaVu Sans: apt-get install fonts-dejavu-core" >&2; exit 1; fi; }

## Install everything and run every test (lint, unit, app, browser, benchmark smoke).
## The type check runs beside the tests, not before them, at a lower priority: a fresh clone's
## mypy takes ~14 CPU s, given to it when a test waits (the run fails if either fails).
test: $(STAMP) chromium headless-shell haproxy postgresql pdftools
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@nice -n 10 $(BIN)/python -m mypy > $(VENV)/mypy.log 2>&1 & types=$$!; \
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --durations=15; \
	tests=$$?; wait $$types; typed=$$?; \
	echo "mypy: $$(tail -n 1 $(VENV)/mypy.log)"; \
	if [ $$typed -ne 0 ]; then cat $(VENV)/mypy.log; fi; \
	exit $$(( tests != 0 || typed != 0 ))

## Style, format and types: Ruff, then mypy over the package (settings in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
