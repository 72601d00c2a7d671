"""Accounts: the role groups, a private archive by default, login pages in the site's style,
login attempts limited."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from documents import roles
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def private(settings):
    settings.ARCHIVE_PUBLIC = False


def test_the_migration_creates_the_three_roles_each_with_more_rights():
    def rights(name):
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.all()
        }

    reader, editor, admin = rights("Reader"), rights("Editor"), rights("Admin")
    assert reader == {roles.READ, roles.NOTE}
    assert reader < editor < admin
    assert {
        roles.TAG,
        roles.SHARE,
        roles.REPAIR,
        roles.EDIT_PERSON_ALIASES,
        roles.EDIT_PLACE_ALIASES,
    } <= editor
    assert roles.MODERATE not in editor and roles.IMPORT not in editor
    assert {roles.MODERATE, roles.IMPORT, roles.AUDIT, "auth.add_user", "auth.change_user"} <= admin


def test_archive_public_is_off_unless_the_environment_turns_it_on():
    environment = {k: v for k, v in os.environ.items() if k != "ARCHIVE_PUBLIC"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.ARCHIVE_PUBLIC)"
    for value, expected in ((None, "False"), ("yes", "True")):
        env = (
            environment
            | ({"ARCHIVE_PUBLIC": value} if value else {})
            | {"DJANGO_SETTINGS_MODULE": "foia_archive.settings"}
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert out.stdout.strip() == expected


@pytest.mark.parametrize(
    "path", ["/", "/threads/", "/search/?q=county", "/people/", "/tags/", "/batches/"]
)
def test_a_private_archive_sends_visitors_to_the_login_page(client, private, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_the_api_of_a_private_archive_answers_401_not_a_login_page(client, private):
    response = client.get("/api/search", {"q": "county"})
    assert response.status_code == 401 and "not public" in response.json()["error"]


def test_a_private_archive_still_shows_login_reset_and_health(client, private):
    for name in ("login", "password_reset"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert 'class="site-header"' in page.content.decode()  # the site's own look
    assert client.get("/healthz").status_code in (200, 503)


def test_an_account_without_a_role_is_told_to_ask_an_admin(client, private):
    client.force_login(make_user("newcomer"))
    page = client.get("/threads/")
    assert page.status_code == 403
    assert "ask an admin" in page.content.decode()


def test_a_reader_reads_and_a_public_archive_lets_anyone_read(client, private, settings):
    thread = make_document().thread
    client.force_login(make_user("reader", "Reader"))
    assert client.get(reverse("thread", args=[thread.pk])).status_code == 200
    client.logout()
    settings.ARCHIVE_PUBLIC = True
    assert client.get(reverse("thread", args=[thread.pk])).status_code == 200


def test_login_and_logout_through_the_sites_pages(client, private):
    make_user("reader", "Reader")
    response = client.post(
        reverse("login") + "?next=/threads/",
        {"username": "reader", "password": "a long test passphrase", "next": "/threads/"},
    )
    assert response.status_code == 302 and response["Location"] == "/threads/"
    assert client.get("/threads/").status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/threads/").status_code == 302


def test_wrong_passwords_lock_the_login_for_a_while(client, settings):
    make_user("reader", "Reader")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page = client.post(reverse("login"), {"username": "reader", "password": "wrong"})
        assert (
            page.status_code == 200 and "Please enter a correct username" in page.content.decode()
        )
    locked = client.post(reverse("login"), {"username": "reader", "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Even the right password waits now.
    right = client.post(
        reverse("login"), {"username": "reader", "password": "a long test passphrase"}
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client, private):
    make_user("reader", "Reader")
    client.post(reverse("password_reset"), {"email": "reader@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "another long passphrase 9",
            "new_password2": "another long passphrase 9",
        },
    )
    assert done.status_code == 302
    response = client.post(
        reverse("login"), {"username": "reader", "password": "another long passphrase 9"}
    )
    assert response.status_code == 302


def test_password_change_needs_the_old_password(client):
    user = make_user("reader", "Reader")
    client.force_login(user)
    bad = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "fresh long passphrase 7",
            "new_password2": "fresh long passphrase 7",
        },
    )
    assert bad.status_code == 200 and "incorrectly" in bad.content.decode()
    good = client.post(
        reverse("password_change"),
        {
            "old_password": "a long test passphrase",
            "new_password1": "fresh long passphrase 7",
            "new_password2": "fresh long passphrase 7",
        },
    )
    assert good.status_code == 302
    user.refresh_from_db()
    assert user.check_password("fresh long passphrase 7")
