from django.urls import path

from documents import directory_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("emails/<int:pk>/", views.document_detail, name="document"),
    path("threads/", directory_views.thread_list, name="threads"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("people/", directory_views.people, name="people"),
    path("people/<int:pk>/", directory_views.person_detail, name="person"),
    path("jurisdictions/", directory_views.jurisdictions, name="jurisdictions"),
    path("jurisdictions/<slug:slug>/", directory_views.jurisdiction_detail, name="jurisdiction"),
    path("batches/", directory_views.batches, name="batches"),
    path("batches/<slug:name>/", directory_views.batch_detail, name="batch"),
]
