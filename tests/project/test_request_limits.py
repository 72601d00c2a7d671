"""Large bodies only where they belong: anyone posting more than REQUEST_BODY_MAX_BYTES gets
413 before a byte of it is read or stored, except an admin uploading a release to the import
pages, whose upload still streams to temporary files."""

import io
import zipfile

import pytest
from django.core.files import uploadhandler
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import multipartparser
from django.urls import reverse

from documents.imports.sample_batch import write_sample_batch
from documents.models import Batch, ImportJob
from tests.factories import make_user

pytestmark = pytest.mark.django_db
FIVE_MB = 5 * 1024**2


def post_batch(client, name: str, files: list[SimpleUploadedFile]):
    data = {"name": name, "title": "", "timezone": "America/Los_Angeles", "files": files}
    return client.post(reverse("batch-new"), data)


def sample_zip(tmp_path) -> bytes:
    write_sample_batch(tmp_path / "release")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted((tmp_path / "release").iterdir()):
            archive.write(path, f"release/{path.name}")
    return buffer.getvalue()


@pytest.fixture
def reads(monkeypatch):
    """Every multipart body parsed and every temporary file an upload was written to."""
    seen = {"parsed": 0, "temporary_files": 0}

    class CountedParser(multipartparser.MultiPartParser):
        def parse(self):
            seen["parsed"] += 1
            return super().parse()

    class CountedFile(uploadhandler.TemporaryUploadedFile):
        def __init__(self, *args, **kwargs):
            seen["temporary_files"] += 1
            super().__init__(*args, **kwargs)

    monkeypatch.setattr("django.http.request.MultiPartParser", CountedParser)
    monkeypatch.setattr(uploadhandler, "TemporaryUploadedFile", CountedFile)
    return seen


def test_a_5_mb_post_to_the_login_page_is_refused_unread(client, reads):
    big = SimpleUploadedFile("big.bin", b"0" * FIVE_MB)
    response = client.post(reverse("login"), {"username": "admin", "password": "x", "f": big})
    assert response.status_code == 413
    assert "too large: this address takes at most 1.0\xa0MB" in response.content.decode()
    assert reads == {"parsed": 0, "temporary_files": 0}


def test_small_posts_still_work_and_keep_any_file_in_memory(client, reads):
    make_user("reader", "Reader")
    small = SimpleUploadedFile("note.txt", b"hello")
    response = client.post(
        reverse("login"),
        {"username": "reader", "password": "a long test passphrase", "f": small},
    )
    assert response.status_code == 302  # logged in
    assert reads == {"parsed": 1, "temporary_files": 0}


def test_a_chunked_body_is_refused_with_a_reason(client):
    response = client.post(reverse("login"), b"x", "text/plain", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()


@pytest.mark.parametrize("role", [None, "Editor"])
def test_only_an_admin_may_post_a_large_body_to_the_import_page(client, media_root, role, reads):
    if role:
        client.force_login(make_user("editor", role))
    big = SimpleUploadedFile("release.pdf", b"%PDF-1.4" + b"0" * FIVE_MB)
    response = post_batch(client, "big", [big])
    assert response.status_code == 413
    assert reads == {"parsed": 0, "temporary_files": 0}
    assert not Batch.objects.exists()


def test_an_admins_import_upload_still_streams_to_disk_and_is_queued(
    client, media_root, gazetteer_db, tmp_path, settings, reads
):
    settings.REQUEST_BODY_MAX_BYTES = 1000  # the release is larger than the site's limit
    client.force_login(make_user("importer", "Admin"))
    release = sample_zip(tmp_path)
    assert len(release) > settings.REQUEST_BODY_MAX_BYTES
    response = post_batch(client, "ice-2010", [SimpleUploadedFile("release.zip", release)])
    assert response.status_code == 302
    assert response["Location"] == reverse("batch-import", args=["ice-2010"])
    assert ImportJob.objects.get().status == ImportJob.Status.QUEUED
    assert reads == {"parsed": 1, "temporary_files": 1}
