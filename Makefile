# Carepath — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test check test-sqlite test-postgres test-embeddings install install-dev browser lock demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed-run: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

## make run: embedded SQLite under var/, demo data when empty, production server on 127.0.0.1:$(PORT)
run: install
	$(BIN)/carepath migrate --noinput
	$(BIN)/carepath demo --if-empty
	$(BIN)/carepath demo-directory --services 300 --seed 1 --if-empty
	$(BIN)/carepath demo-outcomes --episodes 300 --seed 1 --if-empty
	$(BIN)/carepath demo-supporters --count 40 --seed 1 --if-empty
	$(BIN)/carepath demo-referrals --if-empty
	$(BIN)/carepath search-index rebuild --if-empty
	$(BIN)/carepath serve --port $(PORT)

## make check: ruff, mypy (strict on the core), import-linter contracts, bandit, pip-audit
## (docs/security.md, "Static analysis": what each accepted finding is and why)
check: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/bandit -c pyproject.toml -r src -q
	$(BIN)/pip-audit -r requirements/dev.txt --no-deps --disable-pip --progress-spinner off

## make test: check, then the suite on SQLite (with browser journeys) and on a throwaway PostgreSQL 15
test: install-dev browser
	$(MAKE) check
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

test-sqlite: install-dev
	$(BIN)/pytest

test-postgres: install-dev
	scripts/with-throwaway-postgres $(BIN)/pytest -m "not browser"

browser:
	scripts/ensure-system-packages

## make test-embeddings: the optional embeddings extra's own tests with the real sentence model, in a
## separate environment (.venv-embeddings) so the main one keeps the lexical scorer. Needs torch's CPU
## build (about 200 MB) from a package index or a local wheel; not part of `make test`.
EMBED := .venv-embeddings/bin
test-embeddings:
	test -x $(EMBED)/python || $(PYTHON) -m venv .venv-embeddings
	$(EMBED)/pip install --quiet -r requirements/dev.txt
	$(EMBED)/pip install --quiet "torch==2.13.0" --extra-index-url https://download.pytorch.org/whl/cpu
	$(EMBED)/pip install --quiet -e ".[embeddings]"
	HF_HUB_OFFLINE=1 $(EMBED)/pytest -p no:cacheprovider -rs tests/integration/test_matching_experience_scorers.py

## make lock: re-pin exact versions after editing pyproject.toml
lock: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/base.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra dev -o requirements/dev.txt pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
