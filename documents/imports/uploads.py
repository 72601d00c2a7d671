"""The import pages' uploads go straight to temporary files on disk, and a request stops being
read once it passes ``IMPORT_UPLOAD_MAX_BYTES``: a release of several gigabytes never sits in
memory, and an upload over the limit fills no disk. Every other view keeps the site's small
limit (foia_archive/body_limits.py) and never writes an upload to disk."""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import QueryDict
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.received = 0
        self.request.upload_too_large = content_length > settings.IMPORT_UPLOAD_MAX_BYTES
        if self.request.upload_too_large:  # nothing of it is read
            return QueryDict(), MultiValueDict()
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_UPLOAD_MAX_BYTES:  # a body longer than it declared
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


def too_large(request) -> bool:
    """Whether the request is (or says it is) over the limit; asked before its body is read."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    over = declared.isdigit() and int(declared) > settings.IMPORT_UPLOAD_MAX_BYTES
    return over or getattr(request, "upload_too_large", False)


def accepts_upload(view):
    """For views that take files, inside ``roles.requires``: an admin's upload is refused by its
    declared size before CSRF checking would read (and store) its body, then read to temporary
    files by ``SizeLimitedUploadHandler`` while the CSRF check runs as usual. The mark lets the
    site's small body limit pass an admin's request through to here."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method == "POST" and too_large(request):
            limit = filesizeformat(settings.IMPORT_UPLOAD_MAX_BYTES)
            return render(request, "documents/upload_too_large.html", {"limit": limit}, status=413)
        request.upload_handlers = [SizeLimitedUploadHandler(request)]
        return protected(request, *args, **kwargs)

    checked.takes_uploads = True
    return checked
