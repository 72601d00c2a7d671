"""Table tests of the search box's language: what a user types and the Whoosh query it becomes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from haystack import connections
from whoosh import query as q

from search._query import QueryTranslator

PACIFIC = ZoneInfo("America/Los_Angeles")
TAGS = ["Sanctuary", "Opt-out question"]


@pytest.fixture(scope="module")
def translate():
    backend = connections["default"].get_backend()
    _, schema = backend.build_schema(connections["default"].get_unified_index().all_searchfields())
    translator = QueryTranslator(schema, PACIFIC, lambda name: TAGS if name == "tags" else [])
    return translator.translate


def anywhere(query_type, *args):
    """A word with no field: in the full text, weighing more when in the subject too."""
    text, subject = query_type("text", *args), query_type("subject", *args)
    subject.boost = 2.0
    return q.AndMaybe(text, subject)


def phrase_anywhere(*words):
    """A phrase with no field: its pairs of words in the full text; its words in the subject."""
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    text = q.Term("pairs", pairs[0]) if len(pairs) == 1 else q.Phrase("pairs", pairs)
    return q.AndMaybe(text, q.And([q.Term("subject", word) for word in words], boost=2.0))


def utc(*parts):
    return datetime(*parts, tzinfo=PACIFIC).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


CASES = [
    ("opting", anywhere(q.Term, "opt")),
    ("Opt AND county", q.And([anywhere(q.Term, "opt"), anywhere(q.Term, "counti")])),
    ("opt OR county", q.Or([anywhere(q.Term, "opt"), anywhere(q.Term, "counti")])),
    ("opt NOT county", q.And([anywhere(q.Term, "opt"), q.Not(anywhere(q.Term, "counti"))])),
    ("opt -county", q.And([anywhere(q.Term, "opt"), q.Not(anywhere(q.Term, "counti"))])),
    ('"opt out"', phrase_anywhere("opt", "out")),
    (
        '"opt out of Secure Communities"',
        phrase_anywhere("opt", "out", "secur", "commun"),
    ),
    ("activ*", anywhere(q.Prefix, "activ")),
    (
        "(rapp OR venturella) opt",
        q.And(
            [
                q.Or([anywhere(q.Term, "rapp"), anywhere(q.Term, "venturella")]),
                anywhere(q.Term, "opt"),
            ]
        ),
    ),
    ("from:rapp", q.Term("sender", "rapp")),
    ("FROM:Rapp", q.Term("sender", "rapp")),
    ("to:venturella", q.Term("to", "venturella")),
    ("cc:marquez", q.Term("cc", "marquez")),
    ('subject:"secure communities"', q.Phrase("subject", ["secur", "commun"])),
    ('jurisdiction:"santa clara"', q.Phrase("places", ["santa", "clara"])),
    ("file:production", q.Term("files", "product")),
    ("tag:sanctuary", q.Term("tags", "Sanctuary")),
    ('tag:"opt-out question"', q.Term("tags", "Opt-out question")),
    ("batch:ice-2010", q.Term("batches", "ice-2010")),
    ("exemption:b6", q.Or([q.Term("exemptions", "(b)(6)"), q.Prefix("exemptions", "(b)(6)(")])),
    (
        "exemption:(b)(7)(c)",
        q.Or([q.Term("exemptions", "(b)(7)(C)"), q.Prefix("exemptions", "(b)(7)(C)(")]),
    ),
    ("thread:42", q.Term("thread", 42)),
    ("bates:ICE2010FOIA2674.0003437", q.Term("bates", "ice2010foia2674.0003437")),
    ("date:2010", q.DateRange("sent_at", utc(2010, 1, 1), utc(2011, 1, 1), endexcl=True)),
    ("date:2010-05", q.DateRange("sent_at", utc(2010, 5, 1), utc(2010, 6, 1), endexcl=True)),
    ("date:2010-12", q.DateRange("sent_at", utc(2010, 12, 1), utc(2011, 1, 1), endexcl=True)),
    ("date:2010-05-07", q.DateRange("sent_at", utc(2010, 5, 7), utc(2010, 5, 8), endexcl=True)),
    (
        "date:2010-05..2010-07",
        q.DateRange("sent_at", utc(2010, 5, 1), utc(2010, 8, 1), endexcl=True),
    ),
    ("NOT draft", q.And([q.Every(), q.Not(anywhere(q.Term, "draft"))])),
    ("-from:rapp", q.And([q.Every(), q.Not(q.Term("sender", "rapp"))])),
]


@pytest.mark.parametrize(("typed", "expected"), CASES, ids=[case[0] for case in CASES])
def test_translation(translate, typed, expected):
    parsed = translate(typed)
    # Whoosh's normalize() would fold "everything AND NOT x" into "everything": compare as built.
    assert parsed.query in (expected, expected.normalize())
    assert parsed.notes == []


MALFORMED = [
    ("((opt", anywhere(q.Term, "opt"), "never closed"),
    ("opt)", anywhere(q.Term, "opt"), "without a matching"),
    ('"opt out', phrase_anywhere("opt", "out"), "quotation mark"),
    ("opt AND", anywhere(q.Term, "opt"), '"AND" with nothing'),
    ("opt OR", anywhere(q.Term, "opt"), '"OR" at the end'),
    ("NOT", q.NullQuery, '"NOT" with nothing'),
    ("date:May", q.NullQuery, "date: takes"),
    ("date:2010-13", q.NullQuery, "date: takes"),
    ("thread:abc", q.NullQuery, "thread: takes"),
    ("exemption:zz", q.NullQuery, "exemption: takes"),
    ("sender:rapp", q.And([anywhere(q.Term, "sender"), anywhere(q.Term, "rapp")]), "not a field"),
]


@pytest.mark.parametrize(("typed", "expected", "note"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_input_gets_a_note_and_a_best_effort_query(translate, typed, expected, note):
    parsed = translate(typed)
    assert parsed.query == (expected if expected is q.NullQuery else expected.normalize())
    assert any(note in line for line in parsed.notes), parsed.notes


@pytest.mark.parametrize(
    "typed", ["", "   ", '"', "()", "-", ":", "from:", "a:b:c", "((((", "))))"]
)
def test_anything_typed_is_read_without_an_error(translate, typed):
    translate(typed)
