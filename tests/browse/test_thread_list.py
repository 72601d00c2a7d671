"""The threads list: each filter narrows to the threads a person would expect, sorting, pages,
the timeline beside it, bad filter values, and a fixed number of SQL queries per page."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from documents.browse.thread_list import list_url
from documents.models import Appearance, Jurisdiction
from documents.threads import refresh_threads
from tests.factories import (
    add_recipient,
    at,
    make_appearance,
    make_batch,
    make_document,
    make_file,
    make_person,
    make_thread,
)

pytestmark = pytest.mark.django_db


def email(thread, sent_at, sender=None, to=(), places=(), exemptions=(), source=None):
    document = make_document(
        thread=thread,
        sent_at=sent_at,
        sender=sender,
        subject=thread.subject,
        sender_raw=sender.name if sender else "(b)(6)",
        exemptions=list(exemptions),
    )
    for person in to:
        add_recipient(document, person)
    document.jurisdictions.set(places)
    if source:
        make_appearance(document, source, kind=Appearance.Kind.STANDALONE)
    return document


@pytest.fixture
def archive(gazetteer_db):
    """Four threads, built so that each filter singles out a known set of them."""
    venturella = make_person("David Venturella", "david.venturella@ice.dhs.gov")
    marquez = make_person("Miguel Marquez", "miguel.marquez@cco.sccgov.org")
    rapp = make_person("Marc Rapp", "marc.rapp@ice.dhs.gov")
    santa_clara = Jurisdiction.objects.get(slug="ca-county-santa-clara-county")
    arlington = Jurisdiction.objects.get(slug="va-county-arlington-county")
    first, second = make_batch(name="ice-2010-part1"), make_batch(name="ice-2010-part2")
    in_first, in_second = make_file(batch=first), make_file(batch=second)

    opt_out = make_thread(subject="Santa Clara County opt out")
    email(opt_out, at(2010, 4, 20), marquez, [venturella], [santa_clara], ["(b)(6)"], in_first)
    email(opt_out, at(2010, 6, 2), venturella, [marquez], [santa_clara], source=in_first)
    email(opt_out, at(2010, 6, 3), marquez, [venturella, rapp], source=in_first)
    opt_out.tags.add("opt-out")

    arlington_thread = make_thread(subject="Arlington activation")
    email(arlington_thread, at(2010, 5, 31, 20), rapp, [venturella], [arlington], source=in_second)

    briefing = make_thread(subject="Congressional briefing")
    email(briefing, at(2009, 11, 2), venturella, [rapp], exemptions=["(b)(5)"], source=in_second)
    email(briefing, at(2009, 11, 3), rapp, [venturella], source=in_second)

    undated = make_thread(subject="Undated note")
    email(undated, None, None, [rapp], source=in_first)

    refresh_threads({opt_out.pk, arlington_thread.pk, briefing.pk, undated.pk})
    return {
        "venturella": venturella,
        "marquez": marquez,
        "rapp": rapp,
        "opt_out": opt_out,
        "arlington": arlington_thread,
        "briefing": briefing,
        "undated": undated,
    }


def subjects(client, **params) -> list[str]:
    response = client.get(reverse("threads"), params)
    assert response.status_code == 200
    return [thread.subject for thread in response.context["listing"].page.object_list]


def test_every_thread_newest_first_without_filters(client, archive):
    assert subjects(client) == [
        "Santa Clara County opt out",
        "Arlington activation",
        "Congressional briefing",
        "Undated note",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2009"}, {"Congressional briefing"}),
        ({"year": "2010"}, {"Santa Clara County opt out", "Arlington activation"}),
        # An email at 8 pm on May 31 in California is in May, though June 1 in UTC; the opt-out
        # thread spans May (April to June) with no email in it.
        ({"month": "2010-05"}, {"Arlington activation"}),
        ({"month": "2010-06"}, {"Santa Clara County opt out"}),
        ({"start": "2010-06-01"}, {"Santa Clara County opt out"}),  # not May 31, 8 pm
        ({"end": "2010-04-20"}, {"Congressional briefing", "Santa Clara County opt out"}),
        ({"start": "2009-11-03", "end": "2009-11-03"}, {"Congressional briefing"}),
        ({"tag": "opt-out"}, {"Santa Clara County opt out"}),
        ({"batch": "ice-2010-part2"}, {"Arlington activation", "Congressional briefing"}),
        ({"exemption": "(b)(5)"}, {"Congressional briefing"}),
        ({"place": "ca-county-santa-clara-county"}, {"Santa Clara County opt out"}),
        ({"place": "ca"}, {"Santa Clara County opt out"}),  # a state covers its counties
        ({"place": "va"}, {"Arlington activation"}),
        ({"year": "2010", "place": "va"}, {"Arlington activation"}),
        ({"month": "2010-05", "place": "ca"}, set()),
    ],
)
def test_filters_narrow_to_the_threads_expected(client, archive, params, expected):
    assert set(subjects(client, **params)) == expected


def test_people_filters_tell_sender_recipient_and_participant_apart(client, archive):
    marquez, rapp = archive["marquez"].pk, archive["rapp"].pk
    assert set(subjects(client, sender=marquez)) == {"Santa Clara County opt out"}
    assert set(subjects(client, recipient=marquez)) == {"Santa Clara County opt out"}
    assert set(subjects(client, sender=rapp)) == {"Arlington activation", "Congressional briefing"}
    assert set(subjects(client, recipient=rapp)) == {
        "Santa Clara County opt out",
        "Congressional briefing",
        "Undated note",
    }
    assert set(subjects(client, person=rapp)) == {
        "Santa Clara County opt out",
        "Arlington activation",
        "Congressional briefing",
        "Undated note",
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (
            "-size",
            [
                "Santa Clara County opt out",
                "Congressional briefing",
                "Arlington activation",
                "Undated note",
            ],
        ),
        (
            "first",
            [
                "Congressional briefing",
                "Santa Clara County opt out",
                "Arlington activation",
                "Undated note",
            ],
        ),
        (
            "-first",
            [
                "Arlington activation",
                "Santa Clara County opt out",
                "Congressional briefing",
                "Undated note",
            ],
        ),
        (
            "last",
            [
                "Congressional briefing",
                "Arlington activation",
                "Santa Clara County opt out",
                "Undated note",
            ],
        ),
    ],
)
def test_sort_orders(client, archive, sort, expected):
    assert subjects(client, sort=sort) == expected


def test_filters_that_cannot_be_read_are_named_and_the_rest_still_apply(client, archive):
    response = client.get(
        reverse("threads"), {"month": "2010-13", "person": "abc", "tag": "opt-out"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be read" in page and "month" in page and "person" in page
    assert [t.subject for t in response.context["listing"].page.object_list] == [
        "Santa Clara County opt out"
    ]


def test_chips_name_each_filter_and_remove_only_it(client, archive):
    response = client.get(reverse("threads"), {"place": "va", "year": "2010"})
    chips = {chip.label: chip.remove_url for chip in response.context["listing"].chips}
    assert chips == {
        "Year: 2010": reverse("threads") + "?place=va",
        "Jurisdiction: Virginia": reverse("threads") + "?year=2010",
    }


def test_the_timeline_counts_emails_by_month_and_links_to_that_month(client, archive):
    listing = client.get(reverse("threads"), {"place": "ca"}).context["listing"]
    bars = {bar.month.strftime("%Y-%m"): bar for bar in listing.timeline.bars}
    # The whole year is drawn, empty months included.
    assert {month: bar.count for month, bar in bars.items()} == {
        f"2010-{month:02d}": {4: 1, 6: 2}.get(month, 0) for month in range(1, 13)
    }
    assert listing.timeline.span == "April 2010 to June 2010"
    assert bars["2010-06"].url == reverse("threads") + "?month=2010-06&place=ca"
    # A chosen month keeps the whole timeline in view, so another month is one click away.
    chosen = client.get(reverse("threads"), {"place": "ca", "month": "2010-06"})
    assert len(chosen.context["listing"].timeline.bars) == 12
    # A year or month chosen: that year's months, with counts, one chosen.
    months = chosen.context["listing"].months
    assert [(label, n, is_chosen) for label, n, _, is_chosen in months][3:6] == [
        ("Apr", 1, False),
        ("May", 0, False),
        ("Jun", 2, True),
    ]
    assert len(months) == 12


def test_a_release_of_one_month_is_drawn_as_one_bar_of_its_year_not_a_block(client, db):
    thread = make_thread(subject="Alameda County briefing")
    email(thread, at(2010, 5, 5))
    email(thread, at(2010, 5, 6))
    refresh_threads({thread.pk})
    page = client.get(reverse("threads")).content.decode()
    width = int(re.search(r'<svg class="timeline__chart" viewBox="0 0 (\d+) ', page)[1])
    bars = re.findall(r'<rect class="timeline__bar" x="(\d+)" y="[\d.]+" width="(\d+)"', page)
    assert len(bars) == 1
    x, bar = (int(n) for n in bars[0])
    assert bar / width < 1 / 12
    assert x / width == pytest.approx(4 / 12), "May stands where May stands in its year"
    assert "2 dated emails, May 2010;" in page


def test_a_participant_typed_in_the_form_narrows_the_list(client, archive):
    everyone = client.get(reverse("threads")).context["listing"].page.paginator.count
    found = client.get(reverse("threads"), {"who": "venturella"})
    listing = found.context["listing"]
    assert 0 < listing.page.paginator.count < everyone
    for thread in listing.page.object_list:
        names = " ".join(p.name + " " + p.email for p in thread.participants.all()).lower()
        assert "venturella" in names
    assert [chip.label for chip in listing.chips] == ["Participant: venturella"]
    assert 'name="who" value="venturella"' in found.content.decode()


def test_pages_and_the_same_queries_whatever_the_page_holds(
    client, archive, django_assert_max_num_queries, monkeypatch
):
    from documents.browse import thread_list

    for n in range(30):
        thread = make_thread(subject=f"Weekly report {n}")
        email(thread, at(2011, 1, 1 + n % 28), archive["rapp"], [archive["venturella"]])
        refresh_threads({thread.pk})
    per_page = thread_list.THREADS_PER_PAGE
    second = client.get(reverse("threads"), {"page": "2"})
    assert len(second.context["listing"].page.object_list) == 34 - per_page
    assert second.context["listing"].page_urls == {"previous": reverse("threads")}
    first = client.get(reverse("threads")).content.decode()
    assert '<a rel="next" href="/threads/?page=2">' in first
    assert '<a rel="prev" href="/threads/">' in second.content.decode()
    with django_assert_max_num_queries(14) as few:
        monkeypatch.setattr(thread_list, "THREADS_PER_PAGE", 5)
        client.get(reverse("threads"), {"year": "2011"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        monkeypatch.setattr(thread_list, "THREADS_PER_PAGE", 50)
        client.get(reverse("threads"), {"year": "2011"})


def test_list_urls_keep_other_filters_and_start_again_at_page_one():
    assert list_url({"tag": "opt-out", "page": "3"}, year=2010) == "/threads/?tag=opt-out&year=2010"
    assert list_url({"tag": "opt-out"}, tag=None) == "/threads/"


def test_released_text_is_escaped_in_the_list(client, gazetteer_db):
    thread = make_thread(subject='<script>alert("x")</script> opt out')
    email(thread, datetime(2010, 5, 1, tzinfo=ZoneInfo("UTC")))
    refresh_threads({thread.pk})
    page = client.get(reverse("threads")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; opt out" in page
