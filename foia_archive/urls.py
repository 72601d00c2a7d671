from django.contrib import admin
from django.urls import include, path

from foia_archive.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("search/", include("search.urls")),
    path("", include("documents.urls")),
]
