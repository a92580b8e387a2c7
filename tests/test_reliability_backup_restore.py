"""Backup and restore: dumpdata, then loaddata into an emptied database, gives the same API output."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db(transaction=True)

RESOURCES = ["speakers", "sources", "quotes", "claims", "relations", "attributions", "reviews"]


def _pages(client, url):
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        pages.append(response.json())
        url = pages[-1].get("next")
    return pages


def api_snapshot(user):
    """Every list page of every resource as anonymous readers and as a superuser (who sees drafts too),
    and every detail as the superuser."""
    snapshot = {}
    for who in ("anonymous", "superuser"):
        client = APIClient()
        if who == "superuser":
            client.force_authenticate(user)
        for resource in RESOURCES:
            pages = _pages(client, f"/api/{resource}/")
            snapshot[(who, resource)] = pages
            for page in pages if who == "superuser" else []:
                for row in page["results"]:
                    detail = client.get(row["href"])
                    assert detail.status_code == 200
                    snapshot[(who, row["href"])] = (detail.json(), detail.get("ETag"))
    return snapshot


@pytest.fixture(autouse=True)
def _unthrottled(monkeypatch):
    # Hundreds of reads in a row; rate limits have their own tests (test_security_api).
    monkeypatch.setattr(
        "rest_framework.throttling.SimpleRateThrottle.THROTTLE_RATES", {"anon": None, "user": None}
    )


def test_dumpdata_then_loaddata_into_an_empty_database_gives_identical_api_output(tmp_path, settings):
    call_command("loaddata", "seed", verbosity=0)
    root = get_user_model().objects.create_superuser("backup-root", "root@example.org", "x" * 20)
    before = api_snapshot(root)
    assert sum(len(page["results"]) for page in before[("anonymous", "claims")]) > 0

    backup = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        # Natural keys for references to rebuilt rows (content types, permissions), but primary
        # keys kept: the API's URLs carry them, so a restore must not renumber rows.
        "--natural-foreign",
        # Rebuilt by migrate/post_migrate in every database, so not part of a backup.
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=sessions",
        "--exclude=admin.logentry",
        f"--output={backup}",
        verbosity=0,
    )
    call_command("flush", "--no-input", verbosity=0)
    assert not get_user_model().objects.exists()

    # The history comes back from the backup itself: simple-history must not also record the
    # restore (its m2m tracking writes history rows even on loaddata's raw saves, which then
    # collide with the restored ones on PostgreSQL).
    settings.SIMPLE_HISTORY_ENABLED = False
    call_command("loaddata", str(backup), verbosity=0)
    settings.SIMPLE_HISTORY_ENABLED = True
    after = api_snapshot(get_user_model().objects.get(username="backup-root"))
    assert after.keys() == before.keys()
    for key in before:
        assert after[key] == before[key], key
