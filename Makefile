# Unknot: two commands on a fresh machine.
#   make run   - set up and start Unknot
#   make test  - set up and run every check (lint, types, tests)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test setup lint bench clean

$(BIN)/unknot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/unknot

setup: $(BIN)/unknot

run: setup
	$(BIN)/unknot assess

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench_assess.py
	$(BIN)/python benchmarks/bench_intake.py
	$(BIN)/python benchmarks/bench_diary.py

clean:
	rm -rf $(VENV) build *.egg-info
