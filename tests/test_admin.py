"""Every archive model has an admin page an admin can search and filter."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from tests.factories import make_appearance, make_document, make_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_with_data(admin_client, gazetteer_db):
    document = make_document()
    make_appearance(document, make_file())
    return admin_client


def test_every_archive_model_is_registered_with_search_and_filters():
    for model in apps.get_app_config("documents").get_models():
        model_admin = admin.site._registry.get(model)
        assert model_admin, f"{model.__name__} has no admin"
        assert model_admin.search_fields, f"{model.__name__} admin cannot be searched"
        assert model_admin.list_filter, f"{model.__name__} admin cannot be filtered"


@pytest.mark.parametrize(
    "model", list(apps.get_app_config("documents").get_models()), ids=lambda m: m.__name__
)
def test_each_admin_list_searches_and_opens_a_record(admin_client_with_data, model):
    app_label, name = model._meta.app_label, model._meta.model_name
    changelist = reverse(f"admin:{app_label}_{name}_changelist")
    assert admin_client_with_data.get(changelist, {"q": "Santa Clara"}).status_code == 200
    record = model.objects.first()
    if record is not None:
        change = reverse(f"admin:{app_label}_{name}_change", args=[record.pk])
        page = admin_client_with_data.get(change)
        assert page.status_code == 200
        assert escape(str(record))[:20] in page.content.decode()  # the breadcrumb names it
