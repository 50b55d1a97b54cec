"""Benchmarks: `make bench` runs every `benchmarks/bench_*.py` module's `run()`.

Each `run()` returns a dict of figures; the runner writes it to
`benchmarks/results/<name>.json` with the machine and time, and prints it.
Benchmarks run against a throwaway database (SQLite in a temp dir by default,
PostgreSQL when DATABASE_URL is set: a database named `<name>_bench` is used).
"""
