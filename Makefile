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

# PDF renditions of the text dumps, so that every run reads both paths (git-ignored:
# rendering takes a second and fpdf2 stamps the date into each file).
RAW_PDFS := $(patsubst %.txt,%.pdf,$(wildcard raw/*.txt))

raw/%.pdf: raw/%.txt raw/make_pdfs.py $(wildcard raw/*.yaml) | $(STAMP)
	$(BIN)/python raw/make_pdfs.py $<

reconcile: $(STAMP) $(RAW_PDFS)
	$(BIN)/itie-reconcile run raw --out outputs

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.icdar ../shared/corpus/icdar2013-us --out benchmarks/results
	$(BIN)/python -m benchmarks.long_pdf
	$(BIN)/python -m benchmarks.useiti_records ../shared/corpus/useiti-2015 --out benchmarks/results

screenshots: $(STAMP) $(RAW_PDFS)
	$(BIN)/python docs/screenshot.py

clean:
	rm -rf outputs/* $(VENV)
