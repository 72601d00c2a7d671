"""Every archive model has an admin page an admin can search and filter."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from documents.audit import record
from documents.models import (
    Annotation,
    AuditEntry,
    ImportJob,
    Person,
    PersonAlias,
    Recipient,
    ThreadChange,
)
from tests.factories import make_appearance, make_document, make_file, make_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_data(admin_client, admin_user, gazetteer_db):
    """One record of every archive model, so each change page is really opened."""
    source = make_file()
    make_page(source, 1)
    person = Person.objects.create(name="David Venturella", email="david.venturella@ice.dhs.gov")
    PersonAlias.objects.create(
        person=person, alias="Venturella, David", normalized="venturella, david"
    )
    document = make_document(sender=person)
    make_appearance(document, source)
    Recipient.objects.create(document=document, field="to", raw="(b)(6)", redacted=True)
    Annotation.objects.create(thread=document.thread, author=admin_user, body="Key email.")
    record(admin_user, AuditEntry.Action.TAG_ADDED, "thread 1: Santa Clara", tag="opt-out")
    ThreadChange.objects.create(
        kind="move", target=document.thread, target_number=document.thread_id, made_by=admin_user
    )
    ImportJob.objects.create(batch=source.batch, kind="upload", created_by=admin_user)
    return admin_client


# Bookkeeping, not archive records: nothing in them for an admin to look up.
INTERNAL = {"ArchiveRevision"}
ARCHIVE_MODELS = [
    model
    for model in apps.get_app_config("documents").get_models()
    if model.__name__ not in INTERNAL
]


def test_every_archive_model_is_registered_with_search_and_filters():
    for model in ARCHIVE_MODELS:
        model_admin = admin.site._registry.get(model)
        assert model_admin, f"{model.__name__} has no admin"
        assert model_admin.search_fields, f"{model.__name__} admin cannot be searched"
        assert model_admin.list_filter, f"{model.__name__} admin cannot be filtered"


@pytest.mark.parametrize("model", ARCHIVE_MODELS, ids=lambda m: m.__name__)
def test_each_admin_list_searches_and_opens_a_record(admin_client_with_data, model):
    app_label, name = model._meta.app_label, model._meta.model_name
    changelist = reverse(f"admin:{app_label}_{name}_changelist")
    assert admin_client_with_data.get(changelist, {"q": "Santa Clara"}).status_code == 200
    record = model.objects.first()
    change = reverse(f"admin:{app_label}_{name}_change", args=[record.pk])
    page = admin_client_with_data.get(change)
    assert page.status_code == 200
    assert escape(str(record))[:20] in page.content.decode()  # the breadcrumb names it


def test_appearance_and_recipient_lists_do_not_query_per_row(
    admin_client_with_data, django_assert_max_num_queries
):
    source = make_file()
    for _ in range(10):
        make_appearance(make_document(sender=Person.objects.first()), source)
    for model in ("appearance", "recipient"):
        with django_assert_max_num_queries(12):
            assert (
                admin_client_with_data.get(
                    reverse(f"admin:documents_{model}_changelist")
                ).status_code
                == 200
            )


def test_deleting_a_batch_in_the_admin_takes_its_emails_threads_and_people(
    admin_client_with_data, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from documents.models import Batch, Document, Thread

    batch = Batch.objects.get()
    document = Document.objects.get()
    url = reverse("admin:documents_batch_delete", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_with_data.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Batch.objects.exists() and not Document.objects.exists()
    assert not Thread.objects.filter(pk=document.thread_id).exists()
    assert not Person.objects.filter(name="David Venturella").exists()
    # The index entry goes when the task worker runs the queued removal.
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "search.tasks.remove_emails" and queued.args_kwargs["args"] == [
        [document.pk]
    ]
