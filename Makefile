# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# The interpreter the venv is made from: the system's /usr/bin/python3 when it is 3.11 or later
# and can make a venv (Debian's is built with profile-guided optimisation and linked statically:
# the test suite used ≈ 10 % less processor than on a pyenv build, measured in turns), else
# python3 from the PATH. An existing .venv is kept: `rm -rf .venv` to make it again.
PYTHON ?= $(firstword $(foreach p,/usr/bin/python3 python3,$(shell $(p) -c 'import sys, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $(p))) python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB := out/demo.sqlite3

.PHONY: run test check-wheel test-fast screenshots bench bundle test-bundle bench-bundle clean demo translations

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Opens the app on the demo pole; without a display, writes the demo files to ./out/.
run: $(STAMP)
	@mkdir -p out
	$(PY) -m ui.launch_demo --db $(DEMO_DB) --out out

demo: $(STAMP)
	@mkdir -p out
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(VENV)/bin/ptce --db $(DEMO_DB) demo --out out

# pytest exits 5 when it collected no test: treated as a failure, never as a pass.
# Two workers (pytest-xdist, one per core); coverage of the files listed in pyproject.toml
# ([tool.coverage.run] include) must be 100 %, or the run fails.
TEST_WORKERS ?= 2
# Compiled bytecode (and pytest's rewritten test modules) are kept between runs and shared by the
# workers and the processes the tests start: with PYTHONDONTWRITEBYTECODE set in the caller's
# environment every process compiled the sources again (collection alone 9.5 s instead of 2.3 s).
unexport PYTHONDONTWRITEBYTECODE
# The tests' files on the RAM disk when there is one: each save is fsynced (synchronous=FULL) and
# the suite writes thousands of files; on the disk that took 10–15 s more (measured in turns). A
# killed process loses nothing that is in the page cache, so the crash tests prove the same there.
TEST_TMPDIR ?= $(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm)
test: $(STAMP)
	$(VENV)/bin/lint-imports
	$(if $(TEST_TMPDIR),TMPDIR=$(TEST_TMPDIR)) $(PY) -m pytest -n $(TEST_WORKERS) --cov --cov-report=term-missing:skip-covered; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "Aucun test exécuté : échec." >&2; exit 1; fi; exit $$rc

# The built wheel, installed in a clean venv outside the checkout (see tools/check_wheel.sh).
check-wheel:
	PYTHON=$(PYTHON) tools/check_wheel.sh

test-fast: $(STAMP)
	$(PY) -m pytest -m "not slow" -x

screenshots: $(STAMP)
	xvfb-run -a -s "-screen 0 1280x800x24" env QT_QPA_PLATFORM=xcb $(PY) -m ui.screenshots docs/screenshots

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/autosave.py
	$(PY) bench/startup.py
	$(PY) bench/report.py
	$(PY) bench/consolidate.py
	$(PY) bench/crash_soak.py --kills 200 --couts
	$(PY) bench/workshop_bench.py

# Regenerate the Qt translation source (ui/i18n/*.ts) after changing UI texts.
translations: $(STAMP)
	$(PY) -m ui.translation

bench-bundle: bundle
	xvfb-run -a -s "-screen 0 1280x800x24" $(PY) packaging/bench_bundle.py

bundle: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bundle]'
	$(VENV)/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build packaging/ptce-toolkit.spec

test-bundle: bundle
	$(PY) -m pytest packaging/test_bundle.py -q

clean:
	rm -rf build dist out .pytest_cache
