"""The festival's outputs registered with the pages below it: the export kinds `festival-results` and
`festival-national`. Called from festival.contributions.register()."""

from django.utils.translation import gettext_lazy as _

from taavon.core.contributions import EXPORT_KINDS, ExportKind


def _rows(national: bool):
    def rows(*, edition=None):
        from taavon.festival.exports import edition_of, results_export_list

        if edition in (None, ""):
            raise ValueError("give the edition: --edition N")
        qs = results_export_list(edition=edition_of(edition), national=national)
        return qs.iterator(chunk_size=2000), qs.count()

    return rows


def register_outputs() -> None:
    from taavon.festival import exports

    EXPORT_KINDS.register(
        ExportKind(
            code="festival-results",
            label=_("The festival's results"),
            columns=exports.COLUMNS,
            rows=_rows(national=False),
            sheet=_("Results"),
            filters=("edition",),
        )
    )
    EXPORT_KINDS.register(
        ExportKind(
            code="festival-national",
            label=_("The festival's provincial winners for the national round"),
            columns=exports.COLUMNS,
            rows=_rows(national=True),
            sheet=_("National round"),
            filters=("edition",),
        )
    )
