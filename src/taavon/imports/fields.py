"""Model fields that keep messages (imports.messages) so that they show in the reader's language: stored as their
msgid and parameters, read back as the message in the language active when the row is read. Text written before
(plain Persian) reads back as it was."""

from django.db import models

from taavon.imports import messages


class MessageTextField(models.TextField):
    """A text field whose value may be a Message."""

    def from_db_value(self, value, expression, connection):
        return messages.loads(value)

    def get_prep_value(self, value):
        if isinstance(value, messages.Message):
            return messages.dumps(value)
        return super().get_prep_value(value)


class MessageJSONField(models.JSONField):
    """A JSON field whose structure may hold Messages (a problem's column and message)."""

    def from_db_value(self, value, expression, connection):
        return messages.from_json(super().from_db_value(value, expression, connection))

    def get_prep_value(self, value):
        return super().get_prep_value(messages.to_json(value))
