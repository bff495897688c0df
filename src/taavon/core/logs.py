"""Logging filters. An ordinary refusal (403: a viewer opening an edit page, a representative a staff page) is one
line in the server log — who asked for what — not a traceback that looks like a crash."""

import logging


class QuietRefusals(logging.Filter):
    """Drops the traceback of django.request's "Forbidden (Permission denied)" records; keeps the line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
