"""Serving on the internet (docs/deployment.md): HTTPS settings from the environment pass
`check --deploy`, every page carries a Content-Security-Policy, /healthz tells the public only
whether the site is up, one address cannot try passwords across many accounts, refusals are one
line in the log, and the first admin password never lands in a log."""

import io
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from documents.first_run import show_password
from tests.factories import make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
HTTPS = {
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
    "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    "ALLOWED_HOSTS": "archive.example.org",
    "DEBUG": "0",
}


def manage(*arguments: str, **variables: str) -> subprocess.CompletedProcess:
    # Without the tests' own relaxation (tests/conftest.py), which --deploy rightly refuses.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment | variables,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_https_settings_set():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **HTTPS)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_names_what_is_missing_without_them():
    result = manage("check", "--deploy", "--fail-level", "WARNING", ALLOWED_HOSTS="a.example")
    assert result.returncode != 0
    for missing in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE"):
        assert missing in result.stderr


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("SECURE_PROXY_SSL_HEADER", "https", "is not a header and its value"),
        ("SECURE_HSTS_SECONDS", "a year", "is not a whole number"),
        ("SECURE_SSL_REDIRECT", "maybe", "is not a boolean"),
    ],
)
def test_a_bad_https_setting_stops_startup_with_the_variable_named(name, value, message):
    result = manage("check", **{name: value})
    assert result.returncode != 0
    assert f"{name}={value!r} {message}" in result.stderr


def test_every_page_has_a_content_security_policy(client):
    for path in [reverse("home"), reverse("login"), "/no-such-page/"]:
        policy = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split(";")[1]
        assert "frame-ancestors 'none'" in policy


def test_healthz_tells_the_public_only_whether_the_site_is_up(client):
    answer = client.get("/healthz")
    assert set(answer.json()) == {"ok"}  # no paths, counts, nor the worker's state
    client.force_login(make_user("editor", "Editor"))
    assert set(client.get("/healthz").json()) == {"ok"}
    client.force_login(make_user("chief", "Admin"))
    report = client.get("/healthz").json()
    assert {"database", "search_index", "worker"} <= set(report)
    assert report["worker"]["state"] == "unknown"  # not started by `serve` here


def failed_login(client, username: str, **headers) -> int:
    return client.post(
        reverse("login"), {"username": username, "password": "wrong"}, **headers
    ).status_code


def test_one_address_trying_many_usernames_is_stopped(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 4  # fewer than AXES_FAILURE_LIMIT for one username
    make_user("reader", "Reader")
    answers = [failed_login(client, f"guess{n}") for n in range(4)]
    assert answers == [200, 200, 200, 429]
    # Now even a right password from that address waits...
    right = {"username": "reader", "password": "a long test passphrase"}
    locked = client.post(reverse("login"), right)
    assert locked.status_code == 429 and "Too many failed logins" in locked.content.decode()
    # ...while the same person elsewhere logs in.
    assert client.post(reverse("login"), right, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_behind_a_proxy_each_client_address_counts_not_the_proxys(client, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}
    # A client cannot choose its address by sending X-Forwarded-For itself: the proxy adds the
    # real one last.
    spoofed = "198.51.100.1, 203.0.113.5"
    assert failed_login(client, "a", HTTP_X_FORWARDED_FOR=spoofed, **proxy) == 200
    assert failed_login(client, "b", HTTP_X_FORWARDED_FOR="203.0.113.5", **proxy) == 429
    assert failed_login(client, "c", HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy) == 200


@pytest.fixture
def log_lines():
    """What the site's console log handler writes."""
    (console,) = [h for h in logging.getLogger().handlers if h.name == "console"]
    stream = io.StringIO()
    previous = console.setStream(stream)
    yield stream
    console.setStream(previous)


def test_a_refused_request_is_one_line_in_the_log(client, settings, log_lines):
    settings.ARCHIVE_PUBLIC = False
    client.force_login(make_user("newcomer"))  # no role yet
    assert client.get(reverse("threads")).status_code == 403
    assert client.get(reverse("batch-new")).status_code == 403
    assert log_lines.getvalue().splitlines() == [
        "Forbidden (Permission denied): /threads/",
        "Forbidden (Permission denied): /batches/new/",
    ]


def test_the_first_admin_password_is_shown_on_a_terminal():
    controller, terminal = os.openpty()
    with os.fdopen(terminal, "w") as output:
        assert show_password("s3cret-Pa55", output) == "password: s3cret-Pa55"
    os.close(controller)


def test_without_a_terminal_the_first_admin_password_goes_to_a_private_file():
    script = (
        "import sys; from documents.first_run import show_password; "
        "print(show_password('s3cret-Pa55', sys.stdout))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "foia_archive.settings"},
        capture_output=True,
        text=True,
        start_new_session=True,  # no terminal at all, as a service
        timeout=60,
    )
    assert "s3cret-Pa55" not in shown.stdout + shown.stderr
    path = Path(shown.stdout.split("password: in ")[1].split(" (readable by you only")[0])
    try:
        assert path.read_text() == "s3cret-Pa55\n"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        path.unlink()
