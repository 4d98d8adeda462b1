# Each target bootstraps .venv on a fresh machine: nothing but Python is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: reconcile test bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# raw/ holds the user's documents only: the run reports exactly those. The PDF renditions
# the parity test reads are drawn by tests/render_pdfs.py into tests/renditions/ (git-ignored).
reconcile: $(STAMP)
	$(BIN)/itie-reconcile run raw --out outputs

test: $(STAMP)
	$(BIN)/python -m pytest

# Every benchmark, in the order run; adding one is one line (`name`, plus `name_ARGS :=` when its
# defaults do not fit). A script not (yet) in benchmarks/ is skipped with a line saying so.
# `harness` writes the machine's description (cores, memory, load, Python, library versions).
BENCHMARKS := \
	harness \
	seeds \
	profile_run \
	icdar_run \
	icdar \
	long_pdf \
	seeds_gx \
	useiti_records \
	spreadsheets \
	summary_data \
	inferred_checks \
	spec_load
icdar_ARGS := ../shared/corpus/icdar2013-us --out benchmarks/results
useiti_records_ARGS := ../shared/corpus/useiti-2015 --out benchmarks/results
spreadsheets_ARGS := ../shared/corpus --out benchmarks/results
spec_load_ARGS := raw
summary_data_ARGS := ../shared/corpus/eiti-summary-data/data/declarations --out benchmarks/results/summary_data.json

define bench_one
	$(if $(wildcard benchmarks/$(1).py),$(BIN)/python -m benchmarks.$(1) $($(1)_ARGS),@echo "bench: benchmarks/$(1).py absent, skipped")

endef

bench: $(STAMP)
	$(foreach name,$(BENCHMARKS),$(call bench_one,$(name)))

screenshots: $(STAMP)
	$(BIN)/python docs/screenshot.py

clean:
	rm -rf outputs/* $(VENV)
