"""The thread page and what hangs off it: redaction codes marked, quoted earlier emails collapsed,
citations linking to the PDF page and the page's text, the original file, earlier and later
threads, and the thread's exports."""

import json
import mailbox
import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.browse.reading import mark_redactions
from documents.ingest import exemption_spans
from documents.models import Appearance, SourceFile
from documents.threads import refresh_threads
from tests.factories import (
    add_recipient,
    at,
    make_appearance,
    make_batch,
    make_document,
    make_file,
    make_page,
    make_person,
    make_thread,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(media_root):
    """A reply that quotes the email it answers, both printed in one stored PDF."""
    batch = make_batch(
        name="ice-2010-part1",
        title="ICE Secure Communities, part 1",
        agency="U.S. Immigration and Customs Enforcement",
        request_number="2010FOIA2674",
        released_on=date(2011, 1, 14),
    )
    source = make_file(batch=batch, original_name="production/ICE2010FOIA2674.pdf", page_count=4)
    source.stored_file.save("ICE2010FOIA2674.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    for number in range(1, 5):
        make_page(source, number, text=f"From: Venturella, David\npage {number} (b)(6)")
    venturella = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    marquez = make_person("Miguel Marquez", "miguel.marquez@cco.sccgov.org")
    conversation = make_thread(subject="Santa Clara County opt out")
    request = make_document(
        thread=conversation,
        sender=marquez,
        sent_at=at(2010, 5, 3, 9, 5),
        body="Please tell us how a county may opt out. Call (b)(6) or b7C.",
        exemptions=["(b)(6)", "(b)(7)(C)"],
    )
    add_recipient(request, venturella)
    add_recipient(request, None, field="cc", raw="(b)(6)", redacted=True)
    reply = make_document(
        thread=conversation,
        sender=venturella,
        sent_at=at(2010, 5, 4, 16, 30),
        parent=request,
        body="<b>Counties cannot opt out</b> of information sharing.",
    )
    add_recipient(reply, marquez)
    make_appearance(
        request,
        source,
        first_page=3,
        last_page=3,
        bates_start="ICE2010FOIA2674.0003437",
        bates_end="",
    )
    make_appearance(
        reply,
        source,
        first_page=4,
        last_page=4,
        bates_start="ICE2010FOIA2674.0003438",
        bates_end="",
    )
    make_appearance(
        request,
        source,
        kind=Appearance.Kind.QUOTED,
        quoted_in=reply,
        first_page=4,
        last_page=4,
        bates_start="ICE2010FOIA2674.0003438",
        bates_end="",
    )
    refresh_threads({conversation.pk})
    return conversation, request, reply, source


def test_exemption_spans_find_each_printed_form():
    text = "Call (b)(6) or (b) (7)(C), b6, B7c; not b6b or abc6."
    assert [code for _, _, code in exemption_spans(text)] == [
        "(b)(6)",
        "(b)(7)(C)",
        "(b)(6)",
        "(b)(7)(C)",
    ]
    start, end, _ = exemption_spans(text)[1]
    assert text[start:end] == "(b) (7)(C)"


def test_redaction_codes_are_set_apart_in_escaped_text():
    from django.utils.safestring import mark_safe

    assert mark_redactions("<i>x</i> Call (b)(6) now") == mark_redactions(
        mark_safe("&lt;i&gt;x&lt;/i&gt; Call (b)(6) now")
    )
    marked = mark_redactions("<i>x</i> Call (b)(6) now")
    assert marked == (
        '&lt;i&gt;x&lt;/i&gt; Call <span class="redaction-code" title="(b)(6) Personal privacy">'
        "(b)(6)</span> now"
    )


def test_the_thread_page_shows_each_email_escaped_with_codes_marked(client, thread):
    conversation, request, reply, _ = thread
    page = client.get(reverse("thread", args=[conversation.pk])).content.decode()
    assert page.index(f'id="message-{request.pk}"') < page.index(f'id="message-{reply.pk}"')
    assert "&lt;b&gt;Counties cannot opt out&lt;/b&gt;" in page
    assert "<b>Counties" not in page
    assert re.search(
        r'<span class="redaction-code" title="\(b\)\(6\) Personal privacy">\(b\)\(6\)</span> or '
        r'<span class="redaction-code" title="\(b\)\(7\)\(C\)[^"]*">b7C</span>',
        page,
    )
    assert '<span class="redacted">(b)(6)</span>' in page  # the redacted Cc
    assert 'href="/threads/?exemption=%28b%29%287%29%28C%29"' in page  # an exemption chip


def test_quoted_earlier_text_is_collapsed_and_points_at_its_email(client, thread):
    conversation, request, reply, _ = thread
    page = client.get(reverse("thread", args=[conversation.pk])).content.decode()
    quoted = page[page.index(f'id="message-{reply.pk}"') :]
    details = quoted[quoted.index('<details class="quoted">') : quoted.index("</details>")]
    assert '<details class="quoted" open' not in quoted
    assert "Quoted earlier email: Miguel Marquez, May 3, 2010, 9:05 a.m." in details
    assert f'href="#message-{request.pk}"' in details
    assert "Please tell us how a county may opt out." in details


def test_citations_link_to_the_pdf_page_and_the_page_text(client, thread):
    conversation, request, reply, source = thread
    page = client.get(reverse("thread", args=[conversation.pk])).content.decode()
    assert (
        "<cite>ice-2010-part1, production/ICE2010FOIA2674.pdf, p. 3, Bates ICE2010FOIA2674.0003437</cite>"
        in page
    )
    assert f'href="/files/{source.pk}/original#page=3"' in page
    assert f'href="/files/{source.pk}/pages/3/"' in page


def test_copy_citation_gives_the_release_the_place_the_email_and_a_permanent_link(client, thread):
    conversation, request, reply, source = thread
    page = client.get(reverse("thread", args=[conversation.pk])).content.decode()
    copies = re.findall(r'data-copy="([^"]*)"', page)
    assert (
        "Email from Miguel Marquez, May 3, 2010, 9:05 a.m. PDT, “RE: Santa Clara County opt out”. "
        "U.S. Immigration and Customs Enforcement, FOIA request 2010FOIA2674, "
        "“ICE Secure Communities, part 1” (released Jan. 14, 2011), "
        "file production/ICE2010FOIA2674.pdf, p. 4, Bates ICE2010FOIA2674.0003438, "
        f"quoted in a later email. http://testserver/emails/{request.pk}/"
    ) in copies
    assert (
        "Email from David Venturella, May 4, 2010, 4:30 p.m. PDT, “RE: Santa Clara County opt out”. "
        "U.S. Immigration and Customs Enforcement, FOIA request 2010FOIA2674, "
        "“ICE Secure Communities, part 1” (released Jan. 14, 2011), "
        "file production/ICE2010FOIA2674.pdf, p. 4, Bates ICE2010FOIA2674.0003438. "
        f"http://testserver/emails/{reply.pk}/"
    ) in copies


def test_what_the_release_stamped_on_a_page_is_in_its_citations(client, thread):
    conversation, request, reply, source = thread
    source.pages.filter(number=3).update(
        case_number="F-2014-20439",
        document_number="C05765911",
        release_date=date(2015, 8, 31),
        release_status="RELEASE IN PART B6",
    )
    page = client.get(reverse("thread", args=[conversation.pk])).content.decode()
    stamped = "Case No. F-2014-20439, Doc No. C05765911, RELEASE IN PART B6 (08/31/2015)"
    assert f"Bates ICE2010FOIA2674.0003437, {stamped}</cite>" in page
    assert f"Bates ICE2010FOIA2674.0003437, {stamped}. http://testserver/emails/" in page
    text = client.get(reverse("page-text", args=[source.pk, 3])).content.decode()
    assert stamped in text


def test_where_it_appears_lists_each_place_once(client, thread):
    conversation, request, reply, source = thread
    # The reply quoted again on the page where it is printed, by a later email printed there.
    make_appearance(
        reply, source, kind=Appearance.Kind.QUOTED, quoted_in=request, first_page=4, last_page=4
    )
    page = client.get(reverse("document", args=[reply.pk])).content.decode()
    where = page[page.index("Where it appears") :]
    assert re.findall(r"<cite>(.*?)</cite>", where) == [
        "ice-2010-part1, production/ICE2010FOIA2674.pdf, p. 4, Bates ICE2010FOIA2674.0003438"
    ]


def test_the_page_text_view(client, thread):
    conversation, request, reply, source = thread
    response = client.get(reverse("page-text", args=[source.pk, 4]))
    page = response.content.decode()
    assert "Page 4 of 4" in page and "Bates ICE2010FOIA2674.0000004" in page
    assert '<span class="redaction-code"' in page
    assert f"/threads/{conversation.pk}/#message-{reply.pk}" in page
    assert f"/threads/{conversation.pk}/#message-{request.pk}" in page  # quoted on it
    assert f'href="/files/{source.pk}/pages/3/"' in page and "/pages/5/" not in page
    assert f'href="/files/{source.pk}/original#page=4"' in page
    assert client.get(reverse("page-text", args=[source.pk, 9])).status_code == 404


def test_the_original_file_opens_in_the_browser_sandboxed(client, thread):
    source = thread[3]
    response = client.get(reverse("source-original", args=[source.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    eml = make_file(detected_type=SourceFile.FileType.EML, original_name="mail/reply.eml")
    eml.stored_file.save("reply.eml", ContentFile(b"From: x\n\n<script>alert(1)</script>"))
    download = client.get(reverse("source-original", args=[eml.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/octet-stream"
    no_copy = make_file()
    assert client.get(reverse("source-original", args=[no_copy.pk])).status_code == 404


def test_earlier_and_later_threads(client, thread):
    conversation = thread[0]
    earlier = make_thread(subject="Earlier thread")
    make_document(thread=earlier, sent_at=at(2009, 1, 1))
    later = make_thread(subject="Later thread")
    make_document(thread=later, sent_at=at(2011, 1, 1))
    undated = make_thread(subject="Undated thread")
    make_document(thread=undated, sent_at=None)
    refresh_threads({earlier.pk, later.pk, undated.pk})
    page = client.get(reverse("thread", args=[conversation.pk])).content.decode()
    assert f'<a rel="prev" href="/threads/{earlier.pk}/">' in page
    assert f'<a rel="next" href="/threads/{later.pk}/">' in page
    last = client.get(reverse("thread", args=[later.pk])).content.decode()
    assert f'<a rel="next" href="/threads/{undated.pk}/">' in last  # undated threads come last
    assert 'rel="next"' not in client.get(reverse("thread", args=[undated.pk])).content.decode()


def test_the_thread_as_mbox(client, thread, tmp_path):
    conversation, request, reply, _ = thread
    response = client.get(reverse("thread-mbox", args=[conversation.pk]))
    assert (
        response["Content-Disposition"] == f'attachment; filename="thread-{conversation.pk}.mbox"'
    )
    assert b"<>" not in response.content, "a name printed without an address gets one that says so"
    path = tmp_path / "thread.mbox"
    path.write_bytes(response.content)
    messages = list(mailbox.mbox(path))
    assert [m["Subject"] for m in messages] == ["RE: Santa Clara County opt out"] * 2
    first, second = messages
    assert first["From"] == "Miguel Marquez <miguel.marquez@cco.sccgov.org>"
    assert first["Cc"] == '"(b)(6)" <address-not-printed@foia-archive.invalid>'
    assert first["Date"] == "Mon, 03 May 2010 09:05:00 -0700"
    assert first.get_all("X-FOIA-Citation") == [
        "ice-2010-part1, production/ICE2010FOIA2674.pdf, p. 3, Bates ICE2010FOIA2674.0003437",
        "ice-2010-part1, production/ICE2010FOIA2674.pdf, p. 4, Bates ICE2010FOIA2674.0003438, quoted",
    ]
    assert second["In-Reply-To"] == first["Message-ID"]
    assert "<b>Counties cannot opt out</b>" in second.get_payload(decode=True).decode()


def test_the_thread_as_json(client, thread):
    conversation, request, reply, _ = thread
    data = json.loads(client.get(reverse("thread-json", args=[conversation.pk])).content)
    assert data["thread"]["message_count"] == 2
    assert [email["id"] for email in data["emails"]] == [request.pk, reply.pk]
    assert data["emails"][0]["appearances"][0]["page_start"] == 3
    assert data["emails"][0]["cc"] == [{"name": "", "email": "", "redacted": True}]


def test_reading_a_thread_costs_the_same_queries_however_long_it_is(
    client, thread, django_assert_max_num_queries
):
    conversation, request, _, source = thread
    with django_assert_max_num_queries(20) as short:
        client.get(reverse("thread", args=[conversation.pk]))
    for n in range(10):
        extra = make_document(thread=conversation, sent_at=at(2010, 5, 5 + n), subject=f"RE: {n}")
        add_recipient(extra, make_person(f"Person {n}", f"p{n}@example.gov"))
        make_appearance(extra, source, first_page=4, last_page=4)
        extra.jurisdictions.set([])
    refresh_threads({conversation.pk})
    with django_assert_max_num_queries(len(short.captured_queries)):
        client.get(reverse("thread", args=[conversation.pk]))
