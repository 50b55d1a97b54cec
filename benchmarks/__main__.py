import datetime
import importlib
import json
import os
import pkgutil
import platform
import sys
import tempfile
from pathlib import Path

import django
import psycopg2
from django.apps import apps
from django.core.management import call_command
from django.db import connection

# Django reads its settings at django.setup(), after _setup_django() has chosen the database;
# the bench_* modules import the apps at their top, so they are imported after it too.

RESULTS = Path(__file__).resolve().parent / "results"


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apopms.settings")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        os.environ["DATABASE_URL"] = url.split("?", 1)[0] + "_bench"  # <name>_bench: never the database given
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="apopms-bench-media-"))
    django.setup()
    if connection.vendor == "postgresql":
        _recreate_postgres_database()
    call_command("migrate", verbosity=0)


def _recreate_postgres_database():
    params = connection.get_connection_params()
    name = connection.settings_dict["NAME"]
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def _fresh_database():
    """Each benchmark starts from the migrated database alone: empty but for the member countries."""
    call_command("flush", interactive=False, verbosity=0)
    importlib.import_module("apopms.migrations.0002_member_countries").load(apps, None)


def main(argv):
    _setup_django()
    wanted = set(argv)
    RESULTS.mkdir(exist_ok=True)
    package = Path(__file__).resolve().parent
    for info in sorted(pkgutil.iter_modules([str(package)]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        name = info.name.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        _fresh_database()
        module = importlib.import_module(f"benchmarks.{info.name}")
        print(f"== {name}", flush=True)
        figures = module.run()
        result = {
            "benchmark": name,
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "database": connection.vendor},
            "figures": figures,
        }
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
        for key, value in figures.items():
            print(f"  {key}: {value}")


if __name__ == "__main__":
    main(sys.argv[1:])
