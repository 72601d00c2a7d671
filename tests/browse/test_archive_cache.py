"""Figures kept per revision of the archive: reused while the emails stay the same, recomputed
as soon as an import or a batch deletion changes them."""

import pytest
from django.urls import reverse

from documents.archive_cache import archive_changed, kept, revision
from documents.imports.deletion import delete_batch
from documents.imports.sample_batch import write_sample_batch
from documents.models import Batch, Document
from tests.conftest import run_import

pytestmark = pytest.mark.django_db


def test_a_figure_is_computed_once_per_revision():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert kept("answer", compute) == 1
    assert kept("answer", compute) == 1
    archive_changed()
    assert kept("answer", compute) == 2


def test_imports_and_deletions_move_the_revision_and_the_pages_follow(
    client, tmp_path, media_root, gazetteer_db
):
    def emails_on_home() -> int:
        timeline = client.get(reverse("home")).context["timeline"]
        return timeline.total if timeline else 0

    def people_listed() -> int:
        return client.get(reverse("people")).context["page"].paginator.count

    assert emails_on_home() == 0
    before = revision()
    write_sample_batch(tmp_path / "release")
    run_import([tmp_path / "release"], name="sample")
    assert revision() > before
    dated = Document.objects.exclude(sent_at=None).count()
    assert emails_on_home() == dated > 0
    venturella = client.get(reverse("people"), {"name": "Venturella"}).context["page"]
    assert venturella.object_list[0].sent > 0
    assert people_listed() > 0

    delete_batch(Batch.objects.get(name="sample"))
    assert emails_on_home() == 0
    assert people_listed() == 0
