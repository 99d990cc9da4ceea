# Målbild: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test lint data install clean bench debian-for-run debian-for-test

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
##
## The environment is made without pip of its own (`--without-pip`: copying pip into it took
## 2.6 s of a fresh clone's install) and the Python's own pip puts uv in it; where that Python
## has no pip (a Debian python3 without python3-pip), pip is made in the environment first.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(BIN)/python install --quiet --no-compile uv \
	  || { $(BIN)/python -m ensurepip --default-pip >/dev/null \
	       && $(BIN)/python -m pip install --quiet --no-compile uv; }
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]' \
	  || { $(BIN)/python -m ensurepip --default-pip >/dev/null; \
	       $(BIN)/python -m pip install --quiet --no-compile -e '.[dev]'; }
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
	-@$(MAKE) --no-print-directory debian-for-run
	$(BIN)/python -m streamlit run streamlit_app.py --server.port $(PORT)

## Debian's packages, each as PACKAGE:PATH, the path (a glob may stand in it) showing it is there.
## The report: its charts drawn in chromium-headless-shell, its text set in DejaVu Sans (every
## letter of Swedish, Danish and English; `board.DEBIAN_PACKAGES`).
FOR_RUN := chromium-headless-shell:/usr/bin/chromium-headless-shell \
  fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
## The tests: the same Blink without the desktop browser drives the browser tests (a quarter
## less CPU a page than chromium); Debian's chromium, a person's browser, draws the pages in
## the floor benchmark; HAProxy is the load balancer the deployment test runs
## deploy/haproxy.cfg with; PostgreSQL the shared catalog the several-machines test
## (tests/test_store.py) starts a cluster of; poppler's pdftoppm draws the report's PDF pages.
FOR_TEST := $(FOR_RUN) chromium:/usr/bin/chromium haproxy:/usr/sbin/haproxy \
  'postgresql:/usr/lib/postgresql/*/bin/initdb' poppler-utils:/usr/bin/pdftoppm

## $(call debian,NEEDS,WHY): install every package of NEEDS whose path is missing, all in one
## apt-get (as root, or through sudo); else say WHY they are needed and fail. One apt-get for
## all of them: on a fresh machine 28 s instead of 44 s for one each (2026-12-07).
debian = @missing=""; for need in $(1); do \
	  ls -d $${need\#*:} >/dev/null 2>&1 || missing="$$missing $${need%%:*}"; done; \
	test -z "$$missing" || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo apt-get install -y -qq $$missing >/dev/null; \
	  else echo "$(2): apt-get install$$missing" >&2; exit 1; fi; }

debian-for-run:
	$(call debian,$(FOR_RUN),the annual report draws its charts and sets its text with)

debian-for-test:
	$(call debian,$(FOR_TEST),the tests need)

## Install everything and run every test (lint, unit, app, browser, benchmark smoke).
## The type check runs beside the tests, not before them, at a lower priority: a fresh clone's
## mypy takes ~4.5 CPU s (12 s before it skipped libraries' insides, pyproject.toml), given
## to it when a test waits (the run fails if either fails).
## Three workers on two cores: the browser lane waits on its server and Chromium between
## steps, and a third worker takes those waits (tests/lanes.py; 405-411 s -> 351 s, 2026-12-07).
test:
	@$(MAKE) --no-print-directory -j2 $(STAMP) debian-for-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@nice -n 10 $(BIN)/python -m mypy > $(VENV)/mypy.log 2>&1 & types=$$!; \
	$(BIN)/python -m pytest -n 3 --dist loadfile --no-loadscope-reorder --durations=15; \
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
