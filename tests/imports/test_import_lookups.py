"""However large the archive, what an import looks up for each email (its earlier copies, its
thread, its people) is answered from an index, never by reading a whole table: a new batch costs
the same in an archive of 100,000 emails as in an empty one (make bench-mbox measures it). The
per-file and per-batch figures (files, pages, counters) are left out: they grow with the batch,
not the archive."""

import re
from collections import defaultdict

import pytest
from django.db import connection

from documents.imports.sample_batch import write_sample_batch
from tests.conftest import run_import
from tests.ingest.test_other_documents import LETTER, MEMO, write_pdf

pytestmark = pytest.mark.django_db

# The tables an email's lookups read, named after the query's first FROM.
PER_EMAIL = re.compile(r'"documents_(document|thread|person|personalias|recipient)"')
SCAN = re.compile(r"(Seq Scan|Index Scan|Index Only Scan)( using \w+)? on documents_\w+")


def whole_table_reads(plan: list[str]) -> list[str]:
    """The plan's reads of a whole archive table: a sequential scan, or an index walked from
    end to end (no Index Cond: what ordering by the primary key and taking the first gives)."""
    found = []
    for number, line in enumerate(plan):
        if not SCAN.search(line):
            continue
        details = []
        for detail in plan[number + 1 :]:
            if "->" in detail:
                break
            details.append(detail)
        if "Seq Scan" in line or not any("Index Cond" in detail for detail in details):
            found.append(line.strip())
    return found


def test_every_repeated_lookup_of_an_import_can_use_an_index(tmp_path, media_root, gazetteer_db):
    write_sample_batch(tmp_path / "release")
    write_pdf(tmp_path / "release" / "letters.pdf", [MEMO, LETTER])
    (tmp_path / "release" / "letter.eml").write_text(
        "From: Someone New <someone.new@county.ca.gov>\nTo: Marc Rapp <MARC.RAPP@ice.dhs.gov>\n"
        "Subject: Opt out\nDate: Tue, 28 Sep 2010 16:12:00 -0700\n\nA new email.\n"
    )
    lookups: dict[str, list] = defaultdict(list)

    def capture(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT"):
            lookups[sql].append(params)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        run_import([tmp_path / "release"])
    repeated = {
        sql: params
        for sql, params in lookups.items()
        if len(params) > 1 and PER_EMAIL.match(sql.split(" FROM ", 1)[1])
    }
    assert len(repeated) > 5  # the import's lookups were seen
    scans = {}
    with connection.cursor() as cursor:
        # An index wherever one can serve, reached from the lookup's own values: on tables this
        # small the planner may otherwise merge-join whole indexes, which says nothing of scale.
        cursor.execute("ANALYZE")  # statistics of these rows, not of what earlier tests left
        for setting in ("enable_seqscan", "enable_mergejoin", "enable_hashjoin"):
            cursor.execute(f"SET LOCAL {setting} = off")
        for sql, params in repeated.items():
            cursor.execute(f"EXPLAIN {sql}", params[0])
            plan = [row[0] for row in cursor.fetchall()]
            if whole_table_reads(plan):
                scans[sql] = "\n".join(plan)
    assert not scans, "\n\n".join(f"{sql}\n{plan}" for sql, plan in scans.items())
