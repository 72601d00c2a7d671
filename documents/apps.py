from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


def _complete_role_groups(sender, **kwargs) -> None:
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    from documents.roles import grant_roles

    # Apps after this one in INSTALLED_APPS (taggit) get their permissions only later.
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    grant_roles(Group, Permission)


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Archive"

    def ready(self) -> None:
        post_migrate.connect(_complete_role_groups, sender=self)
