"""What triage contributes below it: its early-warning rules (core.contributions.TRIAGE_RULES). The flagged list's
export kind, the record section, the home page's panels and the dashboard's figures are registered here as they are
built. Registered from TriageConfig.ready()."""


def register() -> None:
    from taavon.triage import rules

    rules.register()
