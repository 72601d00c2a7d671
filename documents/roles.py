"""Who may do what. Three groups, Reader, Editor and Admin, created by migration 0005 and kept
complete after every ``migrate`` (and every test-database flush): missing permissions are added,
none is taken away, so rights an admin gave a group by hand stay.

Views ask for a permission, never for a group, so a site can give one person a single extra
right in the admin. Reading needs ``READ`` unless ``settings.ARCHIVE_PUBLIC`` is true.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

READER, EDITOR, ADMIN = "Reader", "Editor", "Admin"

READ = "documents.read_archive"
NOTE = "documents.add_annotation"  # a private note
SHARE = "documents.share_annotation"
MODERATE = "documents.moderate_annotation"  # delete anyone's note
TAG = "documents.tag_thread"
REPAIR = "documents.repair_thread"
EDIT_PERSON_ALIASES = "documents.add_personalias"
EDIT_PLACE_ALIASES = "documents.add_jurisdictionalias"
IMPORT = "documents.import_batch"
AUDIT = "documents.view_auditentry"

_READER = [READ, NOTE]
_EDITOR = _READER + [
    TAG,
    SHARE,
    REPAIR,
    EDIT_PERSON_ALIASES,
    "documents.delete_personalias",
    EDIT_PLACE_ALIASES,
    "documents.delete_jurisdictionalias",
    "taggit.add_tag",
]
_ADMIN = _EDITOR + [
    MODERATE,
    IMPORT,
    AUDIT,
    "documents.view_batch",
    "documents.change_batch",
    "documents.delete_batch",
    "documents.view_sourcefile",
    "documents.view_threadchange",
    "auth.view_user",
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.view_group",
    "taggit.change_tag",
    "taggit.delete_tag",
]
ROLE_PERMISSIONS = {READER: _READER, EDITOR: _EDITOR, ADMIN: _ADMIN}


def grant_roles(group_model, permission_model) -> None:
    """Make each role group exist with at least its permissions. Takes the models as arguments
    so a migration can pass its historical ones."""
    for name, wanted in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for permission in wanted:
            app_label, codename = permission.split(".")
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )


def abilities(user) -> dict[str, bool]:
    """What the pages offer this user, by name (the server checks again on every write)."""
    return {
        "note": user.has_perm(NOTE),
        "share": user.has_perm(SHARE),
        "tag": user.has_perm(TAG),
        "repair": user.has_perm(REPAIR),
        "person_aliases": user.has_perm(EDIT_PERSON_ALIASES),
        "place_aliases": user.has_perm(EDIT_PLACE_ALIASES),
    }


def may_read(user) -> bool:
    return settings.ARCHIVE_PUBLIC or user.has_perm(READ)


def _refusal(permission: str) -> str:
    """The reason a page gives, naming the right as the admin's user page lists it."""
    from django.contrib.auth.models import Permission

    app_label, codename = permission.split(".")
    right = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    needed = f"“{right.name}”" if right else permission
    return f"Your account may not do this: it needs the right {needed}. Ask an admin."


def requires(permission: str):
    """The view runs only for a user holding ``permission``: anonymous visitors are sent to the
    login page, signed-in users without it get 403."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied(_refusal(permission))
            return view(request, *args, **kwargs)

        return checked

    return decorate
