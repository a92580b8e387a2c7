# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Friendly local settings; production takes its configuration from the environment.
LOCAL_ENV := DEBUG=1 ALLOWED_HOSTS=127.0.0.1,localhost

.PHONY: run test install lint check-migrations clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(LOCAL_ENV) $(PY) manage.py migrate --no-input
	$(LOCAL_ENV) $(PY) manage.py load_seed --if-empty
	$(LOCAL_ENV) $(PY) manage.py ensure_local_admin
	@echo "Serving the public site at http://127.0.0.1:8000/ (admin at /admin/, API at /api/). Ctrl-C stops it."
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

check-migrations: install
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
