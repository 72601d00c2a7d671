"""The archive's data model: releases, their files and pages, and the emails found in them.

A Document is one distinct email however often it was printed; each place it was printed is an
Appearance. People, threads and jurisdictions are shared across batches.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from taggit.managers import TaggableManager

from documents.ingest import EXEMPTIONS, OcrLanguageError, OcrUnavailable, check_languages

EXEMPTION_CHOICES = [(code, f"{code} {text}") for code, text in EXEMPTIONS.items()]


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(f"{value!r} is not an IANA time zone name.") from error


def validate_ocr_languages(value: str) -> None:
    """Tesseract language names ("eng", "eng+spa") installed here; where Tesseract is missing
    only their spelling is checked (the import then says OCR is unavailable)."""
    try:
        check_languages(value)
    except OcrUnavailable:
        pass
    except OcrLanguageError as error:
        raise ValidationError(str(error)) from error


def default_ocr_languages() -> str:
    return settings.OCR_LANGUAGE


def exemption_codes_field() -> ArrayField:
    return ArrayField(
        models.CharField(max_length=12, choices=EXEMPTION_CHOICES),
        default=list,
        blank=True,
        help_text="Canonical FOIA exemption codes, e.g. (b)(6), (b)(7)(C).",
    )


class Batch(models.Model):
    """One FOIA release: the files an agency produced in answer to one request."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to import"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        IMPORTED_WITH_ERRORS = "partial", "Imported; some files need attention"

    class OcrMode(models.TextChoices):  # documents.ingest.OCR_MODES
        AUTO = "auto", "Pages without a usable text layer"
        FORCE = "force", "Also pages whose text layer is garbled"
        NEVER = "never", "Never"

    name = models.SlugField(
        max_length=100, unique=True, help_text="Short unique name, e.g. ice-2010-part1."
    )
    title = models.CharField(max_length=300)
    agency = models.CharField(max_length=200, blank=True)
    request_number = models.CharField("request / case number", max_length=100, blank=True)
    released_on = models.DateField(null=True, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    timezone = models.CharField(
        max_length=64,
        default=settings.TIME_ZONE,
        validators=[validate_time_zone],
        help_text="IANA zone for dates printed without one.",
    )
    notes = models.TextField(blank=True)
    ocr_mode = models.CharField(
        "OCR",
        max_length=5,
        choices=OcrMode.choices,
        default=OcrMode.AUTO,
        help_text="Which pages Tesseract reads from their image.",
    )
    ocr_languages = models.CharField(
        "OCR languages",
        max_length=100,
        default=default_ocr_languages,
        validators=[validate_ocr_languages],
        help_text='Tesseract language data the scans are read with, joined by "+": eng, eng+spa.',
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_count = models.PositiveIntegerField(default=0)
    attention_file_count = models.PositiveIntegerField(
        "files needing attention",
        default=0,
        help_text="Failed, encrypted or needing OCR (SourceFile.NEEDS_ATTENTION).",
    )
    page_count = models.PositiveIntegerField(default=0)
    ocr_page_count = models.PositiveIntegerField("pages needing OCR", default=0)
    email_count = models.PositiveIntegerField(default=0)
    place_states = models.JSONField(
        default=dict,
        blank=True,
        help_text="States of the places found in the release, counted: the states a bare town "
        "name in it is read in.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-released_on", "name"]
        verbose_name_plural = "batches"
        permissions = [("import_batch", "Can import, retry and delete batches")]

    def __str__(self) -> str:
        return f"{self.title} ({self.name})" if self.title else self.name


class SourceFile(models.Model):
    """One file of a batch, identified by its content (sha256)."""

    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        EML = "eml", "RFC-822 email"
        MBOX = "mbox", "mbox mailbox"
        UNKNOWN = "unknown", "Unknown"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"
        ENCRYPTED = "encrypted", "Encrypted"
        NEEDS_OCR = "needs_ocr", "Needs OCR"
        DUPLICATE = "duplicate", "Duplicate of another file"

    # What every page and the command line count as "needs attention": files that yielded
    # nothing a reader can use until an admin acts (retry, unlock, OCR, replace).
    NEEDS_ATTENTION = (Status.FAILED, Status.ENCRYPTED, Status.NEEDS_OCR)
    # What a re-run of the same bytes leaves alone: reading them again gives the same answer.
    FINAL = (Status.IMPORTED, Status.NEEDS_OCR, Status.ENCRYPTED)
    # What a retry reads again.
    RETRIED = (Status.FAILED, Status.PENDING)

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="files")
    original_name = models.CharField(max_length=500, help_text="Path within the release.")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    detected_type = models.CharField(
        max_length=8,
        choices=FileType.choices,
        default=FileType.UNKNOWN,
        help_text="Sniffed from content.",
    )
    page_count = models.PositiveIntegerField(null=True, blank=True)
    stored_file = models.FileField(upload_to="sources/%Y/%m/", blank=True, max_length=500)
    searchable_file = models.FileField(
        upload_to="searchable/%Y/%m/",
        blank=True,
        max_length=500,
        help_text="The PDF with the OCR text laid over its scanned pages: searchable, selectable.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(
        blank=True, help_text="Why the file failed, in words a person understands."
    )
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="duplicates"
    )
    warnings = models.JSONField(
        default=list,
        blank=True,
        help_text='What the import could not read in full: [{"text", "document", "page"}].',
    )
    imported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["batch", "original_name"]
        constraints = [
            # Each content is imported once; a byte-identical copy is recorded as a duplicate.
            models.UniqueConstraint(
                fields=["sha256"], condition=~Q(status="duplicate"), name="sourcefile_sha256_unique"
            ),
            models.UniqueConstraint(
                fields=["batch", "original_name"], name="sourcefile_name_in_batch"
            ),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="sourcefile_sha256_hex"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["failed", "encrypted"]) | ~Q(error=""),
                name="sourcefile_failure_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="duplicate") | Q(duplicate_of__isnull=False),
                name="sourcefile_duplicate_names_original",
            ),
        ]
        indexes = [models.Index(fields=["batch", "status"])]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.batch.name}, {self.get_status_display().lower()})"

    @property
    def needs_attention(self) -> bool:
        return self.status in self.NEEDS_ATTENTION


