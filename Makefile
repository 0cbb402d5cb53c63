# Two commands do everything: `make all` (data, notebooks, figures, report) and `make test`.
# Both create .venv with pip when it is missing. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := $(VENV)/share/jupyter/kernels/corpus/kernel.json  # the Jupyter kernel "corpus" the notebooks name
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.DEFAULT_GOAL := help
.PHONY: help all venv data notebooks test lint lab browser clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# Registered inside .venv (--sys-prefix), so JupyterLab, papermill, nbmake and VS Code find it with the venv.
$(KERNEL): $(STAMP)
	@$(BIN)/python -m ipykernel install --sys-prefix --name corpus --display-name "Python (corpus)" >/dev/null
	@echo "Jupyter kernel \"corpus\" -> $(VENV)/share/jupyter/kernels/corpus"

venv: $(STAMP) $(KERNEL) ## create .venv, install the project, register the Jupyter kernel "corpus"

data: $(STAMP) ## build data/processed from data/raw (no work when nothing changed)
	$(BIN)/corpus build

notebooks: data $(KERNEL) ## execute every notebook into reports/notebooks (ipynb and HTML)
	rm -rf "$${CORPUS_ROOT:-.}/reports/figures"  # charts of an earlier run would linger; CORPUS_ROOT: that project's
	$(BIN)/python scripts/run_notebooks.py $(NOTEBOOKS)

all: notebooks ## the main job: data, executed notebooks, figures and the HTML report under reports/
	$(BIN)/corpus report
	$(BIN)/corpus explore

browser: ## install Debian's Chromium for the browser test when it is missing (needs root)
	@bash scripts/ensure-browser.sh

test: $(KERNEL) browser ## run the whole test suite, notebooks included
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

lab: data $(KERNEL) ## open the notebooks in JupyterLab on the project's kernel (as root too)
	$(BIN)/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)  # JupyterLab refuses root without it

clean: ## remove built data and reports (data/raw is never touched)
	rm -rf data/processed/* reports
