from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0007_attention_and_file_warnings"),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="case_number",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="page",
            name="document_number",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="page",
            name="release_date",
            field=models.DateField(blank=True, help_text="Date of the release stamp.", null=True),
        ),
        migrations.AddField(
            model_name="page",
            name="release_status",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="document",
            name="subject_inferred",
            field=models.BooleanField(
                default=False,
                help_text="No Subject line printed: the subject of the email quoting it.",
            ),
        ),
        migrations.AddField(
            model_name="document",
            name="kind",
            field=models.CharField(
                choices=[
                    ("email", "Email"),
                    ("letter", "Letter"),
                    ("memo", "Memo"),
                    ("attachment", "Attachment"),
                    ("other", "Other document"),
                ],
                default="email",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="batch",
            name="place_states",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="States of the places found in the release, counted: the states a bare "
                "town name in it is read in.",
            ),
        ),
    ]
