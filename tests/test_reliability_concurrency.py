"""Parallel writers on PostgreSQL: the same relation, attribution or edit at once; exactly one wins.

Each thread is its own API client with its own database connection, released to a barrier so the
requests really overlap. The losers get 400 (duplicate) or 412 (stale ETag), never a 500, and the
database holds no duplicate and no lost update.
"""

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from claims.models import Attribution, Claim, ClaimRelation
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 8


def race(user, send):
    """Run `send(client)` in WRITERS threads at once; return their responses' (status, body)."""
    barrier = threading.Barrier(WRITERS)
    results = []
    lock = threading.Lock()

    def writer(index):
        try:
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait(timeout=30)
            response = send(client, index)
            with lock:
                results.append((response.status_code, response.content.decode()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == WRITERS, results
    return results


def _one_winner(results, loser_statuses):
    statuses = sorted(status for status, _ in results)
    assert all(status < 500 for status in statuses), results
    winners = [status for status in statuses if status in {200, 201}]
    assert len(winners) == 1, results
    assert set(statuses) - {200, 201} <= loser_statuses, results


@pytest.fixture
def root():
    return factories.user(is_superuser=True, is_staff=True)


def test_parallel_writers_create_one_relation(root):
    a, b = factories.claim(), factories.claim()
    payload = {"from_claim": a.pk, "to_claim": b.pk, "kind": "disputes"}
    results = race(root, lambda client, i: client.post("/api/relations/", payload, format="json"))
    _one_winner(results, {400, 409})
    assert ClaimRelation.objects.filter(from_claim=a, to_claim=b).count() == 1


def test_parallel_writers_create_one_attribution(root):
    quote, claim = factories.quote(), factories.claim()
    payload = {"claim": claim.pk, "quote": quote.pk, "stance": "asserts"}
    results = race(root, lambda client, i: client.post("/api/attributions/", payload, format="json"))
    _one_winner(results, {400, 409})
    assert Attribution.objects.filter(claim=claim, quote=quote).count() == 1


def test_parallel_edits_with_the_same_etag_leave_exactly_one(root):
    claim = factories.claim(text="Before.")
    etag = f'"{claim.pk}-{claim.version}"'

    def edit(client, index):
        return client.patch(f"/api/claims/{claim.pk}/", {"text": f"Edit {index}."}, format="json", HTTP_IF_MATCH=etag)

    results = race(root, edit)
    _one_winner(results, {409, 412})
    winner_body = next(body for status, body in results if status == 200)
    claim.refresh_from_db()
    assert claim.version == 2  # one edit applied, none lost over another
    assert f'"text":"{claim.text}"' in winner_body.replace(": ", ":")
    assert Claim.history.filter(id=claim.pk).count() == 2  # the creation and the one edit
