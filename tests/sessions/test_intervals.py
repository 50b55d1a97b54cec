import ast
import datetime
from pathlib import Path

from sessions import intervals


def test_interval_arithmetic_imports_nothing_of_django_or_the_portal():
    tree = ast.parse(Path(intervals.__file__).read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert modules == {"datetime", "decimal"}


def test_span_names_the_two_largest_units():
    assert intervals.span(30 * 60) == "30 minutes"
    assert intervals.span((5 * 60 + 30) * 60) == "5 hours 30 minutes"
    assert intervals.span(int(datetime.timedelta(days=1, hours=2, minutes=5).total_seconds())) == "1 day 2 hours"
    assert intervals.span(59) == "0 minutes"