class Page(models.Model):
    """One page of a PDF, kept for citation and page-level reading."""

    source_file = models.ForeignKey(SourceFile, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    text = models.TextField(blank=True)
    bates = models.CharField("Bates number", max_length=100, blank=True, db_index=True)
    needs_ocr = models.BooleanField(default=False, help_text="No text layer.")
    ocr_confidence = models.FloatField(
        null=True, blank=True, help_text="Mean word confidence (0-100) when the text is OCR's."
    )
    # What a page viewer needs to mark a hit on the page image without reading it again.
    words = models.JSONField(
        default=list,
        blank=True,
        help_text="The page's words and their boxes, [[x0, y0, x1, y1, text], ...]: fractions "
        "of the page as displayed, origin top left; OCR'd words carry Tesseract's confidence "
        "(0-100) sixth.",
    )
    withheld_in_full = models.BooleanField(
        default=False, help_text="The page only says it was withheld; no email is printed on it."
    )
    withheld_exemptions = exemption_codes_field()
    # What the release stamped on the page ("Case No. F-2014-20439 Doc No. C05765911 Date:
    # 08/31/2015", "RELEASE IN PART B6"): shown in citations.
    case_number = models.CharField(max_length=100, blank=True)
    document_number = models.CharField(max_length=100, blank=True)
    release_date = models.DateField(null=True, blank=True, help_text="Date of the release stamp.")
    release_status = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["source_file", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source_file", "number"], name="page_number_in_file"),
            models.CheckConstraint(condition=Q(number__gte=1), name="page_number_positive"),
        ]

    def __str__(self) -> str:
        label = f"{self.source_file.original_name} p. {self.number}"
        return f"{label} ({self.bates})" if self.bates else label


class Person(models.Model):
    """One human or mailbox across the spellings a release prints; never a redacted name."""

    name = models.CharField(max_length=300, help_text='Display name, e.g. "David Venturella".')
    email = models.CharField(max_length=320, blank=True)
    organization = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="person_email_unique"
            ),
            models.CheckConstraint(
                condition=~Q(name="") | ~Q(email=""), name="person_has_name_or_email"
            ),
        ]
        indexes = [models.Index(Lower("name"), name="person_name_lower")]

    def __str__(self) -> str:
        if self.name and self.email:
            return f"{self.name} <{self.email}>"
        return self.name or self.email


