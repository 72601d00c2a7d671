from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.results, name="results"),
    path("help/", views.help_page, name="help"),
    path("similar/<int:pk>/", views.similar, name="similar"),
]
