"""Every write is checked on the server: each role against each write endpoint. A denied write
changes nothing (no audit entry appears); an allowed one goes through. A URL added to the
archive without a place in this matrix fails the completeness test."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from documents.curation import annotations, thread_repair
from documents.models import (
    AuditEntry,
    ImportJob,
    Jurisdiction,
    JurisdictionAlias,
    Person,
    PersonAlias,
)
from tests.factories import make_document, make_file, make_person, make_thread, make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "Reader", "Editor", "Admin"]
EDITORS = {"Editor", "Admin"}
EVERYONE = {"Reader", "Editor", "Admin"}
# Pages anyone who may read opens; none of them changes anything.
READ_ONLY = {
    "home",
    "document",
    "document-text",
    "threads",
    "thread",
    "thread-json",
    "thread-mbox",
    "source-original",
    "source-searchable",
    "files-attention",
    "page-text",
    "people",
    "person",
    "jurisdictions",
    "jurisdiction",
    "batches",
    "batch",
    "tags",
    "tag",
    "user-notes",
    "thread-notes-csv",
}


@pytest.fixture
def world(gazetteer_db, media_root):
    """Two threads, a shared note by the editor, a repair, aliases: something for every write."""
    editor = make_user("editor", "Editor")
    users = {
        "Reader": make_user("reader", "Reader"),
        "Editor": editor,
        "Admin": make_user("admin", "Admin", is_staff=True),
    }
    first = make_document(thread=make_thread(subject="Opt out"))
    make_document(thread=first.thread, subject="RE: Opt out", body="Second.")
    other = make_document(thread=make_thread(subject="Elsewhere"), subject="Elsewhere", body="x")
    first.thread.tags.add("opt-out")
    note = annotations.add_note(first.thread, editor, "Key email.", "shared")
    third = make_document(thread=make_thread(subject="Lone"), subject="Lone", body="y")
    change = thread_repair.move_email(third, None, editor)
    person = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    PersonAlias.objects.create(
        person=person, alias="Venturella, David", normalized="name:david venturella"
    )
    place = Jurisdiction.objects.get(slug="ca-county-santa-clara-county")
    alias = JurisdictionAlias.objects.create(
        jurisdiction=place, alias="S. Clara Co", normalized="s clara co"
    )
    failed = make_file(original_name="broken.pdf", status="failed", error="damaged")
    ImportJob.objects.create(
        batch=failed.batch, kind="upload", status="finished", source_dirs=["/nowhere"]
    )
    AuditEntry.objects.all().delete()
    return {
        "failed": failed,
        "users": users,
        "thread": first.thread,
        "other": other.thread,
        "email": first,
        "note": note,
        "change": change,
        "person": person,
        "place": place,
        "alias": alias,
    }


def _person_alias(w):
    return PersonAlias.objects.get(person=w["person"]).pk


# name, method, url(world), data(world), roles allowed, whether it writes (an audit entry)
ENDPOINTS = [
    (
        "thread-tags",
        "post",
        lambda w: reverse("thread-tags", args=[w["thread"].pk]),
        lambda w: {"tags": "sheriff"},
        EDITORS,
        True,
    ),
    (
        "thread-tag-remove",
        "post",
        lambda w: reverse("thread-tag-remove", args=[w["thread"].pk, "opt-out"]),
        lambda w: {},
        EDITORS,
        True,
    ),
    (
        "tag-suggestions",
        "get",
        lambda w: reverse("tag-suggestions") + "?tags=op",
        lambda w: {},
        EDITORS,
        False,
    ),
    (
        "thread-note-add",
        "post",
        lambda w: reverse("thread-note-add", args=[w["thread"].pk]),
        lambda w: {"body": "Mine.", "visibility": "private"},
        EVERYONE,
        True,
    ),
    (
        "note-edit",
        "post",
        lambda w: reverse("note-edit", args=[w["note"].pk]),
        lambda w: {"body": "Changed.", "visibility": "shared"},
        {"Editor"},
        True,
    ),
    (
        "note-delete",
        "post",
        lambda w: reverse("note-delete", args=[w["note"].pk]),
        lambda w: {},
        EDITORS,
        True,
    ),
    ("my-notes", "get", lambda w: reverse("my-notes"), lambda w: {}, EVERYONE, False),
    (
        "thread-merge",
        "post",
        lambda w: reverse("thread-merge", args=[w["other"].pk]),
        lambda w: {"target": w["thread"].pk},
        EDITORS,
        True,
    ),
    (
        "email-move",
        "post",
        lambda w: reverse("email-move", args=[w["email"].pk]),
        lambda w: {"target": "new"},
        EDITORS,
        True,
    ),
    ("thread-changes", "get", lambda w: reverse("thread-changes"), lambda w: {}, EDITORS, False),
    (
        "thread-change-undo",
        "post",
        lambda w: reverse("thread-change-undo", args=[w["change"].pk]),
        lambda w: {},
        EDITORS,
        True,
    ),
    (
        "person-alias-add",
        "post",
        lambda w: reverse("person-alias-add", args=[w["person"].pk]),
        lambda w: {"alias": "D. Venturella <dventurella@ice.gov>"},
        EDITORS,
        True,
    ),
    (
        "person-alias-remove",
        "post",
        lambda w: reverse("person-alias-remove", args=[w["person"].pk, _person_alias(w)]),
        lambda w: {},
        EDITORS,
        True,
    ),
    (
        "place-alias-add",
        "post",
        lambda w: reverse("place-alias-add", args=[w["place"].slug]),
        lambda w: {"alias": "Santa Clara Cty"},
        EDITORS,
        True,
    ),
    (
        "place-alias-remove",
        "post",
        lambda w: reverse("place-alias-remove", args=[w["place"].slug, w["alias"].pk]),
        lambda w: {},
        EDITORS,
        True,
    ),
    (
        "batch-new",
        "post",
        lambda w: reverse("batch-new"),
        lambda w: {
            "name": "matrix",
            "timezone": "UTC",
            "files": [SimpleUploadedFile("a.eml", b"From: a@b.c\nTo: d@e.f\nSubject: x\n\nHi")],
        },
        {"Admin"},
        False,
    ),
    (
        "batch-import",
        "get",
        lambda w: reverse("batch-import", args=[w["failed"].batch.name]),
        lambda w: {},
        {"Admin"},
        False,
    ),
    (
        "batch-import-status",
        "get",
        lambda w: reverse("batch-import-status", args=[w["failed"].batch.name]),
        lambda w: {},
        {"Admin"},
        False,
    ),
    (
        "batch-retry",
        "post",
        lambda w: reverse("batch-retry", args=[w["failed"].batch.name]),
        lambda w: {},
        {"Admin"},
        False,
    ),
    (
        "batch-ocr",
        "post",
        lambda w: reverse("batch-ocr", args=[w["failed"].batch.name]),
        lambda w: {},
        {"Admin"},
        False,
    ),
    (
        "batch-file-replace",
        "post",
        lambda w: reverse("batch-file-replace", args=[w["failed"].batch.name, w["failed"].pk]),
        lambda w: {"file": SimpleUploadedFile("broken.pdf", b"%PDF-1.4 fixed")},
        {"Admin"},
        False,
    ),
    (
        "batch-delete",
        "post",
        lambda w: reverse("batch-delete", args=[w["failed"].batch.name]),
        lambda w: {},
        {"Admin"},
        True,
    ),
    (
        "admin-audit-log",
        "get",
        lambda w: reverse("admin:documents_auditentry_changelist"),
        lambda w: {},
        {"Admin"},
        False,
    ),
    (
        "admin-users",
        "post",
        lambda w: reverse("admin:auth_user_add"),
        lambda w: {
            "username": "newbie",
            "password1": "a long new passphrase 1",
            "password2": "a long new passphrase 1",
            "usable_password": "true",
        },
        {"Admin"},
        False,
    ),
]
LOGIN_PAGES = (reverse("login"), reverse("admin:login"))
# Writes whose effect is a queued import job (the audit entry comes when the worker finishes).
JOBS_QUEUED = {"batch-new", "batch-retry", "batch-file-replace"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e[0])
def test_each_role_against_each_write(client, world, endpoint, role):
    name, method, url, data, allowed, writes = endpoint
    if role != "anonymous":
        client.force_login(world["users"][role])
    jobs = ImportJob.objects.count()
    response = getattr(client, method)(url(world), data(world))
    location = response.get("Location", "")
    if role in allowed:
        assert response.status_code < 400, f"{role} may use {name}: {response.status_code}"
        assert not location.startswith(LOGIN_PAGES), f"{role} was sent to log in for {name}"
        if writes:
            assert AuditEntry.objects.exists(), f"{name} by {role} did nothing"
    else:
        if role == "anonymous":
            assert response.status_code == 302 and location.startswith(LOGIN_PAGES), name
        else:
            denied = response.status_code == 403 or location.startswith(reverse("admin:login"))
            assert denied, f"{role} must not use {name}: {response.status_code} {location}"
        assert not AuditEntry.objects.exists(), f"a denied {name} by {role} changed something"
    if name in JOBS_QUEUED:
        assert (ImportJob.objects.count() > jobs) == (role in allowed), f"{name} by {role}"
    if name == "admin-users":
        from django.contrib.auth import get_user_model

        assert get_user_model().objects.filter(username="newbie").exists() == (role in allowed)


def test_every_address_of_the_site_is_in_the_matrix_or_read_only():
    names = set()
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", [pattern]):
            if getattr(inner, "name", None) and getattr(pattern, "app_name", None) not in (
                "admin",
                "search",
            ):
                names.add(inner.name)
    accounts = {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
    matrix = {endpoint[0] for endpoint in ENDPOINTS}
    unplaced = names - READ_ONLY - matrix - accounts - {"healthz", "api-search"}
    assert not unplaced, f"add these to the permission matrix: {sorted(unplaced)}"


def test_writes_without_a_csrf_token_are_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["Admin"])
    for name, method, url, data, _allowed, _writes in ENDPOINTS:
        if method == "post":
            response = client.post(url(world), data(world))
            assert response.status_code == 403, name
    assert not AuditEntry.objects.exists() and ImportJob.objects.count() == 1


def test_a_reader_cannot_share_a_note_even_by_posting_it(client, world):
    client.force_login(world["users"]["Reader"])
    client.post(
        reverse("thread-note-add", args=[world["thread"].pk]),
        {"body": "Look", "visibility": "shared"},
    )
    assert not world["thread"].annotations.filter(body="Look").exists()
    assert Person.objects.count() == 1
