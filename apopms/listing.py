"""Search and pages for the portal's lists; what a list shows stays in its URL (`?q=…&page=2`).

`search` reads a query as words: a row matches when every word is found (case-insensitively, anywhere)
in one of the given fields, so "kumar colombo" finds Ravi Kumar of a Colombo organization. The queryset
it narrows is the one the person may see already (their country's, their project's): a search never
widens it. `paginate` gives the page asked for, the last one for a number past the end.
"""

from functools import reduce
from operator import or_

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import Q

MAX_WORDS = 8
PAGE_SIZE = 50


class SearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200, strip=True)


def words(query):
    """The words of a query, at most MAX_WORDS (a pasted paragraph does not make a hundred LIKEs)."""
    return (query or "").split()[:MAX_WORDS]


def search(queryset, query, fields):
    """`queryset` narrowed to rows where each word of `query` is in one of `fields` (ORM paths)."""
    for word in words(query):
        queryset = queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)))
    return queryset


def matches(text_fields, query):
    """The same rule for rows already in memory: each word in one of `text_fields` (strings)."""
    texts = [str(text or "").casefold() for text in text_fields]
    return all(any(word.casefold() in text for text in texts) for word in words(query))


def paginate(request, items, per_page=PAGE_SIZE, *, count_first_page=False):
    """The page of `items` the request asks for.

    With `count_first_page`, the first page is read with one row more than it shows: a list that
    fits on it is counted from its rows, which spares the COUNT query of most officers' lists.
    """
    number = request.GET.get("page")
    if not count_first_page or number not in (None, "", "1"):
        return Paginator(items, per_page).get_page(number)
    rows = list(items[: per_page + 1])
    if len(rows) <= per_page:
        return Paginator(rows, per_page).page(1)
    paginator = Paginator(items, per_page)  # more than one page: COUNT as usual, the rows read once
    return Page(rows[:per_page], 1, paginator)


def query_without_page(request):
    """The list's filters and search, for links to its exports (which take every page)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
