"""The constraints that keep the archive's data whole, and names a person can read."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from documents.models import (
    Annotation,
    Appearance,
    Document,
    Jurisdiction,
    Person,
    PersonAlias,
    Recipient,
    SourceFile,
    Thread,
)
from tests.factories import (
    make_appearance,
    make_batch,
    make_document,
    make_file,
    make_page,
    make_thread,
)

pytestmark = pytest.mark.django_db


def rejected(create) -> bool:
    """True when the database refuses the write."""
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_the_same_content_is_imported_once_and_copies_are_recorded_as_duplicates():
    original = make_file()
    other_batch = make_batch()
    assert rejected(lambda: make_file(batch=other_batch, sha256=original.sha256))
    copy = make_file(
        batch=other_batch,
        sha256=original.sha256,
        status=SourceFile.Status.DUPLICATE,
        duplicate_of=original,
    )
    assert copy.duplicate_of == original
    assert rejected(
        lambda: make_file(sha256=original.sha256, status=SourceFile.Status.DUPLICATE)
    ), "a duplicate must name the file it duplicates"


def test_a_failed_or_encrypted_file_always_carries_its_reason():
    assert rejected(lambda: make_file(status=SourceFile.Status.FAILED, error=""))
    assert rejected(lambda: make_file(status=SourceFile.Status.ENCRYPTED))
    failed = make_file(
        status=SourceFile.Status.FAILED, error="The PDF's cross-reference table is broken."
    )
    assert "failed" in str(failed)


def test_sha256_must_be_a_hex_digest():
    assert rejected(lambda: make_file(sha256="not-a-digest"))


def test_page_numbers_are_unique_and_positive_within_a_file():
    source = make_file()
    make_page(source, 1)
    assert rejected(lambda: make_page(source, 1))
    assert rejected(lambda: make_page(source, 0))


def test_an_appearance_always_points_at_a_file():
    document = make_document()
    assert rejected(lambda: Appearance.objects.create(document=document, first_page=1, last_page=1))


def test_a_document_is_never_without_a_thread():
    assert rejected(lambda: Document.objects.create(subject="orphan", body="no thread"))


def test_a_thread_with_emails_cannot_be_deleted_out_from_under_them():
    document = make_document()
    with pytest.raises(Exception, match="protected"):
        document.thread.delete()


def test_quoted_appearances_name_the_quoting_email_and_page_ranges_run_forward():
    source = make_file()
    original = make_document()
    reply = make_document(thread=original.thread, subject="RE: RE: Santa Clara County opt out")
    assert rejected(lambda: make_appearance(original, source, kind=Appearance.Kind.QUOTED))
    assert rejected(lambda: make_appearance(original, source, first_page=5, last_page=4))
    quoted = make_appearance(original, source, kind=Appearance.Kind.QUOTED, quoted_in=reply)
    assert quoted.pages_label == "pp. 3-4"
    assert quoted.bates_label == "ICE2010FOIA2674.0003437-ICE2010FOIA2674.0003438"
    assert str(quoted).endswith(
        "pp. 3-4, Bates ICE2010FOIA2674.0003437-ICE2010FOIA2674.0003438, quoted"
    )


def test_one_email_has_one_document_per_fingerprint():
    make_document(fingerprint="a" * 64)
    assert rejected(lambda: make_document(fingerprint="a" * 64))
    make_document(fingerprint="")
    make_document(fingerprint="")  # not yet fingerprinted: no clash


def test_a_redacted_sender_or_recipient_is_never_a_person():
    person = Person.objects.create(name="David Venturella", email="david.venturella@ice.dhs.gov")
    assert rejected(lambda: make_document(sender=person, sender_redacted=True, sender_raw="(b)(6)"))
    redacted = make_document(sender=None, sender_redacted=True, sender_raw="(b)(6)")
    assert "(redacted)" in str(redacted)
    assert rejected(
        lambda: Recipient.objects.create(
            document=redacted, person=person, field="to", raw="(b)(6)", redacted=True
        )
    )
    entry = Recipient.objects.create(
        document=redacted, field="cc", raw="(b)(6), (b)(7)(C)", redacted=True
    )
    assert str(entry) == "Cc: (redacted)"


def test_people_are_unique_by_email_whatever_its_case_and_aliases_by_spelling():
    person = Person.objects.create(name="David Venturella", email="David.Venturella@ice.dhs.gov")
    assert rejected(
        lambda: Person.objects.create(name="D. Venturella", email="david.venturella@ICE.DHS.GOV")
    )
    assert rejected(lambda: Person.objects.create(name="", email=""))
    PersonAlias.objects.create(
        person=person, alias="Venturella, David", normalized="venturella, david"
    )
    assert rejected(
        lambda: PersonAlias.objects.create(
            person=person, alias="VENTURELLA, DAVID", normalized="venturella, david"
        )
    )
    assert str(person) == "David Venturella <David.Venturella@ice.dhs.gov>"


def test_thread_dates_run_forward():
    later = make_document().sent_at
    earlier = later.replace(year=2009)
    assert rejected(lambda: make_thread(first_sent_at=later, last_sent_at=earlier))
    thread = make_thread(first_sent_at=earlier, last_sent_at=later, message_count=3)
    assert str(thread) == "RE: Santa Clara County opt out (3 emails)"
    assert str(make_thread(message_count=1)) == "RE: Santa Clara County opt out (1 email)"


def test_threads_carry_tags():
    thread = make_thread()
    thread.tags.add("opt-out", "Santa Clara")
    assert sorted(
        Thread.objects.filter(tags__name__in=["opt-out"]).values_list("id", flat=True)
    ) == [thread.id]
    assert sorted(tag.name for tag in thread.tags.all()) == ["Santa Clara", "opt-out"]


def test_a_quoted_annotation_is_anchored_to_one_email_of_its_thread():
    user = get_user_model().objects.create_user("advocate")
    document = make_document()
    other_thread = make_thread(subject="Unrelated")
    assert rejected(
        lambda: Annotation.objects.create(
            thread=document.thread, author=user, body="Note", quote="opt out"
        )
    )
    assert rejected(lambda: Annotation.objects.create(thread=document.thread, author=user, body=""))
    stray = Annotation(thread=other_thread, document=document, author=user, body="Wrong thread")
    with pytest.raises(Exception, match="another thread"):
        stray.clean()
    note = Annotation.objects.create(
        thread=document.thread,
        document=document,
        author=user,
        body="ICE concedes the county cannot opt out.\nSecond line.",
        quote="discuss the county's letter",
        quote_prefix="We need to ",
        quote_suffix=" before Friday.",
        visibility=Annotation.Visibility.SHARED,
    )
    assert (
        str(note)
        == "advocate on “RE: Santa Clara County opt out”: ICE concedes the county cannot opt out."
    )


def test_jurisdictions_below_state_level_have_a_state_parent_and_a_well_formed_fips():
    # A made-up state, so the test does not clash with the gazetteer already loaded.
    state = Jurisdiction.objects.create(
        kind="state", name="Deseret", slug="zz", state_code="ZZ", fips="98"
    )
    county = {
        "kind": "county",
        "name": "Salt Lake County",
        "slug": "zz-county-salt-lake",
        "state_code": "ZZ",
    }
    assert rejected(lambda: Jurisdiction.objects.create(**county, fips="98035"))  # no parent
    assert rejected(lambda: Jurisdiction.objects.create(**county, fips="9835", parent=state))
    assert rejected(
        lambda: Jurisdiction.objects.create(
            kind="city",
            name="Provo",
            slug="zz-city-provo",
            state_code="ZZ",
            fips="98035",
            parent=state,
        )
    ), "cities carry no county FIPS code"
    created = Jurisdiction.objects.create(**county, fips="98035", parent=state)
    assert str(created) == "Salt Lake County, ZZ"
    assert str(state) == "Deseret"


def test_document_names_read_like_a_citation():
    document = make_document()
    assert str(document) == "RE: Santa Clara County opt out — Venturella, David, 2010-05-17"
    assert (
        str(make_page(make_file(original_name="ICE-part1.pdf"), 7))
        == "ICE-part1.pdf p. 7 (ICE2010FOIA2674.0000007)"
    )
