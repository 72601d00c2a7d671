"""Log filters."""

from __future__ import annotations

import logging

SERVER_ERROR = 500


class ClientErrorsInOneLine(logging.Filter):
    """A refused request (400, 403, 404: a bad link, a missing right, a forged form) is expected
    and logged in one line. Django attaches the exception to some of them, which would print a
    traceback for every visitor without a role; a 500 keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < SERVER_ERROR:
            record.exc_info = None
            record.exc_text = None
        return True
