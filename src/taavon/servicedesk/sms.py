"""Replies go to the cooperator by SMS through a pluggable backend (settings.TAAVON_SMS_BACKEND). Taavon ships no
provider: the console backend logs the message, the file backend appends it to `<data dir>/sms.log` (the demo's and
the tests'). A provider's backend is a class with `send(mobile, text) -> None` that raises on failure."""

import logging
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

log = logging.getLogger("taavon.sms")


class ConsoleBackend:
    def send(self, mobile: str, text: str) -> None:
        log.info("SMS to %s: %s", mobile, text)


class FileBackend:
    def send(self, mobile: str, text: str) -> None:
        path = Path(settings.DATA_DIR) / "sms.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"{timezone.now().isoformat()}\t{mobile}\t{text}\n")


def backend():
    return import_string(settings.TAAVON_SMS_BACKEND)()


def send_reply(message) -> bool:
    """Send a reply to the request's mobile; record when it was sent. A failing provider is logged, never raised
    into the request that replied (the reply is saved and shown in the portal either way)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    request = message.request
    with override(settings.LANGUAGE_CODE):
        text = _("Service desk, request %(code)s: %(text)s") % {
            "code": request.code,
            "text": message.body[:300],
        }
    try:
        backend().send(request.requester_mobile, text)
    except Exception:  # a provider's failure must not undo the reply
        log.exception("SMS for request %s failed", request.code)
        return False
    type(message).objects.filter(pk=message.pk).update(sms_sent_at=timezone.now())
    return True
