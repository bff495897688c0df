"""An ordinary 403 is one line in the server log, not a traceback."""

import io
import logging

import pytest
from django.urls import reverse

from taavon.core.logs import QuietRefusals

pytestmark = pytest.mark.django_db


def test_a_refusal_logs_one_line_without_a_traceback(client, viewer):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(QuietRefusals())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        client.force_login(viewer)
        assert client.get(reverse("registry:create")).status_code == 403
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert "Forbidden" in text and "/cooperatives/new/" in text
    assert "Traceback" not in text and "PermissionDenied" not in text


def test_the_server_console_uses_the_filter(settings):
    assert "quiet_refusals" in settings.LOGGING["handlers"]["console"]["filters"]


def test_errors_keep_their_traceback():
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, None)
    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    record.status_code = 500
    assert QuietRefusals().filter(record) and record.exc_info is not None
