"""The `taavon` console script: Django's management command with Taavon's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
    import django
    from django.core.management import execute_from_command_line
    from django.utils import translation

    # The command line speaks English (terminals neither join Persian letters nor lay them out right to left);
    # TAAVON_CLI_LANGUAGE=fa for Persian. The web interface's default stays Persian.
    django.setup()
    language = os.environ.get("TAAVON_CLI_LANGUAGE", "en")
    translation.activate(language if language in ("fa", "en") else "en")

    execute_from_command_line(["taavon", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
