"""What users read is Persian: no developer's English note reaches a form as help text."""

import re

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db

PERSIAN = re.compile(r"[\u0600-\u06ff]")


def _taavon_models():
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("taavon.") and not m.__name__.startswith("Historical")
    ]


@pytest.mark.parametrize("model", _taavon_models(), ids=lambda m: m._meta.label)
def test_help_texts_are_persian(model):
    for field in model._meta.get_fields():
        text = str(getattr(field, "help_text", "") or "")
        assert not text or PERSIAN.search(text), f"{model._meta.label}.{field.name}: help text {text!r}"


def test_the_registry_form_shows_no_english_help(client, county_officer):
    from django.urls import reverse

    client.force_login(county_officer)
    body = client.get(reverse("registry:create")).content.decode()
    for text in re.findall(r'<div class="form-text">(.*?)</div>', body):
        assert PERSIAN.search(text), text
    assert "As typed" not in body
