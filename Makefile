# The two commands that set up a fresh machine: `make test` and `make demo`.
# Each creates .venv and installs the package (editable, with its test extra) on first use.
PYTHON ?= python3
# CI passes TORCH_SPEC=torch==2.13.0 to take the CPU wheel on this machine's disk; a plain
# `torch` pulls the CUDA build, which is what a GPU box wants.
TORCH_SPEC ?= torch
VENV := .venv
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: test demo install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet "$(TORCH_SPEC)"
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: $(STAMP)
	$(VENV)/bin/python -m pytest -n 2 $(PYTEST_ARGS)

demo: $(STAMP)
	$(VENV)/bin/clsforge demo

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
