from django.urls import path

from documents import directory_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("emails/<int:pk>/", views.document_detail, name="document"),
    path("threads/", directory_views.thread_list, name="threads"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/thread.json", views.thread_export_json, name="thread-json"),
    path("threads/<int:pk>/thread.mbox", views.thread_export_mbox, name="thread-mbox"),
    path("files/<int:pk>/original", views.source_original, name="source-original"),
    path("files/<int:pk>/pages/<int:number>/", views.page_text, name="page-text"),
    path("people/", directory_views.people, name="people"),
    path("people/<int:pk>/", directory_views.person_detail, name="person"),
    path("jurisdictions/", directory_views.jurisdictions, name="jurisdictions"),
    path("jurisdictions/<slug:slug>/", directory_views.jurisdiction_detail, name="jurisdiction"),
    path("batches/", directory_views.batches, name="batches"),
    path("batches/<slug:name>/", directory_views.batch_detail, name="batch"),
]
