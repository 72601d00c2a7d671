"""Paging shared by the lists: the page a request asks for and the links to its neighbours."""

from django.core.paginator import Page, Paginator


def pages_around(page: Page, url_of) -> dict[str, str]:
    """The addresses of the pages before and after ``page``; ``url_of(number)`` makes one."""
    urls = {}
    if page.has_previous():
        urls["previous"] = url_of(page.previous_page_number())
    if page.has_next():
        urls["next"] = url_of(page.next_page_number())
    return urls


def requested_page(request, items, per_page: int) -> tuple[Page, dict[str, str]]:
    """The page of ``items`` that ``?page=N`` asks for (the last one past the end, the first for
    a bad number) and the addresses of its neighbours on the same list."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    return page, pages_around(page, lambda number: f"?page={number}")
