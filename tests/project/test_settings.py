"""Settings come from the environment, with clear errors for bad values."""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from foia_archive import env

ROOT = Path(__file__).resolve().parents[2]


def settings_in_subprocess(unset=(), **variables: str) -> subprocess.CompletedProcess:
    """Import the real settings module in a fresh interpreter with only these variables changed."""
    script = (
        "import json; from django.conf import settings; "
        "db = settings.DATABASES['default']; "
        "print(json.dumps({'host': db['HOST'], 'name': db['NAME'], 'debug': settings.DEBUG, "
        "'hosts': settings.ALLOWED_HOSTS, 'tz': settings.TIME_ZONE, "
        "'media': str(settings.MEDIA_ROOT), "
        "'whoosh': settings.HAYSTACK_CONNECTIONS['default']['PATH'], "
        "'secret': settings.SECRET_KEY}))"
    )
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": "foia_archive.settings"} | variables
    for name in unset:
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_settings_read_every_variable_from_the_environment(tmp_path):
    result = settings_in_subprocess(
        DATABASE_URL="postgres://archivist@%2Fvar%2Frun%2Fpostgresql/foia",
        SECRET_KEY="from-the-environment",
        DEBUG="yes",
        ALLOWED_HOSTS="archive.example.org, www.archive.example.org",
        TIME_ZONE="America/New_York",
        MEDIA_ROOT=str(tmp_path / "media"),
        WHOOSH_PATH=str(tmp_path / "index"),
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "host": "/var/run/postgresql",
        "name": "foia",
        "debug": True,
        "hosts": ["archive.example.org", "www.archive.example.org"],
        "tz": "America/New_York",
        "media": str(tmp_path / "media"),
        "whoosh": str(tmp_path / "index"),
        "secret": "from-the-environment",
    }


def test_debug_is_off_and_hosts_are_local_unless_set():
    result = settings_in_subprocess(
        unset=["DEBUG", "ALLOWED_HOSTS"], DATABASE_URL="postgres://postgres@127.0.0.1:5432/foia"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    assert values["host"] == "127.0.0.1"


def test_a_bad_time_zone_stops_startup_with_the_variable_named():
    result = settings_in_subprocess(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/foia", TIME_ZONE="Pacific Time"
    )
    assert result.returncode != 0
    assert "TIME_ZONE='Pacific Time' is not an IANA time zone name" in result.stderr


@pytest.mark.parametrize(
    ("url", "host", "options"),
    [
        ("postgres://postgres@%2Ftmp%2Fpg%20data/archive", "/tmp/pg data", {}),
        ("postgresql://postgres@/archive?host=/run/postgresql", "", {"host": "/run/postgresql"}),
        ("postgres://user:secret@db.internal:6543/archive", "db.internal", {}),
        (
            "postgres://db.internal/archive?options=-c%20statement_timeout%3D5000",
            "db.internal",
            {"options": "-c statement_timeout=5000"},
        ),
    ],
)
def test_database_urls_with_sockets_and_hosts(url, host, options):
    config = env.parse_database_url(url)
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "archive"
    assert config["HOST"] == host
    # The planner's JIT is turned off on every connection, after any options the URL gives.
    assert config["OPTIONS"] == options | {
        "options": " ".join(filter(None, [options.get("options"), "-c jit=off"]))
    }


def test_only_postgresql_is_accepted():
    with pytest.raises(ImproperlyConfigured, match="must point at PostgreSQL"):
        env.parse_database_url("sqlite:///archive.db")


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("On", True), ("no", False), ("", False)]
)
def test_booleans(raw, expected):
    assert env.parse_bool("DEBUG", raw) is expected


def test_a_typo_in_a_boolean_is_an_error_not_false():
    with pytest.raises(ImproperlyConfigured, match="DEBUG='ture' is not a boolean"):
        env.parse_bool("DEBUG", "ture")


def test_secret_key_is_generated_once_and_private(tmp_path):
    key_file = tmp_path / "var" / "secret_key"
    first = env.read_or_create_secret_key(key_file)
    second = env.read_or_create_secret_key(key_file)
    assert first == second
    assert len(first) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert list(key_file.parent.iterdir()) == [key_file]  # no draft left behind


def test_the_secret_key_file_is_never_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "var/secret_key"], cwd=ROOT, capture_output=True
    )
    assert ignored.returncode == 0, "var/ must be listed in .gitignore"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2G", 2 * 1024**3),
        ("500M", 500 * 1024**2),
        ("64k", 64 * 1024),
        ("1000", 1000),
        (None, 7),
        ("", 7),
    ],
)
def test_sizes(raw, expected):
    assert env.parse_size("IMPORT_UPLOAD_MAX_BYTES", raw, 7) == expected


@pytest.mark.parametrize("raw", ["2 GB", "-1", "1.5G", "lots"])
def test_a_bad_size_names_the_variable(raw):
    with pytest.raises(ImproperlyConfigured, match="IMPORT_UPLOAD_MAX_BYTES"):
        env.parse_size("IMPORT_UPLOAD_MAX_BYTES", raw, 7)


def test_seconds():
    assert env.parse_seconds("IMPORT_FILE_TIME_LIMIT", "90", 600) == 90
    assert env.parse_seconds("IMPORT_FILE_TIME_LIMIT", None, 600) == 600
    for raw in ("0", "10m", "-5"):
        with pytest.raises(ImproperlyConfigured, match="IMPORT_FILE_TIME_LIMIT"):
            env.parse_seconds("IMPORT_FILE_TIME_LIMIT", raw, 600)
