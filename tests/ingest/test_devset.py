"""The labeled development set: what the import reads from real releases, field by field, against
labels read from the pages (tests/testdata/devset). `make eval` runs this and prints the report."""

import os

import pytest

from tests.conftest import CORPUS, run_import
from tests.devset import Figures, evaluate, load_releases, report

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not beside the checkout"),
]
# Every figure of the set is to reach TARGET (issue 16); FLOORS hold what it reaches today, so a
# change that reads worse fails here. Raise a floor when the figure rises.
TARGET = 0.95
FLOORS = {
    "recall": 0.98,
    "precision": 0.98,
    "sender": 0.98,
    "recipients": 0.95,
    "date": 1.0,
    "subject": 0.95,
    "quoted": 0.99,
    "bates": 0.99,
    "places precision": 0.95,
    "places recall": 0.98,
}


def test_the_development_set_is_read_right(media_root, gazetteer_db):
    total = Figures()
    reports = []
    # EVAL_OCR=1 make eval: the emails only OCR can read as well (the D.C. scans), OCR'd during
    # the import; their figures are reported, the floors hold for the text-layer set.
    with_ocr = bool(os.environ.get("EVAL_OCR"))
    for release in load_releases(include_ocr=with_ocr):
        folder = CORPUS / release.folder
        run_import(
            [folder / name for name in release.files()],
            name=f"devset-{release.release}",
            timezone=release.timezone,
            # As an import reads them by default: scans' own OCR layers kept, their Subject
            # lines read again; pages without a text layer OCR'd (left out of the text-layer
            # set's figures, see evaluate).
            ocr="auto",
        )
        figures = evaluate(release, f"devset-{release.release}", with_ocr)
        reports.append(report(figures, release.title))
        total.add(figures)
    # EVAL_SHOWN=1000 make eval: every disagreement, not only the first.
    reports.append(report(total, "All releases", int(os.environ.get("EVAL_SHOWN", 20))))
    below = {name: round(v, 3) for name, v in total.scores().items() if v < TARGET}
    reports.append(f"Below the target of {TARGET}: {below or 'none'}")
    print("\n\n" + "\n\n".join(reports))
    assert total.labeled >= 150
    fallen = {
        name: round(value, 3) for name, value in total.scores().items() if value < FLOORS[name]
    }
    assert with_ocr or not fallen, f"below their floors {FLOORS}: {fallen}"
