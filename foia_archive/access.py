"""Reading the archive needs an account with a role unless ``ARCHIVE_PUBLIC`` is set.

Views marked with Django's ``login_not_required`` (login, password reset, the health check) and
the admin site, which has its own login, are left alone. Writes check their own permission
(``documents.roles.requires``); this only guards reading.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse

from documents.roles import may_read


class ArchiveAccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "login_required", True) is False:
            return None
        if request.resolver_match and request.resolver_match.app_name == "admin":
            return None
        if may_read(request.user):
            return None
        if request.path.startswith("/api/"):  # a program, not a person: no login page
            return JsonResponse({"error": "This archive is not public; log in first."}, status=401)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied("Your account has no role in this archive yet; ask an admin.")


def archive_access(request) -> dict:
    """``may_read`` for the templates: a visitor who may not read the archive is shown the login
    link, not a navigation whose every link would send them back to it. A request refused
    before the login middleware ran (a wrong Host) has no user yet."""
    return {"may_read": may_read(getattr(request, "user", None) or AnonymousUser())}
