# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
export TOLPA_HOME := $(CURDIR)

.PHONY: run test install lint format messages migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/tolpa migrate --noinput

demo: migrate
	$(BIN)/tolpa demo

run: demo
	@echo "Tolpa is at http://127.0.0.1:8000  (Ctrl+C stops it)"
	$(BIN)/tolpa serve 127.0.0.1:8000

test: install
	mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/tolpa makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: install
	cd src/tolpa && ../../$(BIN)/tolpa makemessages -l ru -l vi --no-obsolete --ignore '*/migrations/*'
	cd src/tolpa && ../../$(BIN)/tolpa compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
