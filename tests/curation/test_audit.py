"""The audit log: imports, deletions, tags, notes and repairs each leave one entry naming who
and when; admins read it in the admin, nobody edits it."""

import pytest
from django.urls import reverse

from documents.audit import COMMAND_LINE
from documents.curation.tagging import add_tags
from documents.imports.deletion import delete_batch
from documents.imports.sample_batch import write_sample_batch
from documents.imports.service import BatchImporter, BatchOptions
from documents.ingest import iter_entries
from documents.models import AuditEntry, Batch
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db


def test_imports_and_deletions_are_logged_with_who_did_them(tmp_path, media_root, gazetteer_db):
    write_sample_batch(tmp_path / "release")
    admin = make_user("importer", "Admin", is_staff=True)
    BatchImporter(BatchOptions(name="sample", timezone="America/Los_Angeles"), user=admin).run(
        iter_entries([tmp_path / "release"])
    )
    imported = AuditEntry.objects.get(action=AuditEntry.Action.BATCH_IMPORTED)
    assert (imported.actor, imported.target, imported.target_url) == (
        admin,
        "sample",
        "/batches/sample/",
    )
    assert imported.details["files"] >= 1 and imported.details["new_emails"] > 0
    delete_batch(Batch.objects.get(name="sample"))
    deleted = AuditEntry.objects.get(action=AuditEntry.Action.BATCH_DELETED)
    assert deleted.actor is None and deleted.actor_name == COMMAND_LINE
    assert deleted.details["emails"] == imported.details["new_emails"]


def test_the_log_keeps_the_name_of_a_deleted_account():
    editor = make_user("temp-editor", "Editor")
    add_tags(make_document().thread, "opt-out", editor)
    editor.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.actor_name == "temp-editor"
    assert "opt-out" in entry.details["tag"]


def test_admins_read_the_log_and_nobody_changes_it(client):
    editor = make_user("editor", "Editor", is_staff=True)  # staff, but no right to the log
    add_tags(make_document(subject="Santa Clara opt out").thread, "sheriff", editor)
    entry = AuditEntry.objects.get()
    admin = make_user("boss", "Admin", is_staff=True)
    client.force_login(admin)
    listing = client.get(reverse("admin:documents_auditentry_changelist"))
    assert listing.status_code == 200 and "editor" in listing.content.decode()
    assert "Tag added" in listing.content.decode()
    assert (
        client.get(reverse("admin:documents_auditentry_change", args=[entry.pk])).status_code == 200
    )
    assert (
        client.post(
            reverse("admin:documents_auditentry_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.count() == 1
    client.force_login(editor)
    assert client.get(reverse("admin:documents_auditentry_changelist")).status_code == 403
