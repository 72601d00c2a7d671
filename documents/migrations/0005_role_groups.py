"""The Reader, Editor and Admin groups with their permissions (see documents/roles.py).

The permission table is frozen here, as a migration must be; later changes get a migration of
their own."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READER = [
    ("documents", "read_archive"),
    ("documents", "add_annotation"),
]
EDITOR = READER + [
    ("documents", "tag_thread"),
    ("documents", "share_annotation"),
    ("documents", "repair_thread"),
    ("documents", "add_personalias"),
    ("documents", "delete_personalias"),
    ("documents", "add_jurisdictionalias"),
    ("documents", "delete_jurisdictionalias"),
    ("taggit", "add_tag"),
]
ADMIN = EDITOR + [
    ("documents", "moderate_annotation"),
    ("documents", "import_batch"),
    ("documents", "view_batch"),
    ("documents", "change_batch"),
    ("documents", "delete_batch"),
    ("documents", "view_sourcefile"),
    ("documents", "view_auditentry"),
    ("documents", "view_threadchange"),
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "delete_user"),
    ("auth", "view_group"),
    ("taggit", "change_tag"),
    ("taggit", "delete_tag"),
]
ROLES = {"Reader": READER, "Editor": EDITOR, "Admin": ADMIN}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0004_roles_audit_repair"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
