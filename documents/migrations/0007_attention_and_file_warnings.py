from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0006_import_job")]

    operations = [
        migrations.RenameField("batch", "failed_file_count", "attention_file_count"),
        migrations.AlterField(
            model_name="batch",
            name="attention_file_count",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Failed, encrypted or needing OCR (SourceFile.NEEDS_ATTENTION).",
                verbose_name="files needing attention",
            ),
        ),
        migrations.AlterField(
            model_name="batch",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "Waiting to import"),
                    ("importing", "Importing"),
                    ("imported", "Imported"),
                    ("partial", "Imported; some files need attention"),
                ],
                default="pending",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="sourcefile",
            name="warnings",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text='What the import could not read in full: [{"text", "document", "page"}].',
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="failures",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="Files that needed attention: [[file name, reason]].",
            ),
        ),
        # Batches imported before counted only failed files.
        migrations.RunSQL(
            """
            UPDATE documents_batch AS b SET attention_file_count = (
                SELECT count(*) FROM documents_sourcefile AS f
                WHERE f.batch_id = b.id AND f.status IN ('failed', 'encrypted', 'needs_ocr')
            )
            """,
            migrations.RunSQL.noop,
        ),
    ]
