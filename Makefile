# Two commands on a fresh machine: `make run` and `make test`. Both build .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test soak lint format eval bench locales clean

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m bot.i18n compile
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m bot

test: $(STAMP)
	$(PY) -m pytest -q

# The long variants of the fault suite (more chats, more kills, every seed; 200 meetings on two
# replicas); see RELIABILITY.md.
soak: $(STAMP)
	$(PY) -m pytest -q -m 'soak or bench' tests/reliability tests/replicas tests/test_bench.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

eval: $(STAMP)
	$(PY) -m bot eval --set analysis --errors 0
	$(PY) -m bot eval --errors 0

bench: $(STAMP)
	$(PY) -m devtools.bench

# Re-extract the catalogue template and merge it into the fr/en catalogues.
locales: $(STAMP)
	$(PY) -m bot.i18n update

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
