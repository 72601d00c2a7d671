"""The people, jurisdictions and batches pages: what they count, what they link to, escaping,
and a fixed number of SQL queries whatever the archive holds."""

import pytest
from django.urls import reverse

from documents.archive_cache import archive_changed
from documents.imports.report import update_batch_counters
from documents.models import Jurisdiction, PersonAlias, SourceFile
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
from tests.html import tiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(gazetteer_db):
    venturella = make_person("David Venturella", "david.venturella@ice.dhs.gov", organization="ICE")
    PersonAlias.objects.create(
        person=venturella, alias="Venturella, David", normalized="venturella, david"
    )
    marquez = make_person("Miguel Marquez", "miguel.marquez@cco.sccgov.org")
    rapp = make_person("Marc Rapp", "marc.rapp@ice.dhs.gov")
    santa_clara = Jurisdiction.objects.get(slug="ca-county-santa-clara-county")
    san_jose = Jurisdiction.objects.get(slug="ca-city-san-jose")
    threads = []
    for n, (sender, recipients, places, when) in enumerate(
        [
            (venturella, [marquez, rapp], [santa_clara], at(2010, 5, 3)),
            (venturella, [marquez], [santa_clara, san_jose], at(2010, 5, 4)),
            (venturella, [rapp], [], at(2010, 7, 1)),
            (marquez, [venturella], [san_jose], at(2010, 7, 2)),
            (rapp, [venturella], [], at(2011, 1, 5)),
        ]
    ):
        thread = make_thread(subject=f"Thread {n}")
        document = make_document(thread=thread, sender=sender, sent_at=when, subject=f"Thread {n}")
        for person in recipients:
            add_recipient(document, person)
        document.jurisdictions.set(places)
        threads.append(thread)
    refresh_threads({t.pk for t in threads})
    return {"venturella": venturella, "marquez": marquez, "rapp": rapp}


def test_the_people_directory_counts_emails_sent_and_received(client, people):
    response = client.get(reverse("people"), {"sort": "sent"})
    rows = [(p.name, p.sent, p.received) for p in response.context["page"].object_list]
    assert rows == [("David Venturella", 3, 2), ("Marc Rapp", 1, 2), ("Miguel Marquez", 1, 2)]


def test_the_people_directory_finds_a_spelling_as_printed(client, people):
    page = client.get(reverse("people"), {"name": "Venturella, D"})
    assert [p.name for p in page.context["page"].object_list] == ["David Venturella"]
    assert [
        p.name
        for p in client.get(reverse("people"), {"name": "ICE.DHS"}).context["page"].object_list
    ] == [
        "David Venturella",
        "Marc Rapp",
    ]


def test_a_persons_page(client, people):
    venturella = people["venturella"]
    response = client.get(reverse("person", args=[venturella.pk]))
    profile = response.context["profile"]
    assert (profile.sent, profile.received, profile.thread_count) == (3, 2, 5)
    assert [(c.person.name, c.count) for c in profile.wrote_to] == [
        ("Marc Rapp", 2),
        ("Miguel Marquez", 2),
    ]
    assert [(c.person.name, c.count) for c in profile.heard_from] == [
        ("Marc Rapp", 1),
        ("Miguel Marquez", 1),
    ]
    bars = {bar.month.strftime("%Y-%m"): bar.count for bar in response.context["timeline"].bars}
    assert bars["2010-05"] == 2 and bars["2010-07"] == 2 and bars["2011-01"] == 1
    bar = next(b for b in response.context["timeline"].bars if b.count)
    assert bar.url == f"/threads/?month=2010-05&person={venturella.pk}"
    page = response.content.decode()
    assert "Printed as: “Venturella, David”" in page
    assert f'href="/threads/?person={venturella.pk}"' in page
    assert f'href="/threads/?sender={venturella.pk}"' in page
    assert f'href="/threads/?recipient={venturella.pk}"' in page


