"""Subjects are keyed without the marks at their end (documents.ingest.subjects): keys written
before keep their dot or dash until trimmed here, or a rescanned copy would not match."""

from django.db import migrations
from django.db.models import F, Func, Value

# documents.ingest.subjects._TRAILING_MARKS when this was written.
TRAILING_MARKS = " .,;:·-–—~_"


def trim(apps, schema_editor):
    for model in (apps.get_model("documents", "Document"), apps.get_model("documents", "Thread")):
        model.objects.update(
            normalized_subject=Func(
                F("normalized_subject"), Value(TRAILING_MARKS), function="rtrim"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0012_ocr_settings_words_searchable_pdf")]

    operations = [migrations.RunPython(trim, migrations.RunPython.noop)]
