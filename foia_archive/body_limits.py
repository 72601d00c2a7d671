"""A request body over ``REQUEST_BODY_MAX_BYTES`` is refused with 413 by its declared length,
before anything reads it: otherwise any visitor could make the server take in gigabytes through
the login form. Only an admin posting to a view that takes uploads (``documents.imports.uploads.
accepts_upload``, which has its own, larger limit) gets past it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import Resolver404, get_resolver

from documents import roles


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_TRANSFER_ENCODING" in request.META:
            # Django reads no body without a Content-Length, so a chunked one would arrive empty.
            return _refuse(411, "Send the request with a Content-Length, not in chunks.")
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if not declared.isdigit():
            return _refuse(400, f"Content-Length {declared!r} is not a number of bytes.")
        if int(declared) > settings.REQUEST_BODY_MAX_BYTES and not _may_upload(request):
            limit = filesizeformat(settings.REQUEST_BODY_MAX_BYTES)
            return _refuse(413, f"The request is too large: this address takes at most {limit}.")
        return self.get_response(request)


def _may_upload(request) -> bool:
    """An admin (who may import) posting to a view that takes uploads."""
    try:
        match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return False
    return getattr(match.func, "takes_uploads", False) and request.user.has_perm(roles.IMPORT)


def _refuse(status: int, reason: str) -> HttpResponse:
    return HttpResponse(reason, status=status, content_type="text/plain; charset=utf-8")
