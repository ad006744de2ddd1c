"""Pages of a list whose size is already known (counted with others in one query)."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A Paginator told its count, so several lists on one page cost one COUNT query together."""

    def __init__(self, object_list, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def page_of(queryset: QuerySet, *, count: int, per_page: int, number: str | None) -> Page:
    """The page `number` asks for (a bad or too large one gives the first or the last page),
    its rows fetched now: a view may annotate them and the template shows the same objects."""
    page = CountedPaginator(queryset, per_page, count=count).get_page(number)
    page.object_list = list(page.object_list) if count else []
    return page
