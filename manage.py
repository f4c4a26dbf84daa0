#!/usr/bin/env python
"""Django's command line, saying in one line what to set when the settings cannot load."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        # A missing setting is the operator's to fix, not a bug: the message, not a traceback.
        sys.exit(f"manage.py: {exc}")


if __name__ == "__main__":
    main()
