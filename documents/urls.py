from django.urls import path

from documents import (
    alias_views,
    directory_views,
    note_views,
    repair_views,
    tag_views,
    views,
)

urlpatterns = [
    path("", views.home, name="home"),
    path("emails/<int:pk>/", views.document_detail, name="document"),
    path("threads/", directory_views.thread_list, name="threads"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/thread.json", views.thread_export_json, name="thread-json"),
    path("threads/<int:pk>/thread.mbox", views.thread_export_mbox, name="thread-mbox"),
    path("threads/<int:pk>/tags/", tag_views.add_tags, name="thread-tags"),
    path(
        "threads/<int:pk>/tags/<slug:slug>/remove/", tag_views.remove_tag, name="thread-tag-remove"
    ),
    path("threads/<int:pk>/notes/", note_views.add_note, name="thread-note-add"),
    path("threads/<int:pk>/notes.csv", note_views.thread_notes_csv, name="thread-notes-csv"),
    path("threads/<int:pk>/merge/", repair_views.merge, name="thread-merge"),
    path("emails/<int:pk>/move/", repair_views.move, name="email-move"),
    path("repairs/", repair_views.changes, name="thread-changes"),
    path("repairs/<int:pk>/undo/", repair_views.undo, name="thread-change-undo"),
    path("tags/", tag_views.tag_index, name="tags"),
    path("tags/suggest/", tag_views.suggestions, name="tag-suggestions"),
    path("tags/<slug:slug>/", tag_views.tag_detail, name="tag"),
    path("notes/", note_views.my_notes, name="my-notes"),
    path("notes/<int:pk>/edit/", note_views.edit_note, name="note-edit"),
    path("notes/<int:pk>/delete/", note_views.delete_note, name="note-delete"),
    path("users/<str:username>/notes/", note_views.user_notes, name="user-notes"),
    path("files/<int:pk>/original", views.source_original, name="source-original"),
    path("files/<int:pk>/pages/<int:number>/", views.page_text, name="page-text"),
    path("people/", directory_views.people, name="people"),
    path("people/<int:pk>/", directory_views.person_detail, name="person"),
    path("people/<int:pk>/aliases/", alias_views.add_person_alias, name="person-alias-add"),
    path(
        "people/<int:pk>/aliases/<int:alias_id>/remove/",
        alias_views.remove_person_alias,
        name="person-alias-remove",
    ),
    path("jurisdictions/", directory_views.jurisdictions, name="jurisdictions"),
    path("jurisdictions/<slug:slug>/", directory_views.jurisdiction_detail, name="jurisdiction"),
    path("jurisdictions/<slug:slug>/aliases/", alias_views.add_place_alias, name="place-alias-add"),
    path(
        "jurisdictions/<slug:slug>/aliases/<int:alias_id>/remove/",
        alias_views.remove_place_alias,
        name="place-alias-remove",
    ),
    path("batches/", directory_views.batches, name="batches"),
    path("batches/<slug:name>/", directory_views.batch_detail, name="batch"),
]
