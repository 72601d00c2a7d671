from django.urls import path

from documents import views

urlpatterns = [
    path("", views.home, name="home"),
    path("emails/<int:pk>/", views.document_detail, name="document"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
]
