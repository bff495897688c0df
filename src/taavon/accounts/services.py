"""Writes on users' own settings."""

import logging

from django.conf import settings
from django.db import transaction

from taavon.accounts.models import User

audit = logging.getLogger("taavon.audit")


def user_set_language(*, acting_user: User, language: str) -> User:
    """The user's interface language (the switch on every page). An unknown code is Persian, never an error."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=acting_user.pk)
        if user.language != language:
            before = user.language
            user.language = language
            user.save(update_fields=["language"])
            audit.info("user %s language %r → %r", user.pk, before, language)
    acting_user.language = language
    return user
