"""Logging filters, imported by the LOGGING setting (so: nothing here imports Django)."""

from __future__ import annotations

import logging


class ClientErrorsOnOneLine(logging.Filter):
    """Log a refused request (4xx) as one line, without the traceback of why.

    Django attaches the exception to every "Bad request" and "Forbidden" record; for input a
    client got wrong that is kilobytes of log per request for nothing the site can fix.
    Server errors (5xx) keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
