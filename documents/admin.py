"""The Django admin for every archive model, with search and filters an admin needs."""

from django import forms
from django.contrib import admin
from django.db import models as db_models

from documents import models
from documents.imports.deletion import delete_batch


class PageInline(admin.TabularInline):
    model = models.Page
    fields = ["number", "bates", "needs_ocr", "withheld_exemptions"]
    readonly_fields = fields
    extra = 0
    show_change_link = True


class AppearanceInline(admin.TabularInline):
    model = models.Appearance
    fk_name = "document"
    fields = [
        "source_file",
        "kind",
        "quoted_in",
        "matched_by",
        "first_page",
        "last_page",
        "bates_start",
        "bates_end",
    ]
    raw_id_fields = ["source_file", "quoted_in"]
    extra = 0


class RecipientInline(admin.TabularInline):
    model = models.Recipient
    fields = ["field", "position", "raw", "person", "redacted"]
    raw_id_fields = ["person"]
    extra = 0


class PersonAliasInline(admin.TabularInline):
    model = models.PersonAlias
    fields = ["alias", "normalized"]
    extra = 0


class JurisdictionAliasInline(admin.TabularInline):
    model = models.JurisdictionAlias
    fields = ["alias", "normalized", "is_abbreviation"]
    extra = 0


@admin.register(models.Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "title",
        "agency",
        "released_on",
        "status",
        "file_count",
        "attention_file_count",
        "email_count",
    ]
    list_filter = ["status", "agency", "released_on"]
    search_fields = ["name", "title", "agency", "request_number", "notes"]
    readonly_fields = [
        "file_count",
        "attention_file_count",
        "page_count",
        "ocr_page_count",
        "email_count",
        "created_at",
        "updated_at",
    ]
    prepopulated_fields = {"name": ["title"]}
    formfield_overrides = {
        db_models.URLField: {"form_class": forms.URLField, "assume_scheme": "https"}
    }
    date_hierarchy = "created_at"

    def delete_model(self, request, obj) -> None:
        """With its emails, threads and people that exist only because of it (and their index
        entries)."""
        delete_batch(obj, request.user)

    def delete_queryset(self, request, queryset) -> None:
        for batch in queryset:
            delete_batch(batch, request.user)


@admin.register(models.SourceFile)
class SourceFileAdmin(admin.ModelAdmin):
    list_display = ["original_name", "batch", "detected_type", "status", "page_count", "size"]
    list_filter = ["status", "detected_type", "batch"]
    search_fields = ["original_name", "sha256", "error"]
    list_select_related = ["batch"]
    raw_id_fields = ["duplicate_of"]
    inlines = [PageInline]


@admin.register(models.Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "bates", "needs_ocr"]
    list_filter = ["needs_ocr", "source_file__batch"]
    search_fields = ["bates", "text", "source_file__original_name"]
    list_select_related = ["source_file"]
    raw_id_fields = ["source_file"]


@admin.register(models.Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "organization"]
    list_filter = ["organization"]
    search_fields = ["name", "email", "organization", "aliases__alias"]
    inlines = [PersonAliasInline]


@admin.register(models.PersonAlias)
class PersonAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "person"]
    list_filter = ["person__organization"]
    search_fields = ["alias", "person__name", "person__email"]
    list_select_related = ["person"]
    raw_id_fields = ["person"]


@admin.register(models.Jurisdiction)
class JurisdictionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "state_code", "fips", "population"]
    list_filter = ["kind", "state_code"]
    search_fields = ["name", "fips", "aliases__alias"]
    raw_id_fields = ["parent"]
    inlines = [JurisdictionAliasInline]


@admin.register(models.JurisdictionAlias)
class JurisdictionAliasAdmin(admin.ModelAdmin):
    list_display = ["alias", "jurisdiction", "is_abbreviation"]
    list_filter = ["is_abbreviation", "jurisdiction__kind", "jurisdiction__state_code"]
    search_fields = ["alias", "normalized", "jurisdiction__name"]
    list_select_related = ["jurisdiction"]
    raw_id_fields = ["jurisdiction"]


@admin.register(models.Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["__str__", "first_sent_at", "last_sent_at", "message_count"]
    list_filter = ["tags", "first_sent_at"]
    search_fields = ["subject", "normalized_subject", "participants__name"]
    filter_horizontal = ["participants", "jurisdictions"]
    date_hierarchy = "first_sent_at"


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["subject", "sender_raw", "sent_at", "thread"]
    list_filter = ["sender_redacted", "appearances__source_file__batch", "sent_at"]
    search_fields = ["subject", "sender_raw", "body", "message_id"]
    list_select_related = ["thread", "sender"]
    raw_id_fields = ["thread", "parent", "sender"]
    filter_horizontal = ["jurisdictions"]
    date_hierarchy = "sent_at"
    inlines = [RecipientInline, AppearanceInline]


@admin.register(models.Appearance)
class AppearanceAdmin(admin.ModelAdmin):
    list_display = [
        "document",
        "source_file",
        "kind",
        "matched_by",
        "first_page",
        "last_page",
        "bates_start",
    ]
    list_filter = ["kind", "matched_by", "source_file__batch"]
    search_fields = ["bates_start", "bates_end", "document__subject", "source_file__original_name"]
    # Document.__str__ names the sender: fetch it with the row, not one query per row.
    list_select_related = ["document__sender", "source_file__batch"]
    raw_id_fields = ["document", "source_file", "quoted_in"]


@admin.register(models.Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "visibility", "created_at"]
    list_filter = ["visibility", "created_at"]
    search_fields = ["body", "quote", "thread__subject", "author__username"]
    list_select_related = ["author", "thread"]
    raw_id_fields = ["thread", "document", "author"]


@admin.register(models.Recipient)
class RecipientAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "field", "redacted"]
    list_filter = ["field", "redacted"]
    search_fields = ["raw", "person__name", "person__email", "document__subject"]
    list_select_related = ["document__sender", "person"]
    raw_id_fields = ["document", "person"]


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, for admins (``view_auditentry``)."""

    list_display = ["at", "actor_name", "action", "target"]
    list_filter = ["action", "actor_name"]
    search_fields = ["target", "actor_name"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in models.AuditEntry._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.ThreadChange)
class ThreadChangeAdmin(admin.ModelAdmin):
    list_display = ["made_at", "made_by", "kind", "target_number", "undone_at"]
    list_filter = ["kind", "made_at"]
    search_fields = ["reason", "made_by__username"]
    readonly_fields = [field.name for field in models.ThreadChange._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["created_at", "batch", "kind", "status", "files_done", "files_total"]
    list_filter = ["status", "kind"]
    search_fields = ["batch__name", "current_file"]
    readonly_fields = [field.name for field in models.ImportJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
