# factcheck — developer commands. A newcomer runs: make install && make demo; make test
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install demo test lint unit e2e eval bench bench-ci clean

install:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/factcheck model build-static --quiet

demo:
	@$(BIN)/factcheck check seeds/; rc=$$?; [ $$rc -le 1 ] || exit $$rc

lint:
	$(BIN)/ruff check factcheck tests bench
	$(BIN)/mypy

test: lint
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo 'pytest collected no tests' >&2; exit 1; fi; exit $$rc

unit:
	$(BIN)/python -m pytest -m "not e2e"

e2e:
	$(BIN)/python -m pytest -m e2e

eval:
	$(BIN)/python $(SHARED)/eval/score.py $(SHARED)/eval/dev --cmd "$(BIN)/factcheck"

bench:
	$(BIN)/python bench/run.py

bench-ci:
	$(BIN)/python bench/ci_bench.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info
