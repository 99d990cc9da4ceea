# Målbild: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed

.PHONY: run test lint data install clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Build the sample dataset from the CSV files in sample/ with the same import users run.
data: $(STAMP)
	$(BIN)/python -m dashboard ingest sample --out data

## Install everything and open the dashboard on the sample data.
run: $(STAMP)
	$(BIN)/python -m streamlit run streamlit_app.py --server.port $(PORT)

## Install everything and run every test (lint, unit, app, browser, benchmark smoke).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache test-output
