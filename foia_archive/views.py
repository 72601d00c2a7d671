from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from foia_archive.health import check_health


@login_not_required
@never_cache
def healthz(request):
    """200 when the database and the search index answer, 503 (with the reason) when not."""
    report = check_health()
    return JsonResponse(report, status=200 if report["ok"] else 503)
