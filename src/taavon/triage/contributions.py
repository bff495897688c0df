"""What triage contributes below it: its early-warning rules (core.contributions.TRIAGE_RULES); the flags' and
record health's parts (flag_contributions) and the cases' (case_contributions): record sections, home panels,
export kinds, documents. Registered from TriageConfig.ready()."""


def register() -> None:
    from taavon.triage import case_contributions, flag_contributions, rules

    rules.register()
    flag_contributions.register()
    case_contributions.register()