class PersonAlias(models.Model):
    """A spelling as printed: "Venturella, David", "David Venturella/ICE/DHS@DHS"."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=500)
    normalized = models.CharField(
        max_length=500, unique=True, help_text="Lower-cased, spaces collapsed."
    )

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "person aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.person.name or self.person.email}"


class Jurisdiction(models.Model):
    """A US state (or DC or a territory), county or county-equivalent, or city."""

    class Kind(models.TextChoices):
        STATE = "state", "State or territory"
        COUNTY = "county", "County"
        CITY = "city", "City"

    kind = models.CharField(max_length=6, choices=Kind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=250, unique=True)
    state_code = models.CharField("USPS state code", max_length=2)
    fips = models.CharField("FIPS code", max_length=5, null=True, blank=True, unique=True)
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["state_code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "state_code", "name"], name="jurisdiction_unique_name"
            ),
            models.CheckConstraint(
                condition=Q(kind="state", parent__isnull=True)
                | (~Q(kind="state") & Q(parent__isnull=False)),
                name="jurisdiction_parent_is_state",
            ),
            models.CheckConstraint(
                condition=Q(fips__isnull=True)
                | Q(kind="state", fips__regex=r"^[0-9]{2}$")
                | Q(kind="county", fips__regex=r"^[0-9]{5}$"),
                name="jurisdiction_fips_shape",
            ),
        ]
        indexes = [models.Index(fields=["kind", "state_code"])]

    def __str__(self) -> str:
        return self.name if self.kind == self.Kind.STATE else f"{self.name}, {self.state_code}"


class JurisdictionAlias(models.Model):
    """Another way a release names a jurisdiction: "Santa Clara Co.", "Calif.", "L.A. County"."""

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=250)
    normalized = models.CharField(max_length=250, db_index=True)
    is_abbreviation = models.BooleanField(
        default=False, help_text='Short forms like "CA" or "Va." that need context to be trusted.'
    )

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "jurisdiction aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "normalized"], name="jurisdiction_alias_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.alias} → {self.jurisdiction}"


class Thread(models.Model):
    """A conversation; tags and annotations hang here, and per-email facts roll up here."""

    subject = models.TextField(blank=True, help_text="Subject as first printed.")
    normalized_subject = models.CharField(max_length=500, blank=True, db_index=True)
    first_sent_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    message_count = models.PositiveIntegerField(default=0)
    participants = models.ManyToManyField(Person, blank=True, related_name="threads")
    jurisdictions = models.ManyToManyField(Jurisdiction, blank=True, related_name="threads")
    exemptions = exemption_codes_field()
    tags = TaggableManager(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_sent_at__isnull=True)
                | Q(last_sent_at__isnull=True)
                | Q(first_sent_at__lte=F("last_sent_at")),
                name="thread_dates_in_order",
            )
        ]
        permissions = [
            ("read_archive", "Can read and search the archive"),
            ("tag_thread", "Can add and remove tags on threads"),
            ("repair_thread", "Can merge threads and move emails between threads"),
        ]
        indexes = [
            models.Index(fields=["first_sent_at"]),
            models.Index(fields=["last_sent_at"]),
            models.Index(fields=["message_count"]),
            GinIndex(fields=["exemptions"], name="thread_exemptions_gin"),
        ]

    def __str__(self) -> str:
        subject = self.subject or "(no subject)"
        return f"{subject} ({self.message_count} email{'' if self.message_count == 1 else 's'})"


class Document(models.Model):
    """One distinct email: its own text, without the earlier messages it quotes. Also a printed
    document that is not an email (a letter, a memo, an attachment printed after an email), so
    that every page of a release is searchable and citable: ``kind`` tells them apart."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        MEMO = "memo", "Memo"
        ATTACHMENT = "attachment", "Attachment"
        OTHER = "other", "Other document"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.EMAIL)
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="documents")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    sender = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="sent_documents"
    )
    sender_raw = models.CharField(max_length=500, blank=True, help_text="The From line as printed.")
    sender_redacted = models.BooleanField(default=False)
    recipients = models.ManyToManyField(
        Person,
        through="Recipient",
        through_fields=("document", "person"),
        related_name="received_documents",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    date_raw = models.CharField(max_length=200, blank=True, help_text="The date as printed.")
    subject = models.TextField(blank=True)
    subject_inferred = models.BooleanField(
        default=False, help_text="No Subject line printed: the subject of the email quoting it."
    )
    normalized_subject = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=998, blank=True, db_index=True)
    references = models.TextField(blank=True)
    # The Message-IDs of ``references``, so that a new email's replies are found through an
    # index however large the archive (a text search of ``references`` reads every row).
    reference_ids = ArrayField(models.CharField(max_length=998), default=list, blank=True)
    fingerprint = models.CharField(
        max_length=64, blank=True, help_text="Dedupe key: sender, minute, subject, start of body."
    )
    exemptions = exemption_codes_field()
    jurisdictions = models.ManyToManyField(Jurisdiction, blank=True, related_name="documents")
    attachments = models.JSONField(
        default=list, blank=True, help_text="[{name, content_type, size}]"
    )
    parse_warnings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=~Q(fingerprint=""),
                name="document_fingerprint_unique",
            ),
            models.CheckConstraint(
                condition=~Q(sender_redacted=True, sender__isnull=False),
                name="document_redacted_sender_is_no_person",
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="document_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["sent_at"]),
            models.Index(fields=["thread", "sent_at"]),
            models.Index(fields=["sender", "sent_at"]),
            GinIndex(fields=["exemptions"], name="document_exemptions_gin"),
            GinIndex(fields=["reference_ids"], name="document_reference_ids_gin"),
        ]

    def __str__(self) -> str:
        sender = (
            "(redacted)"
            if self.sender_redacted
            else (self.sender or self.sender_raw or "unknown sender")
        )
        when = self.sent_at.date().isoformat() if self.sent_at else "undated"
        return f"{self.subject or '(no subject)'} — {sender}, {when}"

    @property
    def appearances_once(self) -> list[Appearance]:
        """Each place the email is printed, once: an email printed on a page and quoted again
        on the same page (by a reply printed there) is one place to cite. Where it is printed
        on its own wins over a quotation (uses prefetched appearances when there are)."""
        places: dict[tuple, Appearance] = {}
        for appearance in self.appearances.all():
            key = (appearance.source_file_id, appearance.first_page, appearance.last_page)
            known = places.get(key)
            quoted, standalone = Appearance.Kind.QUOTED, Appearance.Kind.STANDALONE
            if known is None or (known.kind, appearance.kind) == (quoted, standalone):
                places[key] = appearance
        return list(places.values())

    @property
    def recipients_in_order(self) -> list[Recipient]:
        """To, then Cc, then Bcc, each as printed (uses prefetched entries when there are)."""
        order = {field: rank for rank, field in enumerate(Recipient.Field.values)}
        return sorted(self.recipient_entries.all(), key=lambda e: (order[e.field], e.position))


