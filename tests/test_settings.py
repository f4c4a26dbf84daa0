"""The database is configured as promised: SQLite in WAL with IMMEDIATE writes, or PostgreSQL with health checks."""

from django.db import connection


def test_the_database_is_set_up_for_concurrent_reviewers(db):
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert settings["OPTIONS"]["timeout"] >= 5
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
    else:
        assert connection.vendor == "postgresql"
        assert settings["CONN_HEALTH_CHECKS"] is True
        import psycopg

        assert psycopg.__version__.startswith("3.")


def test_sqlite_files_run_in_wal_mode(tmp_path, django_db_blocker):
    """The in-memory test database cannot use WAL, so open a file database with the same options."""
    import sqlite3

    from django.db.backends.sqlite3.base import DatabaseWrapper

    from factcheck.settings import DATABASES

    if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return test_postgres_is_selected_by_database_url()
    wrapper = DatabaseWrapper({**DATABASES["default"], "NAME": str(tmp_path / "wal.sqlite3")})
    with django_db_blocker.unblock():
        wrapper.connect()
        try:
            assert wrapper.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            wrapper.close()
    assert sqlite3.connect(tmp_path / "wal.sqlite3").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_postgres_is_selected_by_database_url():
    import os

    from factcheck.settings import DATABASES

    url = os.environ.get("DATABASE_URL", "")
    expected = "django.db.backends.postgresql" if url.startswith("postgres") else "django.db.backends.sqlite3"
    assert DATABASES["default"]["ENGINE"] == expected


def test_production_refuses_to_start_without_a_secret_key():
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "factcheck.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


def test_a_command_without_its_settings_says_what_to_set_in_one_line():
    import subprocess
    import sys
    from pathlib import Path

    manage = Path(__file__).resolve().parent.parent / "manage.py"
    for command in (["import_articles", "fixtures/articles"], ["check"], ["migrate", "--plan"]):
        result = subprocess.run(
            [sys.executable, str(manage), *command], env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True
        )
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.strip().splitlines() == ["manage.py: Set SECRET_KEY (or DEBUG=1 for local development)."]


def test_the_deploy_check_leaves_only_the_https_redirect_and_hsts_to_the_proxy():
    """Production settings (a real secret, hosts, secure cookies) pass check --deploy but for two documented choices.

    TLS ends at the reverse proxy, which redirects HTTP and sends Strict-Transport-Security itself (README).
    """
    import re
    import secrets
    import subprocess
    import sys
    from pathlib import Path

    manage = Path(__file__).resolve().parent.parent / "manage.py"
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "factcheck.example.org",
        "SECURE_COOKIES": "1",
    }
    result = subprocess.run([sys.executable, str(manage), "check", "--deploy"], env=env, capture_output=True, text=True)
    reported = set(re.findall(r"\((\w+\.[WE]\d+)\)", result.stdout + result.stderr))
    assert reported == {"security.W004", "security.W008"}, result.stdout + result.stderr
