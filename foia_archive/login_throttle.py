"""Login throttling beyond django-axes' per username and address: one address trying many
usernames (a password sprayed across accounts) is stopped too, after
``LOGIN_FAILURES_PER_ADDRESS`` failures within the cool-off time."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressThrottlingHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self._address_exhausted(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """The failure that reaches the address's limit is answered as locked already, as
        django-axes answers the one that reaches a username's."""
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None and self._address_exhausted(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def _address_exhausted(self, request) -> bool:
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        return failures >= settings.LOGIN_FAILURES_PER_ADDRESS


def client_address(request) -> str | None:
    """The client's address. Behind a proxy that ends TLS (SECURE_PROXY_SSL_HEADER set), that
    is the last address the proxy added to X-Forwarded-For: REMOTE_ADDR is the proxy's own,
    shared by every visitor, and the earlier entries are whatever the client sent."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.SECURE_PROXY_SSL_HEADER and forwarded.strip():
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")
