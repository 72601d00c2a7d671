"""Things a fresh installation needs once."""

from __future__ import annotations

import os
import secrets
import tempfile

from django.conf import settings
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


def show_password(password: str, output) -> str:
    """Show the first admin password where only a person sees it, and return what to print on
    ``output`` in its place. The output of a server started in the background or as a service is
    usually kept in a log file, which must not hold a password: it goes to ``output`` when that
    is a terminal, else to the terminal serve was started from, else (no terminal at all) to a
    new file only this user may read."""
    if output.isatty():
        return f"password: {password}"
    try:
        with open("/dev/tty", "w") as terminal:
            terminal.write(f"Password of the admin account: {password}\n")
    except OSError:
        pass
    else:
        return "password: shown on the terminal only, since this output may be kept in a log"
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
    handle, path = tempfile.mkstemp(prefix="admin-password-", dir=settings.VAR_DIR)  # mode 0600
    with os.fdopen(handle, "w") as file:
        file.write(password + "\n")
    return f"password: in {path} (readable by you only; delete it once you have logged in)"
