"""What the service desk contributes below it (record section, home panels, export kind, documents, triage's
`inactive` activity): the staff pages' part (staff_contributions) and the portal's and figures' part
(portal_contributions). Registered from ServiceDeskConfig.ready()."""


def register() -> None:
    from taavon.servicedesk import portal_contributions, staff_contributions

    staff_contributions.register()
    portal_contributions.register()
