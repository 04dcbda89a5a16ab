# Unknot: two commands on a fresh machine (needs only python3 and make).
#   make run   - set up and start Unknot
#   make test  - set up and run every check (lint, types, audit, tests)
# Installs are reproducible: exactly the versions and hashes in requirements.lock,
# installed by uv (itself bootstrapped from pip inside the virtualenv).
#   make lock  - re-resolve requirements.lock after changing pyproject.toml
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
UV     := $(BIN)/uv
UV_VERSION := 0.13.9
LOCK_ARGS  := -c constraints.txt --extra dev --universal --python-version 3.11 --generate-hashes

.PHONY: run test setup lint audit lock bench clean chromium wrk screenshots

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet "uv==$(UV_VERSION)"

$(BIN)/unknot: pyproject.toml requirements.lock | $(UV)
	$(UV) pip sync --python $(BIN)/python requirements.lock
	$(UV) pip install --python $(BIN)/python --no-deps -e .
	touch $(BIN)/unknot

lock: | $(UV)
	$(UV) pip compile pyproject.toml $(LOCK_ARGS) -o requirements.lock

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

# Known vulnerabilities fail the run; packages the advisory service could not
# check are reported as AUDIT INCOMPLETE (fatal with UNKNOT_AUDIT_STRICT=1).
audit: setup
	$(BIN)/python scripts/audit.py

test: setup lint audit chromium
	$(BIN)/pytest

# Every figure of the speed work, each with its target and its ratio, in one run:
# start-up, engine and diary; free-text reading; the server under wrk (loopback).
bench: setup wrk
	$(BIN)/python benchmarks/bench_speed.py
	$(BIN)/python benchmarks/bench_intake.py
	$(BIN)/python benchmarks/bench_diary.py
	$(BIN)/python benchmarks/bench_pdf.py
	$(BIN)/python benchmarks/bench_web.py

screenshots: setup chromium
	$(BIN)/python scripts/take_screenshots.py

clean:
	rm -rf $(VENV) build *.egg-info
