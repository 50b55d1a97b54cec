"""A worker knows every task the portal queues.

Celery autodiscovers only each app's `tasks.py`; tasks in other modules must be imported by
their app's `ready()`. Eager tests cannot see a miss (they call the function directly), so this
asks a fresh process, set up as a worker is, which tasks it has registered.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("apopms", "nominations", "sessions", "certificates")
PROBE = (
    "import json, django; django.setup(); from apopms.celery import app; "
    "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))"
)


def _defined_tasks():
    names = set()
    for app in APPS:
        for path in (ROOT / app).glob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if not isinstance(node, ast.FunctionDef):
                    continue
                for deco in node.decorator_list:
                    target = deco.func if isinstance(deco, ast.Call) else deco
                    if getattr(target, "id", getattr(target, "attr", "")) == "shared_task":
                        # A task moved to another module keeps its registered name (`name=`).
                        explicit = [k.value.value for k in getattr(deco, "keywords", []) if k.arg == "name"]
                        names.add(explicit[0] if explicit else f"{app}.{path.stem}.{node.name}")
    return names


def test_a_fresh_worker_process_registers_every_task():
    defined = _defined_tasks()
    assert "nominations.selection_tasks.send_selection_results" in defined
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "apopms.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    registered = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert defined - registered == set()
