"""A fresh installation gets one admin account, with a password shown once."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from documents.first_run import ADMIN_USERNAME, create_admin_if_missing

pytestmark = pytest.mark.django_db


def test_first_run_creates_an_admin_with_a_random_password_and_later_runs_do_not():
    password = create_admin_if_missing()
    assert password and len(password) >= 16
    login = RequestFactory().post("/accounts/login/")  # django-axes checks logins per request
    assert authenticate(login, username=ADMIN_USERNAME, password=password).is_superuser
    assert create_admin_if_missing() is None
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


def test_no_admin_is_created_when_one_exists():
    get_user_model().objects.create_superuser("editor-in-chief", password="a long passphrase here")
    assert create_admin_if_missing() is None
    assert not get_user_model().objects.filter(username=ADMIN_USERNAME).exists()
