from django.contrib import admin
from django.urls import include, path

from foia_archive.views import healthz
from search import views as search_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", healthz, name="healthz"),
    path("search/", include("search.urls")),
    path("api/search", search_views.api_search, name="api-search"),
    path("", include("documents.urls")),
]

handler400 = "foia_archive.views.bad_request"
handler500 = "foia_archive.views.server_error"
