from django.urls import path

from documents.browse import directory_views, reading_views
from documents.curation import alias_views, note_views, repair_views, tag_views
from documents.imports import views as import_views

urlpatterns = [
    path("", reading_views.home, name="home"),
    path("emails/<int:pk>/", reading_views.document_detail, name="document"),
    path("emails/<int:pk>/text/", reading_views.document_text, name="document-text"),
    path("threads/", directory_views.thread_list, name="threads"),
    path("threads/<int:pk>/", reading_views.thread_detail, name="thread"),
    path("threads/<int:pk>/thread.json", reading_views.thread_export_json, name="thread-json"),
    path("threads/<int:pk>/thread.mbox", reading_views.thread_export_mbox, name="thread-mbox"),
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
    path("files/attention/", directory_views.files_needing_attention, name="files-attention"),
    path("files/<int:pk>/original", reading_views.source_original, name="source-original"),
    path(
        "files/<int:pk>/original-with-ocr-text",
        reading_views.source_searchable,
        name="source-searchable",
    ),
    path("files/<int:pk>/pages/<int:number>/", reading_views.page_text, name="page-text"),
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
    path("batches/new/", import_views.new_batch, name="batch-new"),
    path("batches/<slug:name>/import/", import_views.batch_import, name="batch-import"),
    path(
        "batches/<slug:name>/import/status/",
        import_views.batch_import_status,
        name="batch-import-status",
    ),
    path("batches/<slug:name>/import/retry/", import_views.retry_failed, name="batch-retry"),
    path("batches/<slug:name>/import/ocr/", import_views.run_ocr, name="batch-ocr"),
    path(
        "batches/<slug:name>/files/<int:pk>/replace/",
        import_views.replace_file,
        name="batch-file-replace",
    ),
    path("batches/<slug:name>/delete/", import_views.delete, name="batch-delete"),
    path("batches/", directory_views.batches, name="batches"),
    path("batches/<slug:name>/", directory_views.batch_detail, name="batch"),
]
