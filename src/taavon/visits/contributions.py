"""What visits contribute below them (the cooperative's record section, home panels, the `findings` export kind, the
photos as protected documents, triage's `visit_closed` rule and the `inactive` rule's activity). Registered from
VisitsConfig.ready()."""


def register() -> None:
    pass
