from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _complete_role_groups(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    from documents.roles import grant_roles

    grant_roles(Group, Permission)


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Archive"

    def ready(self) -> None:
        # After auth has created the permissions (auth comes first in INSTALLED_APPS).
        post_migrate.connect(_complete_role_groups, sender=self)
