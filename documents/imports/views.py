"""Admins import from the browser: a new batch with its files, its live progress, the failed
files retried or replaced, and the batch deleted after confirmation. The work is done by the
task worker (documents/jobs.py); these views only store files and queue it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.views.decorators.http import require_POST

from documents import roles
from documents.archive_cache import kept
from documents.imports import jobs
from documents.imports.deletion import delete_batch, plan_deletion
from documents.imports.report import batch_report
from documents.imports.uploads import accepts_upload
from documents.ingest import ocr_status
from documents.models import Batch, ImportJob, SourceFile, default_ocr_languages

# Names a batch cannot take: they are addresses of pages under /batches/.
RESERVED_NAMES = {"new"}
NOTES_LISTED = 50
# Files needing attention listed on the progress page while an import runs (the report lists all).
ATTENTION_LISTED = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class NewBatchForm(forms.ModelForm):
    files = MultipleFileField(
        required=False,
        widget=MultipleFileInput(),
        label="Files",
        help_text="PDF productions, .eml or .mbox files, or ZIP archives of them.",
    )
    folder = forms.ChoiceField(required=False, label="Or a folder on the server")
    source_url = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        label="Source URL",
        help_text="Where the release was published, if it was.",
    )

    class Meta:
        model = Batch
        fields = [
            "name",
            "title",
            "agency",
            "request_number",
            "released_on",
            "timezone",
            "source_url",
            "notes",
            "ocr_mode",
            "ocr_languages",
        ]
        widgets = {"released_on": forms.DateInput(attrs={"type": "date"})}
        labels = {
            "released_on": "Release date",
            "timezone": "Time zone",
            "ocr_mode": "OCR scanned pages",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "As the release calls itself; the name if left empty."
        # Left out (a script's post), they keep a new batch's defaults.
        self.fields["ocr_mode"].required = self.fields["ocr_languages"].required = False
        status = ocr_status()
        # Help texts are shown as HTML (Django's own carry markup): what Tesseract and the
        # system say is escaped.
        self.fields["ocr_languages"].help_text += escape(
            f" Installed here: {', '.join(sorted(status.languages - {'osd'}))}."
            if status.available
            else f" {status.message}: scanned pages wait for it."
        )
        folders = jobs.server_folders()
        if folders:
            self.fields["folder"].choices = [("", "—")] + [(name, name) for name in folders]
        else:  # no IMPORT_ROOT, or nothing in it
            del self.fields["folder"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        if name in RESERVED_NAMES:
            raise forms.ValidationError("This name is taken by a page of the site.")
        return name

    def clean_ocr_mode(self):
        return self.cleaned_data["ocr_mode"] or Batch.OcrMode.AUTO

    def clean_ocr_languages(self):
        return self.cleaned_data["ocr_languages"] or default_ocr_languages()

    def clean(self):
        data = super().clean()
        if bool(data.get("files")) == bool(data.get("folder")):
            raise forms.ValidationError("Upload files, or choose a folder on the server (one).")
        if not data.get("title"):
            data["title"] = data.get("name", "")
            self.instance.title = data["title"]
        return data


def _upload_context(form) -> dict:
    return {
        "form": form,
        "limit": filesizeformat(settings.IMPORT_UPLOAD_MAX_BYTES),
        "has_root": settings.IMPORT_ROOT is not None,
    }


@roles.requires(roles.IMPORT)
@accepts_upload
def new_batch(request):
    form = NewBatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            jobs.start_batch(
                form.save(commit=False),
                form.cleaned_data["files"],
                form.cleaned_data.get("folder", ""),
                request.user,
            )
        except jobs.ImportRequestError as error:
            form.add_error(None, str(error))
        else:
            return redirect("batch-import", form.instance.name)
    status = 400 if form.errors else 200
    return render(request, "documents/batch_new.html", _upload_context(form), status=status)


def _progress_context(batch: Batch) -> dict:
    job = batch.import_jobs.select_related("created_by").first()
    context = {
        "batch": batch,
        "progress": jobs.progress(job) if job else None,
        "may_retry": job is not None,
    }
    if context["progress"] is None or context["progress"].finished:
        context["report"] = kept(f"batch-report:{batch.pk}", lambda: batch_report(batch))
    else:  # the report's list, while the job runs
        attention = batch.files.filter(status__in=SourceFile.NEEDS_ATTENTION)
        context["attention"] = attention.order_by("original_name")[:ATTENTION_LISTED]
    return context


@roles.requires(roles.IMPORT)
def batch_import(request, name: str):
    batch = get_object_or_404(Batch, name=name)
    context = _progress_context(batch) | {"jobs": batch.import_jobs.all()[:20]}
    return render(request, "documents/batch_import.html", context)


@roles.requires(roles.IMPORT)
def batch_import_status(request, name: str):
    """What htmx polls: the progress block, which stops polling once the job has finished."""
    batch = get_object_or_404(Batch, name=name)
    return render(request, "documents/_import_status.html", _progress_context(batch))


@require_POST
@roles.requires(roles.IMPORT)
def retry_failed(request, name: str):
    return _queued(request, name, jobs.queue_retry, "{} failed file(s) queued again.")


@require_POST
@roles.requires(roles.IMPORT)
def run_ocr(request, name: str):
    return _queued(request, name, jobs.queue_ocr, "OCR queued for {} file(s).")


def _queued(request, name: str, queue, done: str):
    """Queue a job over some of the batch's files; say what was queued, or why nothing was."""
    batch = get_object_or_404(Batch, name=name)
    try:
        job = queue(batch, request.user)
    except jobs.ImportRequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done.format(len(job.only_names)))
    return redirect("batch-import", name)


@require_POST
@roles.requires(roles.IMPORT)
@accepts_upload
def replace_file(request, name: str, pk: int):
    source = get_object_or_404(SourceFile, pk=pk, batch__name=name)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Choose the file to put in its place.")
        return redirect("batch-import", name)
    try:
        jobs.queue_replacement(source, upload, request.user)
    except jobs.ImportRequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{source.original_name} will be read again from the new copy.")
    return redirect("batch-import", name)


@roles.requires(roles.IMPORT)
def delete(request, name: str):
    """GET: what would go; POST: delete it."""
    batch = get_object_or_404(Batch, name=name)
    busy = batch.import_jobs.filter(
        status__in=(ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
    ).exists()
    if request.method == "POST" and not busy:
        gone = delete_batch(batch, request.user)
        messages.success(
            request,
            f"Batch {gone.batch} deleted: {gone.emails} emails, {gone.threads} threads, "
            f"{gone.people} people and {gone.notes} notes went; {gone.emails_kept} emails "
            "printed in other batches stay.",
        )
        return redirect("batches")
    plan = plan_deletion(batch)
    notes = plan.notes.order_by("thread_id", "created_at")
    context = {
        "batch": batch,
        "plan": plan,
        "busy": busy,
        "notes": list(notes[:NOTES_LISTED]),
        "notes_count": notes.count(),
    }
    return render(
        request,
        "documents/batch_delete.html",
        context,
        status=409 if busy and request.method == "POST" else 200,
    )
