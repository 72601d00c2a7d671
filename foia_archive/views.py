import logging

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from documents import roles
from foia_archive.health import check_health


@login_not_required
@never_cache
def healthz(request):
    """200 when the database and the search index answer, 503 when not. Anyone (a load balancer)
    gets only that; the parts, their reasons (which name paths) and the worker's state are for
    admins."""
    report = check_health()
    status = 200 if report["ok"] else 503
    if request.user.has_perm(roles.IMPORT):
        return JsonResponse(report, status=status)
    return JsonResponse({"ok": report["ok"]}, status=status)


@requires_csrf_token
def bad_request(request, exception):
    return _error_page(request, "400.html", 400)


@requires_csrf_token
def server_error(request):
    return _error_page(request, "500.html", 500)


def _error_page(request, template: str, status: int) -> HttpResponse:
    """An error page in the site's layout. Drawn with the request's context when that works, and
    without it when it does not (a database that is down cannot say who is logged in). Django's
    own 400 and 500 pages never use the request, so they would lose the navigation."""
    try:
        return render(request, template, status=status)
    except Exception:
        logging.getLogger(__name__).exception("the %s page could not use the request", status)
        return HttpResponse(loader.render_to_string(template), status=status)
