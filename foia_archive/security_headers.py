"""The Content-Security-Policy header (Django 5.2 has none built in): a page runs only the
site's own script files, so a released email or a note that slipped past escaping still could
not run a script."""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Pages only: a PDF or a JSON answer is not a document that runs scripts.
        if response.get("Content-Type", "").startswith("text/html"):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
