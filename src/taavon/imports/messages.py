"""Messages an import keeps (a row's problem, a batch's error, a step's note) and shows later, in the language of
whoever reads them — not of the background worker that wrote them.

A Message is a str: its text in the language active when it was made (so it can be compared, joined, searched,
shown at once), and what it is made of — an English msgid marked for translation (gettext_noop) and its
parameters — which is what is stored. Read back from the database (imports.fields), it is made again from that,
in the reader's language. Parameters are data shown as they are (str), numbers shown with the language's digits
(int), or other messages: a text given in both languages (`texts`, e.g. a county's two names), a list (`listing`).

This module imports no Django model: the file check's child process (imports.readers) makes messages too.
"""

import json
from collections.abc import Iterable

TAG = "_msg"  # a stored message: {"_msg": spec}


def gettext_noop(msgid: str) -> str:
    """Marks an English msgid for the catalogue (the extraction knows this name), as Django's does — without
    needing Django's settings (Django's asks them)."""
    return msgid


def _configured() -> bool:
    from django.conf import settings

    return settings.configured


def _english() -> bool:
    if not _configured():
        return False
    from django.utils import translation

    return (translation.get_language() or "fa").startswith("en")


def _translate(msgid: str) -> str:
    if not _configured():
        return msgid
    from django.utils.translation import gettext

    return gettext(msgid)


def _digits(value) -> str:
    if not _configured():
        return str(value)
    from taavon.core.formatting import digits

    return digits(value)


def _number(value) -> str:
    if not _configured():
        return str(value)
    from taavon.core.formatting import number

    return number(value)


def render(spec) -> str:
    """The text of a stored message (or of one of its parameters) in the active language."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, bool) or spec is None:
        return str(spec or "")
    if isinstance(spec, int):
        return _digits(spec)
    if not isinstance(spec, dict):
        return str(spec)
    if "id" in spec:
        msgid = str(spec["id"])
        params = {str(k): render(v) for k, v in (spec.get("p") or {}).items()}
        text = _translate(msgid)
        if not params:
            return text
        try:
            return text % params
        except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder: the English then
            try:
                return msgid % params
            except (KeyError, ValueError, TypeError):
                return msgid
    if "list" in spec:
        sep = spec.get("sep")
        if sep is None:
            sep = ", " if _english() else "، "
        return sep.join(render(item) for item in spec["list"])
    if "num" in spec:
        return _number(spec["num"])
    if "dg" in spec:
        return _digits(spec["dg"])
    if "fa" in spec or "en" in spec:
        if _english() and spec.get("en"):
            return str(spec["en"])
        return str(spec.get("fa") or spec.get("en") or "")
    return ""


class Message(str):
    """A message: its text now, and its spec (what is stored)."""

    spec: object

    def __new__(cls, spec):
        self = super().__new__(cls, render(spec))
        self.spec = spec
        return self

    def __reduce__(self):
        return (Message, (self.spec,))

    def again(self) -> "Message":
        """The same message in the language active now."""
        return Message(self.spec)

    def stored(self) -> dict:
        return {TAG: self.spec}


def _param(value):
    if isinstance(value, Message):
        return value.spec
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | str) or value is None:
        return value if value is not None else ""
    return str(value)


def message(msgid: str, **params) -> Message:
    """A message from an English msgid (marked with gettext_noop where it is written) and its parameters."""
    spec: dict = {"id": msgid}
    if params:
        spec["p"] = {k: _param(v) for k, v in params.items()}
    return Message(spec)


def texts(fa: str, en: str | None = None) -> Message:
    """A text given in both languages (a reference record's two names, another module's bilingual error)."""
    if not en or en == fa:
        return Message(fa)
    return Message({"fa": fa, "en": en})


def name_of(record) -> Message:
    """A reference record's name (a county, a province...) in the reader's language."""
    return texts(record.name_fa, getattr(record, "name_en", "") or record.name_fa)


def listing(items: Iterable, sep: str | None = None) -> Message:
    """Items joined by the language's list separator ("، " / ", "), or by `sep`."""
    spec: dict = {"list": [_param(i) for i in items]}
    if sep is not None:
        spec["sep"] = sep
    return Message(spec)


def digits_of(value) -> Message:
    """A text (a shenasnameh, an ID) with the reader's digits."""
    return Message({"dg": str(value)})


def number_of(value: int) -> Message:
    """A whole number with the reader's digits and thousands separators."""
    return Message({"num": int(value)})


def in_both(label) -> Message:
    """A lazily translated label of another module (a choice's label) as a text in both languages."""
    from django.utils import translation

    with translation.override("fa"):
        fa = str(label)
    with translation.override("en"):
        en = str(label)
    return texts(fa, en)


def of_error(exc: BaseException) -> Message:
    """An exception's message, kept so that it shows in the reader's language when it can: our own messages as
    they are, the Persian core's bilingual errors in both languages, Django's ValidationError item by item (a lazy
    message in both languages), anything else as its text."""
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError):
        return listing([of_validation(e) for e in exc.error_list], sep=" ")
    arg = exc.args[0] if len(exc.args) == 1 else None
    if isinstance(arg, Message):
        return arg
    if hasattr(exc, "english") and isinstance(getattr(exc, "message", None), str):
        return texts(exc.message, exc.english)
    return Message(str(exc))


def of_validation(error) -> Message:
    """One ValidationError (of an error list) as a message: ours as it is, a lazy one in both languages."""
    from django.utils import translation

    text, params = error.message, error.params
    if isinstance(text, Message) and not params:
        return text

    def shown() -> str:
        return str(text % params if params else text)

    with translation.override("fa"):
        fa = shown()
    with translation.override("en"):
        en = shown()
    return texts(fa, en)


def of_errors(exc) -> dict[str, list[Message]]:
    """A ValidationError's messages by field ({"__all__": ...} for the others)."""
    if hasattr(exc, "error_dict"):
        return {field: [of_validation(e) for e in errors] for field, errors in exc.error_dict.items()}
    return {"__all__": [of_validation(e) for e in exc.error_list]}


def dumps(value) -> str:
    """A message (or plain text) as a database text: a message's JSON, plain text as it is."""
    if isinstance(value, Message):
        return json.dumps(value.stored(), ensure_ascii=False)
    return value


def loads(text):
    """A database text back: a message made again in the active language, or the plain text (old rows)."""
    if isinstance(text, str) and text.startswith('{"' + TAG + '"'):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, dict) and TAG in data:
            return Message(data[TAG])
    return text


def to_json(value):
    """A structure (problems, sample) with its messages as {"_msg": spec}, for a JSON field."""
    if isinstance(value, Message):
        return value.stored()
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value


def from_json(value):
    """A JSON field's structure with its messages made again in the active language."""
    if isinstance(value, dict):
        if len(value) == 1 and TAG in value:
            return Message(value[TAG])
        return {k: from_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_json(v) for v in value]
    return value
