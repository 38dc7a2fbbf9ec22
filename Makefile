# crm-roi-kit: `make report` builds the sample report, `make test` runs every check.
# Both create .venv (Python 3.11+) and install the kit from pyproject.toml on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
CASE ?= data/sample_case
REPORTS ?= reports

.DEFAULT_GOAL := help
.PHONY: help venv dev report test lint lab app bench calibration calibration-panels sample clean

help: ## list the targets
	@echo "crm-roi-kit - make targets:"
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | awk -F'\t' '{printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "crm-roi-kit needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $@ $(RUNTIME_STAMP)

venv: $(RUNTIME_STAMP) ## create .venv and install the kit

dev: $(DEV_STAMP) ## create .venv with the kit and the dev tools

report: $(RUNTIME_STAMP) ## execute every notebook on the sample case and write reports/index.html
	$(BIN)/roi-kit report $(CASE) -o $(REPORTS)

lint: $(DEV_STAMP) ## ruff lint and format check
	$(BIN)/ruff check roi_kit tests benchmarks
	$(BIN)/ruff format --check roi_kit tests benchmarks
	$(BIN)/lint-imports

test: lint ## lint, unit/property/CLI/doctests, and every notebook under nbval
	$(BIN)/python -m pytest roi_kit tests notebooks --nbval-lax --nbval-current-env

lab: $(RUNTIME_STAMP) ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks

app: $(RUNTIME_STAMP) ## serve the ROI notebook as a live app (Voila, sliders live, code hidden) on localhost:8866
	$(BIN)/voila notebooks/07_roi.ipynb --no-browser --Voila.ip=127.0.0.1 --port=8866

bench: $(DEV_STAMP) ## run the speed benchmarks (prints times and ratios)
	@for b in benchmarks/bench_*.py; do \
		case "$$b" in benchmarks/bench_calibration*) continue;; esac; \
		echo "== $$b"; $(BIN)/python $$b || exit 1; done

calibration: $(DEV_STAMP) ## simulate every interval method on KPI-like series (400 reps; 60 reps took 25 min on 2 busy cores)
	$(BIN)/python benchmarks/bench_calibration.py --jobs 2
	$(BIN)/python benchmarks/bench_calibration_did.py --reps 200 --jobs 2

calibration-panels: $(DEV_STAMP) ## simulate the panel DiD methods (200 reps; about 8 min of CPU)
	$(BIN)/python benchmarks/bench_calibration_panels.py --jobs 2

sample: $(RUNTIME_STAMP) ## regenerate data/sample_case (byte-identical unless the generator changed)
	$(BIN)/python -m roi_kit.case.sample

clean: ## remove the environment, caches and reports
	rm -rf $(VENV) $(REPORTS) .pytest_cache .ruff_cache .hypothesis
