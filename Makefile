# Gongkai — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= gongkai-demo
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-tools migrate demo worker messages check clean bench bench-faults

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo --password $(DEMO_PASSWORD)

# The embedded default: SQLite, Celery on a filesystem broker, a worker with beat
# beside the development server. Ctrl-C stops all three.
run: demo
	@echo "Gongkai on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/, password $(DEMO_PASSWORD))"
	@trap 'kill 0' INT TERM EXIT; \
	DEBUG=1 $(BIN)/celery -A portal worker --beat --loglevel=INFO --concurrency=1 & \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

# axe-core for the accessibility tests, when npm is there (browser tests skip otherwise).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent

test-tools:
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory node_modules/axe-core/axe.min.js; fi

# The whole suite. Uses DATABASE_URL / REDIS_URL when set (CI: PostgreSQL and Redis),
# SQLite and the embedded broker otherwise. In a random order (pytest-randomly): the seed
# is printed first and last; replay it with PYTEST_ARGS="-p randomly --randomly-seed=N".
test: install test-tools
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Regenerate translation catalogues; zh-Hans is derived from zh-Hant with OpenCC.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages --all --ignore=.venv --ignore=var --ignore=node_modules --ignore=bench --no-obsolete
	$(BIN)/python -m portal.locale_sync
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules

check: install
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# County-scale benchmark (bench/README.md): the site under gunicorn and wrk against a
# trivial view, at two data sizes; rewrites the county-scale sections of bench/RESULTS.md.
BENCH_DB ?= postgres://postgres@127.0.0.1:5432/gongkai_bench_scale
BENCH_DB_SMALL ?= postgres://postgres@127.0.0.1:5432/gongkai_bench_scale01
BENCH_ARGS ?= --rounds 3 --seconds 4 --mixed 60
bench: install
	$(BIN)/python bench/run.py --scale 0.1 $(BENCH_DB_SMALL) --scale 1 $(BENCH_DB) $(BENCH_ARGS)

# Load and faults (bench/README.md): its own PostgreSQL cluster and redis-server on free
# loopback ports (never the shared ones); Redis stopped, PostgreSQL restarted, a worker
# killed under load; rewrites the faults section of bench/RESULTS.md. ~4 minutes.
FAULTS_ARGS ?= --seconds 60
bench-faults: install
	$(BIN)/python bench/faults.py $(FAULTS_ARGS)

clean:
	rm -rf $(VENV) var