class Recipient(models.Model):
    """One To/Cc/Bcc entry of an email, as printed and as resolved to a Person."""

    class Field(models.TextChoices):
        TO = "to", "To"
        CC = "cc", "Cc"
        BCC = "bcc", "Bcc"

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="recipient_entries"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="recipient_entries"
    )
    field = models.CharField(max_length=3, choices=Field.choices)
    raw = models.CharField(max_length=500, help_text="As printed.")
    redacted = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["document", "field", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(redacted=True, person__isnull=True) | Q(redacted=False),
                name="recipient_redacted_is_no_person",
            ),
            models.UniqueConstraint(
                fields=["document", "field", "position"], name="recipient_position"
            ),
        ]
        indexes = [models.Index(fields=["person", "document"])]

    def __str__(self) -> str:
        who = "(redacted)" if self.redacted else (self.person or self.raw)
        return f"{self.get_field_display()}: {who}"


class Appearance(models.Model):
    """Where a Document was printed in the release: file, pages, Bates range, quoted or not."""

    class Kind(models.TextChoices):
        STANDALONE = "standalone", "Standalone"
        QUOTED = "quoted", "Quoted in a later email"

    class Match(models.TextChoices):
        """Why this printing is the Document it names: each merge is explained where it is
        cited. Blank for printings imported before the reason was kept."""

        NEW = "new", "the first printing found"
        MESSAGE_ID = "message_id", "its Message-ID"
        PRINTED_ALIKE = (
            "alike",
            "the same sender, minute, subject and start of text (no Message-ID)",
        )
        SAME_TEXT = "same_text", "the same title and text"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="appearances")
    source_file = models.ForeignKey(
        SourceFile, on_delete=models.CASCADE, related_name="appearances"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.STANDALONE)
    quoted_in = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="quoted_appearances"
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within the file.")
    matched_by = models.CharField(max_length=10, choices=Match.choices, blank=True)
    first_page = models.PositiveIntegerField(null=True, blank=True)
    last_page = models.PositiveIntegerField(null=True, blank=True)
    bates_start = models.CharField(max_length=100, blank=True, db_index=True)
    bates_end = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["source_file", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="quoted", quoted_in__isnull=False)
                | Q(kind="standalone", quoted_in__isnull=True),
                name="appearance_quoted_names_quoting_email",
            ),
            models.CheckConstraint(
                condition=Q(first_page__isnull=True, last_page__isnull=True)
                | Q(first_page__gte=1, last_page__gte=F("first_page")),
                name="appearance_page_range",
            ),
        ]
        indexes = [models.Index(fields=["document", "source_file"])]

    def __str__(self) -> str:
        parts = [self.source_file.batch.name, self.source_file.original_name, self.pages_label]
        if self.bates_label:
            parts.append(f"Bates {self.bates_label}")
        if self.kind == self.Kind.QUOTED:
            parts.append("quoted")
        return ", ".join(part for part in parts if part)

    @property
    def pages_label(self) -> str:
        if self.first_page is None:
            return ""
        if self.first_page == self.last_page:
            return f"p. {self.first_page}"
        return f"pp. {self.first_page}-{self.last_page}"

    @property
    def bates_label(self) -> str:
        if self.bates_start and self.bates_end and self.bates_end != self.bates_start:
            return f"{self.bates_start}-{self.bates_end}"
        return self.bates_start


