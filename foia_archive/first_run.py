"""Things a fresh installation needs once."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD_BYTES = 15  # 20 URL-safe characters


def create_admin_if_missing() -> str | None:
    """Create the ``admin`` superuser with a random password when no superuser exists yet.

    Returns the password, to be shown once, or None when a superuser was already there.
    """
    users = get_user_model()
    if users.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(ADMIN_PASSWORD_BYTES)
    users.objects.create_superuser(ADMIN_USERNAME, email="", password=password)
    return password
