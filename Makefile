# `make run`: set up a virtual environment in .venv, install Veerkracht, run the default scenario.
# `make test`: the same set-up with the test dependencies, then the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_DIR := outputs/default

.PHONY: run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/veerkracht hydra.run.dir=$(RUN_DIR)
	@echo "The default run (leak scenario) is in $(RUN_DIR): summary.json, timeseries.parquet, households.parquet, recovery_by_class.png"

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/veerkracht-bench

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
