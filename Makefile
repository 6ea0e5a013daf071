# newspipe: `make run` and `make test` are all a new user needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help run test lint format bench clean constraints

help: ## Show the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-7s %s\n", $$1, $$2}'

# The venv is made once and reinstalled only when pyproject.toml or constraints.txt changes:
# kiwipiepy-model is an 84 MB source package that takes a while to build. constraints.txt pins
# every version, so a scheduled run installs what was tested (make constraints refreshes it).
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev,dask,fast]'
	@touch $(STAMP)

run: $(STAMP) ## Run the whole pipeline on data/raw into data/processed
	$(BIN)/newspipe run --raw data/raw --out data/processed

test: $(STAMP) ## Run the tests
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## ruff and mypy on the code
	$(BIN)/ruff check pipeline tests benchmarks
	$(BIN)/ruff format --check pipeline tests benchmarks
	$(BIN)/mypy pipeline

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format pipeline tests benchmarks
	$(BIN)/ruff check --fix pipeline tests benchmarks

BENCH_DEDUP_BIG ?= 1000000
bench: $(STAMP) ## Benchmark: N = 2,000 and 20,000 (BENCH_N=200000 for more), and dedup at 1,000,000
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/dedup_index.py --big $(BENCH_DEDUP_BIG)

clean: ## Remove data/processed (datasets, state, versions, runs) and caches (not the venv)
	find data/processed -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis build dist

constraints: ## Pin the newest versions pyproject.toml allows into constraints.txt
	rm -rf .venv-constraints
	$(PYTHON) -m venv .venv-constraints
	.venv-constraints/bin/python -m pip install --quiet --disable-pip-version-check '.[dev,dask,fast]'
	.venv-constraints/bin/python -m pip freeze --exclude-editable | grep -iv '^newspipe' > constraints.txt
	rm -rf .venv-constraints
