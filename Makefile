# The quick start is `make run` and `make test`; both create .venv and install the project first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
ADDRESS ?= 127.0.0.1:8000
# Test workers; 2 matches this project's 2-core machines. Override with `make test WORKERS=0`.
WORKERS ?= 2

.PHONY: run test lint format eval bench-ingest bench-ocr bench-index bench-mbox bench-release bench-search bench-browse

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

## Serve http://127.0.0.1:8000 with one task worker (embedded PostgreSQL unless DATABASE_URL is set).
run: $(INSTALLED)
	$(PY) manage.py serve --bind $(ADDRESS)

## Run the whole test suite against PostgreSQL (DATABASE_URL, else the embedded server).
test: $(INSTALLED)
	$(PY) -m pytest -n $(WORKERS) $(PYTEST_ARGS)

# Import the labeled development set's releases (tests/testdata/devset, files from ../shared/corpus)
# and print recall, precision and per-field accuracy against the labels, with the worst disagreements.
eval: $(INSTALLED)
	$(PY) -m pytest tests/ingest/test_devset.py -p no:cacheprovider -n 0 -s -q $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Import a generated 1,000-page production; prints pages/s, emails/s, peak memory and the ratio
# to plain pdfminer.six extraction of the same file.
bench-ingest: $(INSTALLED)
	$(PY) benchmarks/bench_ingest.py

# Import a generated 100-page scanned production with 1 and 2 workers; prints pages/s, peak memory
# and the ratio to plain tesseract reading the same page images in the same run.
bench-ocr: $(INSTALLED)
	$(PY) benchmarks/bench_ocr.py

# Build the search index of generated archives of 20,000 and 100,000 emails, our rebuild against
# a plain Whoosh writer given the same fields, by turns; prints times, emails/s, ratio and memory.
bench-index: $(INSTALLED)
	$(PY) benchmarks/bench_index.py $(BENCH_ARGS)

# Import generated mboxes (5,000 and 20,000 messages) against the standard library's own parse of
# the same messages, and a 2,000-message mbox into an empty archive and into 100,000 emails.
bench-mbox: $(INSTALLED)
	$(PY) benchmarks/bench_mbox.py $(BENCH_ARGS)

# Import a generated release of 5,000 and then 15,000 pages (many PDFs, mixed print styles) with
# --workers 2 into an empty archive: time, pages/s, emails/s, each phase's share, peak memory.
bench-release: $(INSTALLED)
	$(PY) benchmarks/bench_release.py $(BENCH_ARGS)

# Time a fixed query mix on generated archives of 20,000 and 100,000 emails through our search
# path and plain Whoosh; prints p50/p95, ratios and memory. Builds each archive once (var/bench/).
bench-search: $(INSTALLED)
	$(PY) benchmarks/bench_search.py $(BENCH_ARGS)

# Time every browsing and reading page on the generated archive of 100,000 emails (about 30,000
# threads): p50/p95 and SQL queries per page. Shares bench-search's database (var/bench/).
bench-browse: $(INSTALLED)
	$(PY) benchmarks/bench_browse.py $(BENCH_ARGS)