class Annotation(models.Model):
    """A user's note on a thread, optionally anchored to a passage of one email.

    The anchor is the exact quote plus a little text before and after it (like the W3C
    TextQuoteSelector), so it can be found again when the page is rendered differently.
    """

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Only me"
        SHARED = "shared", "Everyone who can read the archive"

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="annotations")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="annotations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="annotations"
    )
    body = models.TextField()
    quote = models.TextField(blank=True, help_text="The exact passage annotated.")
    quote_prefix = models.CharField(max_length=100, blank=True)
    quote_suffix = models.CharField(max_length=100, blank=True)
    visibility = models.CharField(
        max_length=7, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["thread", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote="") | Q(document__isnull=False),
                name="annotation_quote_needs_email",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="annotation_has_body"),
        ]
        permissions = [
            ("share_annotation", "Can share annotations with every reader"),
            ("moderate_annotation", "Can delete anyone's annotation"),
        ]
        indexes = [
            models.Index(fields=["thread", "visibility"]),
            models.Index(fields=["author", "created_at"]),
        ]

    def __str__(self) -> str:
        first_line = self.body.strip().splitlines()[0] if self.body.strip() else ""
        return f"{self.author} on “{self.thread.subject or '(no subject)'}”: {first_line[:60]}"

    def clean(self) -> None:
        if self.document_id and self.thread_id and self.document.thread_id != self.thread_id:
            raise ValidationError({"document": "The annotated email belongs to another thread."})


