# `make run`: set up a virtual environment in .venv, install Veerkracht, run the default scenario.
# `make test`: the same set-up with the test dependencies and Debian's chromium (for the
# browser test of the class demo; installed with apt-get when it is missing), then the whole
# test suite. `make demo` serves the class demo; `make lesson` sets the lesson kit's worksheets
# (docs/lesson); `make notebooks` opens the notebooks in JupyterLab. `make golden` writes the golden
# outputs (tests/golden) anew and prints what moved; `make screenshots` takes the screenshots
# of the class demo (docs/, shown in docs/teaching.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUN_DIR := outputs/default
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

.PHONY: run test test-fast golden screenshots bench demo lesson notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

$(CHROMIUM):
	$(SUDO) apt-get install -y -qq chromium || ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

run: $(VENV)/.installed
	$(BIN)/veerkracht hydra.run.dir=$(RUN_DIR)
	@echo "The default run (leak scenario) is in $(RUN_DIR): summary.json, timeseries.parquet, households.parquet, recovery_by_class.png"

test: $(VENV)/.installed-test $(CHROMIUM)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -m "not slow"

golden: $(VENV)/.installed-test
	$(BIN)/python -m tests.golden

screenshots: $(VENV)/.installed-test $(CHROMIUM)
	$(BIN)/python -m simulation.demo.screenshots

$(VENV)/.installed-demo: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[demo]"
	touch $@

demo: $(VENV)/.installed-demo
	$(BIN)/veerkracht demo --open

lesson: $(VENV)/.installed-demo
	$(BIN)/python -m simulation.demo.lesson

$(VENV)/.installed-notebooks: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"
	touch $@

notebooks: $(VENV)/.installed-notebooks
	$(BIN)/jupyter lab notebooks $(ALLOW_ROOT)

bench: $(VENV)/.installed
	$(BIN)/veerkracht-bench

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache
