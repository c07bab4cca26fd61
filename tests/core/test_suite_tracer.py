"""The suite's own set-up: outside the test files listed in ``coverage_tests`` no tracer runs
(tests/conftest.py pauses it). A tracer left running slowed the whole suite by half under
``make test`` (two tracers per xdist worker with pytest-cov 7.1); without coverage there is
no tracer at all and this holds trivially."""

import sys


def test_no_tracer_runs_outside_the_coverage_tests():
    assert sys.gettrace() is None
