"""The home page, the health endpoint and the search box, as a visitor gets them."""

import pytest
from django.urls import reverse

from search._index import ensure_index
from tests.factories import make_batch, make_document, make_file, make_page, make_user

pytestmark = pytest.mark.django_db


def test_home_page_shows_the_archive_counts(client):
    batch = make_batch(
        title="ICE Secure Communities, part 1", agency="U.S. Immigration and Customs Enforcement"
    )
    source = make_file(batch=batch)
    for number in (1, 2, 3):
        make_page(source, number, needs_ocr=number == 3)
    make_document()
    make_document()
    page = client.get(reverse("home")).content.decode()
    assert '<div class="count"><dt>Pages</dt><dd>3</dd></div>' in page
    assert '<div class="count"><dt>Emails</dt><dd>2</dd></div>' in page
    assert '<div class="count"><dt>Batches</dt><dd>' in page
    assert "1 page still needs OCR" in page
    assert "ICE Secure Communities, part 1" in page


def test_released_text_is_escaped_on_the_home_page(client):
    make_batch(title='<script>alert("x")</script> release')
    page = client.get(reverse("home")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; release" in page


def test_an_empty_archive_says_how_to_import(client):
    page = client.get(reverse("home")).content.decode()
    assert "No batches yet" in page
    assert "import_batch" in page


def test_healthz_is_ok_when_database_and_index_answer(client, search_index_dir):
    ensure_index()
    client.force_login(make_user("admin", "Admin"))  # anyone else is told only "ok"
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is True
    assert report["database"]["ok"] is True
    assert report["search_index"] == {"ok": True, "detail": "ok", "documents": 0}
    assert report["ocr"]["available"] is True and "Tesseract" in report["ocr"]["detail"]


def test_healthz_says_when_ocr_is_unavailable(client, search_index_dir, monkeypatch, tmp_path):
    ensure_index()
    monkeypatch.setenv("PATH", str(tmp_path))
    client.force_login(make_user("admin", "Admin"))
    report = client.get("/healthz").json()
    assert report["ocr"] == {"available": False, "detail": "OCR unavailable: install tesseract-ocr"}
    assert report["ok"] is True  # the archive works; scans wait as "needs OCR"


def test_healthz_reports_a_missing_index_as_unavailable(client, search_index_dir):
    client.force_login(make_user("admin", "Admin"))
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["database"]["ok"] is True
    assert report["search_index"]["ok"] is False
    assert "no search index" in report["search_index"]["detail"]
    assert not search_index_dir.exists(), "a health check must never create the index"


def test_search_box_finds_an_indexed_email(client, search_index_dir):
    from haystack import connections

    ensure_index()
    document = make_document(
        subject="Opt-out request from Santa Clara County", body="Secure Communities deployment"
    )
    connections["default"].get_backend().update(
        connections["default"].get_unified_index().get_index(type(document)), [document]
    )
    found = client.get(reverse("search:results"), {"q": "deployment"}).content.decode()
    assert "1 email match" in found
    assert "Opt-out request from Santa Clara County" in found
    missing = client.get(reverse("search:results"), {"q": "zebra"}).content.decode()
    assert "No emails match" in missing


def test_search_without_an_index_says_so_and_never_creates_one(client, search_index_dir):
    page = client.get(reverse("search:results"), {"q": "opt out"}).content.decode()
    assert "Search is not available yet" in page
    assert not search_index_dir.exists()
