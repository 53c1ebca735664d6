# Every target works from a fresh clone with nothing activated: the first one run
# creates .venv with python3 -m venv and installs the project into it.
# nbgrader shells out to alembic, so .venv/bin goes first on PATH for every recipe.

VENV    := .venv
PY      := $(CURDIR)/$(VENV)/bin/python
STAMP   := $(VENV)/.installed
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
# Keep TensorFlow's start-up chatter out of every log.
export TF_CPP_MIN_LOG_LEVEL := 2
# The course's matrices are small: one BLAS thread per process is faster, and parallel
# grading (one kernel per core) must not oversubscribe the CPUs.
export OPENBLAS_NUM_THREADS := 1
PYTEST_WORKERS ?= 2

.PHONY: setup demo test lab hub release notebooks bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# jsonschema imports rfc3987-syntax, when installed, to check the "iri" string format
	# (no schema of nbformat or nbgrader uses it), and that import builds a grammar: 1.2 s
	# of CPU in every process that reads a notebook (python -X importtime -c "import nbformat").
	$(PY) -m pip uninstall --quiet --yes rfc3987-syntax
	touch $(STAMP)

## make demo: the whole grading cycle on a simulated cohort, SQLite gradebook
demo: setup
	$(PY) -m nbcourse demo

## make test: the test suite (helpers, notebooks, nbgrader round trips, widgets, browser)
test: setup
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=25

## make lab: JupyterLab on the course with nbgrader's extensions (and the course's kernel
## WebSocket without Nagle's delay: nbcourse/kernel_websocket.py)
lab: setup
	jupyter lab --notebook-dir=$(CURDIR) $(if $(filter 0,$(shell id -u)),--allow-root) \
		"$$($(PY) -c 'from nbcourse.kernel_websocket import SERVER_OPTION; print(SERVER_OPTION)')"

## make hub: the course on a JupyterHub on this machine, as root (Unix users, PAM logins, docs/hub.md)
hub: setup
	$(PY) -m nbcourse.hub

## make release: regenerate release/ from source/ for every assignment
release: setup
	$(PY) -m nbcourse generate

## make notebooks: rebuild source/ notebooks from the builders in authoring/
notebooks: setup
	for builder in authoring/[0-9]*.py; do $(PY) $$builder || exit 1; done

## make bench: every benchmark under bench/, figures printed
bench: setup
	for script in bench/*.py; do $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache hub/node_modules
