"""The structure the architecture section of the README describes, kept by tests.

- Dependencies run one way: reports -> workspace -> evaluations -> certificates -> sessions -> nominations ->
  apopms (the core).
- The only import cycles are between an app's services and its tasks (a service queues a task,
  the task calls the service).
- No module of an app is longer than the split point of the conventions.
"""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = (
    "apopms",
    "nominations",
    "sessions",
    "certificates",
    "evaluations",
    "workspace",
    "reports",
)  # each may import only those before it
MAX_LINES = 400


def _modules():
    """{dotted name: path} of every module of the four apps, migrations left out."""
    modules = {}
    for app in LAYERS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _imported(name, path, node, modules):
    """The project modules one import statement names, resolved against `name`."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        if node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            module = ".".join([*base, node.module] if node.module else base)
        else:
            module = node.module
        targets = [f"{module}.{alias.name}" for alias in node.names]
    found = set()
    for target in targets:
        while target not in modules and "." in target:
            target = target.rpartition(".")[0]
        if target in modules and target != name:
            found.add(target)
    return found


def _import_graph():
    """Module-level imports between the apps' modules (imports inside functions are not edges)."""
    modules = _modules()
    graph = defaultdict(set)
    for name, path in modules.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import | ast.ImportFrom):
                graph[name] |= _imported(name, path, node, modules)
    return modules, graph


def _cycles(modules, graph):
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for module in modules:
        if module not in index:
            visit(module)
    return groups


def _services_or_tasks(module):
    parts = module.split(".")
    return len(parts) > 1 and parts[1] in {"services", "tasks"}


def test_no_app_imports_an_app_above_it():
    _, graph = _import_graph()
    upward = sorted(
        f"{source} imports {target}"
        for source, targets in graph.items()
        for target in targets
        if LAYERS.index(target.split(".")[0]) > LAYERS.index(source.split(".")[0])
    )
    assert upward == []


def test_the_only_import_cycles_are_between_services_and_tasks():
    modules, graph = _import_graph()
    other_cycles = [sorted(group) for group in _cycles(modules, graph) if not all(map(_services_or_tasks, group))]
    assert other_cycles == []


def test_a_cycle_outside_services_and_tasks_is_found():
    modules = {"a.views": Path("views.py"), "a.forms": Path("forms.py")}
    graph = defaultdict(set, {"a.views": {"a.forms"}, "a.forms": {"a.views"}})
    assert [sorted(group) for group in _cycles(modules, graph)] == [["a.forms", "a.views"]]


def test_no_module_is_longer_than_the_split_point():
    long = {
        name: count
        for name, path in _modules().items()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
