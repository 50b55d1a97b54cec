"""Read a project notification pasted as text (as copied from its PDF) into a draft of the project.

`parse_notification(text)` is pure (no database): it returns a `Draft` whose `found` maps each field
it recognised to its value and the line it came from, and whose `missing` lists the fields it did not
find. Nothing is guessed: a value that does not read as what its label says is left out and listed
in `problems`, with the line.
"""

from .parse import FIELDS, Draft, Found, parse_notification

__all__ = ["FIELDS", "Draft", "Found", "parse_notification"]