class ArchiveRevision(models.Model):
    """A number that grows whenever the archive's emails change (a file imported, a batch
    deleted, a thread repaired): figures computed from every email are kept until it moves."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"revision {self.number}"


class ThreadChange(models.Model):
    """One repair of the threading by an editor, kept so it can be undone.

    ``moves`` lists ``[email id, thread before, thread after]``; ``removed_threads`` keeps the
    threads the change emptied (deleted, so lists never show empty threads) with what undoing
    needs to bring them back under the same number: subject and tags.
    """

    class Kind(models.TextChoices):
        MERGE = "merge", "Threads merged"
        MOVE = "move", "Email moved"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    target = models.ForeignKey(
        Thread, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_number = models.PositiveBigIntegerField(help_text="The thread the emails went to.")
    created_target = models.BooleanField(default=False)
    moves = models.JSONField(default=list)
    removed_threads = models.JSONField(default=list)
    added_tags = models.JSONField(default=list, help_text="Tags the target gained.")
    moved_annotations = models.JSONField(default=list, help_text="[[id, thread before]]")
    reason = models.CharField(max_length=500, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} into thread {self.target_number}"


class AuditEntry(models.Model):
    """Who did what to the archive, and when. Our own model rather than django-auditlog: the
    actions worth recording are the archive's own (a merge moves many emails at once, an import
    writes with bulk inserts that model signals never see), so each service records one entry
    in the same transaction as its change."""

    class Action(models.TextChoices):
        TAG_ADDED = "tag_added", "Tag added"
        TAG_REMOVED = "tag_removed", "Tag removed"
        NOTE_ADDED = "note_added", "Annotation added"
        NOTE_EDITED = "note_edited", "Annotation edited"
        NOTE_DELETED = "note_deleted", "Annotation deleted"
        THREADS_MERGED = "threads_merged", "Threads merged"
        EMAIL_MOVED = "email_moved", "Email moved"
        REPAIR_UNDONE = "repair_undone", "Thread repair undone"
        ALIAS_ADDED = "alias_added", "Alias added"
        ALIAS_REMOVED = "alias_removed", "Alias removed"
        BATCH_IMPORTED = "batch_imported", "Batch imported"
        BATCH_DELETED = "batch_deleted", "Batch deleted"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(
        max_length=150, help_text="Kept when the account is deleted; the command line otherwise."
    )
    action = models.CharField(max_length=20, choices=Action.choices, db_index=True)
    target = models.CharField(
        max_length=300, help_text="What it was done to, as a reader names it."
    )
    target_url = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.get_action_display()} {self.target}"
        )


class ImportJob(models.Model):
    """One run of the import worker over files of a batch: uploaded, in a folder on the server,
    or the failed ones again. Its counters are the progress page; ``runner`` and
    ``heartbeat_at`` tell a live run from one whose worker was killed (see import_jobs)."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Uploaded files"
        FOLDER = "folder", "Folder on the server"
        RETRY = "retry", "Failed files again"
        OCR = "ocr", "Files needing OCR"
        REPLACE = "replace", "A replaced file"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Importing"
        FINISHED = "finished", "Finished"
        FAILED = "failed", "Stopped by an error"

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    source_dirs = models.JSONField(default=list, help_text="Folders the files are read from.")
    only_names = models.JSONField(
        default=list, blank=True, help_text="File names to import; empty: every file."
    )
    files_total = models.PositiveIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    bytes_done = models.PositiveBigIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)
    ocr_pages_done = models.PositiveIntegerField(default=0, help_text="Pages read by OCR.")
    pages_total = models.PositiveIntegerField(
        default=0, help_text="Pages of the PDFs to read, counted before the first is read."
    )
    seconds_per_page = models.FloatField(
        null=True,
        blank=True,
        help_text="Recent seconds per page, smoothed: the time left follows OCR's slower rate "
        "as soon as OCR'd pages come.",
    )
    emails_found = models.PositiveIntegerField(default=0)
    failures = models.JSONField(
        default=list, blank=True, help_text="Files that needed attention: [[file name, reason]]."
    )
    current_file = models.CharField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    runner = models.CharField(max_length=200, blank=True, help_text="host:pid of the worker.")
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.batch.name}: {self.get_status_display()}"
