"""The generated email print and its scan, shared by the OCR tests of one module at a time."""

import pytest

from tests.ingest.test_ocr import printed_email, scanned


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    path = tmp_path_factory.mktemp("ocr") / "printed.pdf"
    printed_email(path)
    return path


@pytest.fixture(scope="module")
def scan(printed):
    return scanned(printed, printed.with_name("scan.pdf"))
