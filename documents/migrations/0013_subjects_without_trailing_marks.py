"""Subjects are keyed without the marks at their end (documents.ingest.subjects): keys written
before keep their dot or dash until recomputed here, or a rescanned copy would not match."""

from django.db import migrations

from documents.ingest.subjects import normalize_subject

ENDS_IN_A_MARK = r"[ .,;:·~_–—-]$"


def recompute(apps, schema_editor):
    for model in (apps.get_model("documents", "Document"), apps.get_model("documents", "Thread")):
        marked = model.objects.filter(normalized_subject__regex=ENDS_IN_A_MARK)
        for row in marked.only("pk", "normalized_subject").iterator():
            key = normalize_subject(row.normalized_subject)
            model.objects.filter(pk=row.pk).update(normalized_subject=key)


class Migration(migrations.Migration):
    dependencies = [("documents", "0012_ocr_settings_words_searchable_pdf")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
