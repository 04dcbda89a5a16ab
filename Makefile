# Unknot: two commands on a fresh machine.
#   make run   - set up and start Unknot
#   make test  - set up and run every check (lint, types, tests)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test setup lint bench clean chromium wrk screenshots

$(BIN)/unknot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/unknot

setup: $(BIN)/unknot

run: setup
	$(BIN)/unknot web

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

# The browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# The web benchmark's load generator (Debian's wrk).
wrk:
	@command -v wrk >/dev/null 2>&1 || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk)

test: setup lint chromium
	$(BIN)/pytest

# Every figure of the speed work, each with its target and its ratio, in one run:
# start-up, engine and diary; free-text reading; the server under wrk (loopback).
bench: setup wrk
	$(BIN)/python benchmarks/bench_speed.py
	$(BIN)/python benchmarks/bench_intake.py
	$(BIN)/python benchmarks/bench_web.py

screenshots: setup chromium
	$(BIN)/python scripts/take_screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
