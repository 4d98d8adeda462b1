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

bench: $(STAMP)
	$(BIN)/python -m benchmarks.icdar ../shared/corpus/icdar2013-us --out benchmarks/results
	$(BIN)/python -m benchmarks.long_pdf
	$(BIN)/python -m benchmarks.summary_data ../shared/corpus/eiti-summary-data/data/declarations --out benchmarks/results/summary_data.json
	$(BIN)/python -m benchmarks.useiti_records ../shared/corpus/useiti-2015 --out benchmarks/results

screenshots: $(STAMP)
	$(BIN)/python docs/screenshot.py

clean:
	rm -rf outputs/* $(VENV)
