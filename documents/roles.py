"""Who may do what. Three groups, created by migration 0004: Reader, Editor and Admin.

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


def requires(permission: str):
    """The view runs only for a user holding ``permission``: anonymous visitors are sent to the
    login page, signed-in users without it get 403."""

    def decorate(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied(f"Your account may not do this ({permission}).")
            return view(request, *args, **kwargs)

        return checked

    return decorate
