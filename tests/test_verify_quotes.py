import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claims.models import Quote, Source
from tests import factories

pytestmark = pytest.mark.django_db


def test_verify_quotes_passes_on_a_consistent_record(capsys):
    factories.quote()
    call_command("verify_quotes")
    assert "0 problems" in capsys.readouterr().out


def test_verify_quotes_fails_on_a_quote_whose_text_moved(capsys):
    quote = factories.quote()
    Quote.objects.filter(pk=quote.pk).update(start=quote.start + 1, end=quote.end + 1)
    with pytest.raises(CommandError):
        call_command("verify_quotes")
    assert f"quote {quote.pk}" in capsys.readouterr().err


def test_verify_quotes_fails_on_a_tampered_archive(capsys):
    source = factories.source()
    Source.objects.filter(pk=source.pk).update(sha256="0" * 64)
    with pytest.raises(CommandError):
        call_command("verify_quotes")
    assert f"source {source.slug}" in capsys.readouterr().err


def test_verify_quotes_on_a_database_never_migrated_says_to_migrate_rather_than_crash(tmp_path):
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    finished = subprocess.run(
        [sys.executable, str(manage), "verify_quotes"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 1
    assert "run `manage.py migrate`" in finished.stderr
    assert "Traceback" not in finished.stderr
