"""Queries of the busiest public pages, compiled once per process and, on PostgreSQL, prepared once
per connection.

For a page that runs one small query, building the queryset, compiling its SQL, PostgreSQL's parse
and plan, and turning the row into an instance through the ORM's generic machinery cost several
times the database's own work (0.3 ms against 0.03 ms for the public programme's project). A
`CompiledQuery` compiles once per database alias; on PostgreSQL it is prepared (`PREPARE`) the
second time a connection runs it, so persistent connections (CONN_MAX_AGE) only `EXECUTE` it, and a
connection opened per request never prepares. It applies the fields' converters (booleans and
dates on SQLite, JSON) as the ORM does; callers make instances with `Model.from_db`.

A prepared statement lives as long as its connection, whatever happens to the transaction it was
prepared in; the statement's text names its columns, so a later migration that adds columns
leaves it valid.
"""

import functools
import itertools
import re
import weakref

from django.db import DatabaseError, connections

_MARKS = {}  # {stand-in: name}
_names = itertools.count(1)
# {raw connection: {query: [times run, name prepared or None]}}: prepared statements belong to their
# connection.
_runs = weakref.WeakKeyDictionary()


@functools.cache
def columns(model):
    """The names of `model`'s columns (its concrete fields' attnames), in order: what a compiled
    query selects with `values_list(*columns(Model))` and gives back to `Model.from_db`."""
    return [field.attname for field in model._meta.concrete_fields]


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
        self.statement = f"apopms_compiled_{next(_names)}"

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
        connection = connections[alias]
        with connection.cursor() as cursor:
            name = self._prepared(connection, sql) if connection.vendor == "postgresql" else None
            if name:
                try:
                    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
                except DatabaseError:
                    # The statement is gone (DEALLOCATE, a pooler) or stale (a column's type changed):
                    # prepared anew under a new name. Outside a transaction the query runs plain now;
                    # inside one, the failed statement has aborted it and the error must stand.
                    _runs.get(connection.connection, {}).pop(self, None)
                    if connection.in_atomic_block:
                        raise
                    cursor.execute(sql, params)
            else:
                cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = list(compiler.apply_converters(rows, converters))
        return rows

    def _prepared(self, connection, sql):
        """The name of the statement prepared on this connection, or None: it is prepared the second
        time it runs there. PREPARE goes through the driver's own cursor: not one of the page's
        queries."""
        runs = _runs.setdefault(connection.connection, {})
        state = runs.setdefault(self, [0, None])
        state[0] += 1
        if state[0] == 2:
            numbers = itertools.count(1)
            text = re.sub(r"%(s|%)", lambda m: f"${next(numbers)}" if m[1] == "s" else "%", sql)
            name = f"{self.statement}_{next(_names)}"
            with connection.connection.cursor() as cursor:
                cursor.execute(f"PREPARE {name} AS {text}")
            state[1] = name
        return state[1]
