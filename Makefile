# The two commands that set up a fresh machine: `make test` and `make demo`.
# Each creates .venv and installs the package (editable, with its test extra) on first use, saying
# what it installs; afterwards run `. .venv/bin/activate` to have `clsforge` on your PATH.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

# PyTorch, chosen once and reinstalled when the choice changes:
#   TORCH=cpu   the CPU wheel from PyTorch's CPU index (default where `nvidia-smi` is missing: no ~20
#               nvidia packages a CPU machine cannot use);
#   TORCH=cuda  PyPI's default build, with CUDA (default where `nvidia-smi` is found);
#   TORCH_SPEC=torch==2.13.0   exactly this requirement from your usual indexes (CI uses it: a CPU
#               wheel on its disk); it overrides TORCH.
TORCH ?= $(if $(shell command -v nvidia-smi 2>/dev/null),cuda,cpu)
ifdef TORCH_SPEC
TORCH_ARGS := "$(TORCH_SPEC)"
else ifeq ($(TORCH),cpu)
TORCH_ARGS := torch --index-url https://download.pytorch.org/whl/cpu --extra-index-url https://pypi.org/simple
else ifeq ($(TORCH),cuda)
TORCH_ARGS := torch
else
$(error TORCH must be cpu or cuda, not '$(TORCH)')
endif
# One stamp per choice: a changed TORCH / TORCH_SPEC makes a new stamp, and its rule reinstalls torch.
TORCH_STAMP := $(VENV)/.torch-$(shell printf '%s' '$(TORCH_ARGS)' | cksum | cut -d' ' -f1)

.PHONY: test demo install clean

install: $(STAMP)

$(VENV)/bin/python:
	@echo ">> creating the virtual environment $(VENV) with $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(TORCH_STAMP): | $(VENV)/bin/python
	@echo ">> installing PyTorch: pip install $(TORCH_ARGS)"
	@if ls $(VENV)/.torch-* >/dev/null 2>&1; then \
		echo ">> the PyTorch choice changed: replacing the installed torch"; \
		$(VENV)/bin/pip uninstall --yes torch; rm -f $(VENV)/.torch-*; fi
	$(VENV)/bin/pip install --progress-bar on $(TORCH_ARGS)
	@touch $@

$(STAMP): pyproject.toml $(TORCH_STAMP)
	@echo ">> installing clsforge (editable) and its dependencies: pip install -e '.[dev]' (a few minutes)"
	$(VENV)/bin/pip install --progress-bar on -e '.[dev]'
	@touch $(STAMP)
	@echo ">> installed: $$($(VENV)/bin/python -c 'import torch; print("torch", torch.__version__, "CUDA" if torch.version.cuda else "CPU")')"
	@echo ">> to use clsforge from your shell: . $(VENV)/bin/activate"

test: $(STAMP)
	$(VENV)/bin/python -m pytest -n 2 $(PYTEST_ARGS)

demo: $(STAMP)
	$(VENV)/bin/clsforge demo

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
