"""Code the tests and the benchmarks share, importable as ``tests.support`` from the
repository root (``tests/conftest.py`` and each ``bench/`` script put the root on
``sys.path``): nothing here ships with the ``nbcourse`` package."""