def test_jurisdictions_grouped_by_state_and_a_state_covers_its_places(client, people):
    groups = client.get(reverse("jurisdictions")).context["groups"]
    assert [(g.state.name, g.threads) for g in groups] == [("California", 3)]
    assert {(p.place.name, p.threads) for p in groups[0].places} == {
        ("Santa Clara County", 2),
        ("San Jose", 2),
    }
    state = client.get(reverse("jurisdiction", args=["ca"])).context["profile"]
    assert (state.emails, state.thread_count) == (3, 3)
    assert [(w.person.name, w.count) for w in state.writers] == [
        ("David Venturella", 2),
        ("Miguel Marquez", 1),
    ]
    assert [p.place.name for p in state.places] == ["San Jose", "Santa Clara County"]
    assert "State of California" in state.aliases and "California" not in state.aliases
    county = client.get(reverse("jurisdiction", args=["ca-county-santa-clara-county"]))
    assert (county.context["profile"].emails, county.context["profile"].thread_count) == (2, 2)
    assert "/threads/?place=ca-county-santa-clara-county" in county.content.decode()
    assert client.get(reverse("jurisdiction", args=["nowhere"])).status_code == 404


def test_a_batch_page_reports_every_file_and_why_one_failed(client, gazetteer_db):
    batch = make_batch(
        name="ice-2010-part1",
        title="ICE <b>part 1</b>",
        request_number="2010FOIA2674",
        source_url="https://example.org/foia/ice-2010",
    )
    good = make_file(batch=batch, original_name="a.pdf", page_count=2)
    for number in (1, 2):
        make_page(good, number, needs_ocr=number == 2)
    make_appearance(make_document(), good, first_page=1, last_page=1)
    make_file(
        batch=batch,
        original_name="b.pdf",
        status=SourceFile.Status.FAILED,
        error="not a PDF, .eml or mbox file",
    )
    update_batch_counters(batch)  # as the import service does after each file
    report = client.get(reverse("batch", args=[batch.name]))
    page = report.content.decode()
    assert [f.original_name for f in report.context["report"].attention] == ["b.pdf"]
    assert "not a PDF, .eml or mbox file" in page
    assert "ICE &lt;b&gt;part 1&lt;/b&gt;" in page and "<b>part 1" not in page
    assert tiles(page) == {
        "Files": "2",
        "Pages": "2",
        "Emails": "1",
        "Files needing attention": "1",
        "Pages needing OCR": "1",
        "Pages withheld in full": "0",
        "Warnings": "0",
    }
    assert '<a href="https://example.org/foia/ice-2010" rel="noopener noreferrer">' in page
    listing = client.get(reverse("batches")).content.decode()
    assert f'href="/batches/{batch.name}/"' in listing


@pytest.mark.parametrize(
    "page", ["people", "jurisdictions", "batches", "person", "california", "county"]
)
def test_directory_pages_cost_the_same_queries_whatever_they_list(
    client, people, page, django_assert_max_num_queries
):
    url = {
        "person": reverse("person", args=[people["rapp"].pk]),
        "california": reverse("jurisdiction", args=["ca"]),
        "county": reverse("jurisdiction", args=["ca-county-santa-clara-county"]),
    }.get(page) or reverse(page)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for n in range(30):
        person = make_person(f"Person {n}", f"person{n}@example.gov")
        thread = make_thread(subject=f"More {n}")
        document = make_document(thread=thread, sender=person, sent_at=at(2010, 9, 1 + n % 28))
        add_recipient(document, people["rapp"])
        document.jurisdictions.set([Jurisdiction.objects.get(slug="va-county-arlington-county")])
        make_appearance(document, make_file(batch=make_batch()))
        refresh_threads({thread.pk})
    archive_changed()  # as the import of those emails would
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_people_pages_keep_the_search_and_sort(client, people, monkeypatch):
    from documents.browse import people_directory

    monkeypatch.setattr(people_directory, "PEOPLE_PER_PAGE", 2)
    first = client.get(reverse("people"), {"sort": "sent"}).content.decode()
    assert '<a rel="next" href="/people/?sort=sent&amp;page=2">' in first
    second = client.get(reverse("people"), {"sort": "sent", "page": "2"})
    assert [p.name for p in second.context["page"].object_list] == ["Miguel Marquez"]
    assert '<a rel="prev" href="/people/?sort=sent&amp;page=1">' in second.content.decode()
