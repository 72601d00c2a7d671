"""The Reader, Editor and Admin groups with their permissions (the table is in
documents/roles.py, which also keeps the groups complete after later migrations)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from documents.roles import ROLE_PERMISSIONS, grant_roles


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    grant_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_roles_audit_repair"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
