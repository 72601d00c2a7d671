"""An email of megabytes is shown in parts: its page shows the first part and links to the rest,
page by page, and no page fetches the whole text; the text stays whole for search and export."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.browse.reading import BODY_PART_CHARS
from documents.models import Annotation, Appearance
from tests.factories import (
    make_appearance,
    make_batch,
    make_document,
    make_file,
    make_thread,
    make_user,
)

pytestmark = pytest.mark.django_db

LINE = "Row {:06d}: detainer data pasted into the email <script>alert(1)</script>\n"
LONG_BODY = "".join(LINE.format(n) for n in range(40_000))  # about 3 MB


@pytest.fixture
def long_email():
    return make_document(thread=make_thread(subject="Data dump"), body=LONG_BODY)


def rest_link(page: str) -> str | None:
    found = re.search(r'<a [^>]*href="([^"]+)"[^>]*>Show the rest</a>', page)
    return found.group(1).replace("&amp;", "&") if found else None


def shown_rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"Row (\d{6}): detainer", page)]


def document_columns_fetched(queries: list[dict]) -> list[str]:
    """The columns of the documents table that the queries select whole."""
    selects = [q["sql"].split(" FROM ", 1)[0] for q in queries if q["sql"].startswith("SELECT")]
    return [
        column
        for select in selects
        for column in re.findall(
            r'"documents_document"\."(\w+)"', re.sub(r"\w+\([^()]*\)", "", select)
        )
    ]


def test_a_long_email_shows_its_first_part_and_the_rest_page_by_page(client, long_email):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("document", args=[long_email.pk])).content.decode()
    assert "body" not in document_columns_fetched(queries.captured_queries)
    assert len(page) < 3 * BODY_PART_CHARS  # escaping makes the part longer, not megabytes
    rows = shown_rows(page)
    assert rows[0] == 0 and rows[-1] < 39_999
    assert f"of {len(LONG_BODY):,} characters" in page
    assert "&lt;script&gt;" in page and "<script>alert" not in page

    link, parts = rest_link(page), 1
    while link:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(link)
        assert response.status_code == 200
        assert "body" not in document_columns_fetched(queries.captured_queries)
        part = response.content.decode()
        assert "<script>alert" not in part
        assert len(part) < 3 * BODY_PART_CHARS
        assert shown_rows(part)[0] == rows[-1] + 1, "each part goes on where the last ended"
        rows += shown_rows(part)
        link, parts = rest_link(part), parts + 1
    assert rows == list(range(40_000)), "every row is shown once, none cut in two"
    assert parts > len(LONG_BODY) // BODY_PART_CHARS


def test_a_short_email_has_no_rest_to_show(client):
    email = make_document(body="Counties cannot opt out.")
    page = client.get(reverse("document", args=[email.pk])).content.decode()
    assert "Counties cannot opt out." in page
    assert rest_link(page) is None


def test_the_thread_page_cuts_a_long_email_and_a_long_quoted_one(client, long_email):
    reply = make_document(thread=long_email.thread, body="See the data below.", parent=long_email)
    source = make_file(batch=make_batch())
    make_appearance(long_email, source, kind=Appearance.Kind.QUOTED, quoted_in=reply)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("thread", args=[long_email.thread_id])).content.decode()
    assert "body" not in document_columns_fetched(queries.captured_queries)
    links = re.findall(r'href="([^"]+)"[^>]*>Show the rest</a>', page)
    assert len(links) == 2  # the email itself, and where the reply quotes it
    assert len(page) < 6 * BODY_PART_CHARS
    assert client.get(links[0].replace("&amp;", "&")).status_code == 200


def test_a_part_asked_for_beyond_the_end_is_empty_not_an_error(client, long_email):
    url = reverse("document-text", args=[long_email.pk])
    for start in ("99999999999999", "-5", "abc", "²"):
        response = client.get(url, {"from": start})
        assert response.status_code == 200
    assert rest_link(client.get(url, {"from": "99999999999999"}).content.decode()) is None


def test_the_whole_text_stays_in_the_thread_export(client, long_email):
    response = client.get(reverse("thread-json", args=[long_email.thread_id]))
    assert LONG_BODY.strip() in response.content.decode().replace("\\n", "\n")


def test_a_note_on_a_passage_past_the_first_part_is_not_detached(client, long_email):
    author = make_user("reporter")
    for quote in ("Row 039999: detainer", "Row 000001: detainer", "not in this email"):
        Annotation.objects.create(
            thread=long_email.thread,
            document=long_email,
            author=author,
            body=f"About {quote}",
            quote=quote,
            visibility=Annotation.Visibility.SHARED,
        )
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("thread", args=[long_email.thread_id])).content.decode()
    assert "body" not in document_columns_fetched(queries.captured_queries)
    assert page.count('class="annotation annotation--detached"') == 1
    detached = page[page.index("annotation--detached") :]
    assert "not in this email" in detached[: detached.index("</article>")]
