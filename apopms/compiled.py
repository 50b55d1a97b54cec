"""Queries of the busiest public pages, compiled once per process.

For a page that runs one small query, building the queryset, compiling its SQL and turning the row
into an instance through the ORM's generic machinery cost more than the database's answer. A
`CompiledQuery` does the first two once (per database vendor) and then only runs the SQL with new
parameters, applies the fields' converters (booleans and dates on SQLite, JSON) and makes the
instances with `Model.from_db`, as the ORM does.
"""

import functools

from django.db import connections

_MARKS = {}  # {stand-in: name}


def parameter(name, number=False):
    """A stand-in for a parameter, to filter on while building the queryset: `code=parameter("code")`,
    `project=parameter("project", number=True)` for a key (a number no row has)."""
    mark = -(2**62) - len(_MARKS) if number else f"\x00compiled-parameter-{name}\x00"
    _MARKS[mark] = name
    return mark


class CompiledQuery:
    """`build()` gives a queryset filtered on `parameter(...)` values and ending in
    `.values_list(*columns)`; `rows(**parameters)` runs it."""

    def __init__(self, build):
        self.build = build

    @functools.cache  # noqa: B019 - one compilation per (query, database alias) for the process's life
    def _compiled(self, alias):
        queryset = self.build()
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        return sql, tuple(params), converters, compiler

    def rows(self, alias="default", **parameters):
        sql, params, converters, compiler = self._compiled(alias)
        params = [
            parameters[_MARKS[param]] if isinstance(param, (str, int)) and param in _MARKS else param
            for param in params
        ]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        return rows
