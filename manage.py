#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys
from pathlib import Path

# A checkout gets a local secret key of its own, made once and kept out of git, so that
# `python manage.py check_code …` and friends work without setup. Servers started any other
# way (daphne course.asgi:application) still refuse to start without DJANGO_SECRET_KEY.
LOCAL_SECRET_FILE = Path(__file__).resolve().parent / ".secret_key"


def local_secret_key() -> str:
    if not LOCAL_SECRET_FILE.exists():
        LOCAL_SECRET_FILE.write_text(secrets.token_urlsafe(50))
        LOCAL_SECRET_FILE.chmod(0o600)
    return LOCAL_SECRET_FILE.read_text().strip()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.settings")
    if not os.environ.get("DJANGO_SECRET_KEY"):
        os.environ["DJANGO_SECRET_KEY"] = local_secret_key()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
