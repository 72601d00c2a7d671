"""Error pages (400, 403, 404, 500) in the site's layout; refused requests logged in one line."""

import io
import logging

import pytest
from django.test import Client
from django.urls import reverse

from documents.browse import reading_views
from foia_archive import access
from foia_archive.log_filters import ClientErrorsInOneLine
from tests.factories import make_user

NAVIGATION = '<nav class="site-nav" aria-label="Main">'


@pytest.fixture
def console():
    """What the site's console log handler writes, while the test runs."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, ClientErrorsInOneLine) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_not_found_uses_the_layout_and_names_the_address(client, db):
    response = client.get("/threads/999999/")
    page = response.content.decode()
    assert response.status_code == 404
    assert NAVIGATION in page and 'href="/threads/"' in page
    assert "<h1>Not found</h1>" in page and "<code>/threads/999999/</code>" in page


def test_not_allowed_uses_the_layout(client, db, settings):
    settings.ARCHIVE_PUBLIC = False
    client.force_login(make_user("norole"))  # an account no admin has given a role yet
    response = client.get(reverse("threads"))
    page = response.content.decode()
    assert response.status_code == 403
    assert NAVIGATION in page and "<h1>Not allowed</h1>" in page
    assert "Log out norole" in page
    assert 'href="/threads/"' not in page, "no links that would be refused too"


def test_bad_request_uses_the_layout(client, db):
    response = client.get("/", HTTP_HOST="not-this-archive.example")
    page = response.content.decode()
    assert response.status_code == 400
    assert NAVIGATION in page and "<h1>Bad request</h1>" in page
    assert "not-this-archive" not in page, "the refused host is logged, not shown"


def test_server_error_uses_the_layout(db, monkeypatch):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(reading_views, "archive_counts", broken)
    response = Client(raise_request_exception=False).get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 500
    assert NAVIGATION in page and 'href="/threads/"' in page
    assert "<h1>Something went wrong</h1>" in page and "a bug" not in page


def test_server_error_page_is_drawn_even_when_the_request_cannot_be_used(db, monkeypatch):
    def database_down(user):
        raise RuntimeError("database down")

    monkeypatch.setattr(access, "may_read", database_down)
    response = Client(raise_request_exception=False).get(reverse("search:help"))
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in page and "FOIA Email Archive" in page


def test_refused_requests_are_logged_in_one_line_and_a_500_with_its_traceback(
    client, db, settings, console, monkeypatch
):
    stranger = Client()
    stranger.force_login(make_user("norole"))
    console.truncate(0)
    client.get("/threads/999999/")
    client.get("/", HTTP_HOST="not-this-archive.example")
    settings.ARCHIVE_PUBLIC = False
    stranger.get(reverse("threads"))
    refused = console.getvalue()
    lines = [line for line in refused.splitlines() if line.strip()]
    assert len(lines) == 3, refused
    assert "Not Found: /threads/999999/" in lines[0]
    assert "not-this-archive.example" in lines[1]
    assert "Forbidden (Permission denied): /threads/" in lines[2]
    assert "Traceback" not in refused

    settings.ARCHIVE_PUBLIC = True
    monkeypatch.setattr(reading_views, "archive_counts", lambda: 1 / 0)
    Client(raise_request_exception=False).get(reverse("home"))
    assert "Traceback" in console.getvalue() and "ZeroDivisionError" in console.getvalue()
