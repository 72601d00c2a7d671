"""Reading settings from the environment, with errors that name the variable at fault."""

from __future__ import annotations

import os
import secrets
import tempfile
import zoneinfo
from pathlib import Path
from urllib.parse import quote

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}
SECRET_KEY_BYTES = 50


def parse_bool(name: str, value: str | None, default: bool = False) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` in any case; anything else is an error."""
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false or yes/no.")


def parse_size(name: str, value: str | None, default: int) -> int:
    """A whole number of bytes or seconds; ``2G``, ``500M`` and ``64K`` for sizes."""
    if value is None or not value.strip():
        return default
    text = value.strip().upper()
    factor = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(text[-1:], 1)
    digits = text[:-1] if factor > 1 else text
    if not digits.isdigit():
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number (e.g. 600, 500M, 2G).")
    return int(digits) * factor


def parse_seconds(name: str, value: str | None, default: int) -> int:
    if value is None or not value.strip():
        return default
    if not value.strip().isdigit() or int(value) == 0:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number of seconds above 0.")
    return int(value)


def parse_whole(name: str, value: str | None, default: int) -> int:
    """A whole number, 0 or more (seconds of HSTS, a count of attempts)."""
    if value is None or not value.strip():
        return default
    if not value.strip().isdigit():
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number (0 or more).")
    return int(value)


def parse_header(name: str, value: str | None) -> tuple[str, str] | None:
    """``Header-Name: value`` as Django's META key and the value, e.g. ``X-Forwarded-Proto:
    https`` gives ``("HTTP_X_FORWARDED_PROTO", "https")``; None when unset."""
    if value is None or not value.strip():
        return None
    header, colon, expected = value.partition(":")
    if not colon or not header.strip() or not expected.strip() or " " in header.strip():
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a header and its value, e.g. 'X-Forwarded-Proto: https'."
        )
    return "HTTP_" + header.strip().upper().replace("-", "_"), expected.strip()


def parse_list(value: str | None, default: list[str]) -> list[str]:
    """A comma-separated list; blanks are dropped."""
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_time_zone(name: str, value: str | None, default: str) -> str:
    """An IANA time zone name such as ``America/Los_Angeles``."""
    zone = (value or default).strip()
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ImproperlyConfigured(f"{name}={zone!r} is not an IANA time zone name.") from error
    return zone


# PostgreSQL compiles a query its planner thinks costly; on the archive's page queries that took
# 30-40 ms of a 50 ms query (measured at 100,000 emails) and never paid back.
NO_JIT = "-c jit=off"


def parse_database_url(url: str) -> dict:
    """A Django DATABASES entry from a URL; a Unix socket folder is given percent-encoded as host.

    Example: ``postgres://postgres@%2Fvar%2Frun%2Fpostgresql/foia_archive``.
    """
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"DATABASE_URL must point at PostgreSQL (postgres://...), not {config['ENGINE']}."
        )
    options = config.setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options"), NO_JIT]))
    return config


def database_url(config: dict, name: str | None = None) -> str:
    """The URL of a DATABASES entry (of database ``name`` on its server when given), for a child
    process: a socket folder is percent-encoded, since its slashes would end the host."""
    user = quote(config["USER"] or "", safe="")
    password = f":{quote(config['PASSWORD'], safe='')}" if config.get("PASSWORD") else ""
    host = quote(config["HOST"] or "localhost", safe="")
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(name or config['NAME'], safe='')}"


def read_or_create_secret_key(path: Path) -> str:
    """The key stored in ``path``, generated there (readable by the owner only) on first use.

    The new file is written aside and linked into place, so processes starting together (test
    workers, the web server and the task worker) never read a half-written key.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as draft:
            draft.write(secrets.token_urlsafe(SECRET_KEY_BYTES))
        try:
            os.link(draft.name, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft.name)
    return path.read_text().strip()
