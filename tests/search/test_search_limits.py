"""No query costs more than a normal one, and whatever is typed gets an answer: wildcards that
would stand for most of the index are refused, every search has a time budget, and hostile
input (deep parentheses, NUL bytes, huge numbers, 5 KB, one-letter words) gets a page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from documents.imports.sample_batch import write_sample_batch
from search import _limits as limits
from tests.conftest import run_import

TOO_SHORT = "letters before a *"


@pytest.fixture
def sample(tmp_path, media_root, gazetteer_db):
    write_sample_batch(tmp_path / "release")
    run_import([tmp_path / "release"], name="sample")


def page(client, typed):
    response = client.get(reverse("search:results"), {"q": typed})
    return response.status_code, response.content.decode()


def api(client, typed):
    response = client.get("/api/search", {"q": typed})
    return response.status_code, response.json()


@pytest.mark.parametrize("typed", ["**", "*", "***", "s*", "bates:*", "-*", '"opt out" **'])
def test_wildcards_standing_for_everything_are_refused_with_a_reason(sample, client, typed):
    status, html = page(client, typed)
    assert status == 200
    assert TOO_SHORT in html
    status, found = api(client, typed)
    assert status == 200 and any(TOO_SHORT in note for note in found["notes"])


def test_a_wildcard_with_enough_letters_still_finds(sample, client):
    status, found = api(client, "coun*")
    assert status == 200 and found["total"] > 0 and not found["notes"]


def test_a_wildcard_standing_for_too_many_words_is_too_broad(sample, client, monkeypatch):
    monkeypatch.setattr(limits, "MAX_EXPANDED_TERMS", 1)
    status, html = page(client, "co*")
    assert status == 200
    assert escape('"co*" stands for more than 1 words') in html
    assert "No emails match" not in html
    status, found = api(client, "co*")
    assert status == 200 and found["too_broad"] and found["total"] == 0


@pytest.mark.parametrize("typed", ["county", '"opt out"', "coun* -sheriff", "date:2010 county"])
def test_a_search_past_its_time_budget_says_the_query_is_too_broad(sample, client, settings, typed):
    settings.SEARCH_TIME_BUDGET = 0  # every search is past its budget at its first check
    status, html = page(client, typed)
    assert status == 200
    assert "This query is too broad" in html
    status, found = api(client, typed)
    assert status == 200 and found["too_broad"] and found["hits"] == []


def test_within_the_budget_the_same_searches_find(sample, client):
    for typed in ["county", '"opt out"', "coun* -sheriff"]:
        status, found = api(client, typed)
        assert status == 200 and found["total"] > 0 and not found["too_broad"], typed


HOSTILE = {
    "deep parentheses": ("(" * 400 + "county" + ")" * 400, "nested more than"),
    "unclosed deep parentheses": ("(" * 600 + "county", "nested more than"),
    "fifty minus signs": ("-" * 50, ""),
    "spaced minus signs": ("- " * 50 + "county", ""),
    "NUL byte": ("county\x00sheriff", ""),
    "out-of-range thread": ("thread:99999999999999999999", "thread: takes a thread number"),
    "superscript digit thread": ("thread:\u00b2", "thread: takes a thread number"),
    "5 KB": ("county " * 730, "longer than 1,000 characters"),
    "one-letter word N": ("N", ""),
    "one-letter word a": ("a", ""),
    "unknown word and a letter": ("zzqx a", ""),
    "NOT chain": ("NOT " * 240 + "county", ""),
    "a lone * in a phrase": ('"opt * out"', ""),
}


@pytest.mark.parametrize(("typed", "note"), HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_queries_get_an_answer(sample, client, typed, note):
    status, html = page(client, typed)
    assert status == 200
    assert "Something went wrong" not in html
    assert note in html
    status, found = api(client, typed)
    assert status == 200
    assert not note or any(note in line for line in found["notes"])


def test_a_nul_byte_in_a_filter_or_a_huge_page_number_gets_a_page(sample, client):
    response = client.get(
        reverse("search:results"), {"q": "county", "f": "batch:sa\x00mple", "page": "9" * 30}
    )
    assert response.status_code == 200
