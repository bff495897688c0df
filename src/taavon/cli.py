"""The `taavon` console script: Django's management command with Taavon's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taavon.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["taavon", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
