"""Every model whose records feed a figure keeps its history (issue 18: figures reproduced as of any moment). A new
model of a capability joins by existing: it keeps history, or WITHOUT_HISTORY says why it need not."""

from django.apps import apps

FIGURE_APPS = {
    "places",
    "registry",
    "projects",
    "members",
    "triage",
    "servicedesk",
    "visits",
    "events",
    "festival",
    "reports",
}
WITHOUT_HISTORY = {
    "registry.CooperativeType": "a label of the identity record: no figure is counted or named by it",
    "registry.StatusChange": "an append-only log, never edited: each row carries its own moment",
    "projects.StageChange": "an append-only log, never edited: each row carries its own moment",
    "registry.ShenasnamehSequence": "a counter",
    "servicedesk.RequestSequence": "a counter",
    "registry.CooperativeCount": "a summary rebuilt from the records: a past moment's figures come from the history",
    "registry.SummaryState": "the summaries' bookkeeping",
    "projects.ProjectSum": "a summary rebuilt from the records: a past moment's figures come from the history",
    "members.PersonalDataDownload": "the log of personal data downloaded (itself an audit record)",
}


def test_every_model_that_feeds_a_figure_keeps_history():
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        if model._meta.app_label not in FIGURE_APPS or model.__name__.startswith("Historical"):
            continue
        if not hasattr(model, "history") and label not in WITHOUT_HISTORY:
            missing.append(label)
    assert not missing, f"models without history (add AuditHistory, or say why in WITHOUT_HISTORY): {missing}"


def test_the_exceptions_are_still_models():
    labels = {m._meta.label for m in apps.get_models()}
    assert set(WITHOUT_HISTORY) <= labels
