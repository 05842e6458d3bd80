# gusp — set-up and everyday targets. Each target installs what it needs into .venv first.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
GUSP   := $(VENV)/bin/gusp

.PHONY: run test check lint typecheck bench fixture clean pdf-libs

run: $(VENV)/.installed-run  ## install, then run the main job on the embedded charter
	$(GUSP) overdue --quartier avion

test: $(VENV)/.installed-test pdf-libs  ## install with the test extras, then run the test suite
	$(PY) -m pytest

check: $(VENV)/.installed-dev pdf-libs  ## ruff, mypy, then the tests
	$(VENV)/bin/ruff check gusp_cli tests bench
	$(VENV)/bin/mypy
	$(PY) -m pytest

# The review in PDF (WeasyPrint) loads Pango and HarfBuzz at run time; its test reads the PDF back
# with poppler-utils. Installed with apt when missing (as root), else said.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core poppler-utils
pdf-libs:  ## the system libraries of the PDF review (Debian), when missing
	@{ ldconfig -p | grep -q 'libpangoft2-1.0.so.0' && ldconfig -p | grep -q 'libharfbuzz-subset.so.0' \
		&& command -v pdftotext >/dev/null; } \
		|| (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_LIBS)) \
		|| echo "pdf-libs : installez $(PDF_LIBS) (Debian) pour la revue en PDF"

BENCH_ARGS ?=
bench: $(VENV)/.installed-run pdf-libs  ## install (and Taskwarrior, the peer, if missing), then run bench/run.py
	@command -v task >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq taskwarrior) \
		|| echo "bench: Taskwarrior non installé ; le pair ne sera pas mesuré"
	$(PY) bench/run.py $(BENCH_ARGS)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

fixture: $(VENV)/.installed-test  ## pin charter-data/ (the charter as signed, no follow-up) as the tests' CALL charter
	$(PY) -m tests.pin_call_fixture

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
