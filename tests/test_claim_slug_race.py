"""Twenty clients post the same claim wording at once, without a slug: the server finds each a free slug.

Before, the free slug was looked up, then inserted: writers that looked at the same moment all picked
the same slug, and all but one got a 400 about a `slug` they never sent.
"""

import threading

import pytest
from django.db import connections
from rest_framework.test import APIClient

from claims.models import Claim
from tests import factories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 20


def test_twenty_concurrent_posts_of_one_wording_all_get_a_free_slug(working_groups):
    curator = factories.user(groups=["curators"])
    barrier = threading.Barrier(WRITERS)
    results, lock = [], threading.Lock()

    def writer():
        try:
            client = APIClient()
            client.force_authenticate(curator)
            barrier.wait(timeout=30)
            response = client.post("/api/claims/", {"text": "The blockade cut Bamako's fuel."}, format="json")
            with lock:
                results.append((response.status_code, response.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [status for status, _ in results] == [201] * WRITERS, results
    slugs = sorted(body["slug"] for _, body in results)
    assert len(set(slugs)) == WRITERS
    assert Claim.objects.filter(slug__startswith="the-blockade-cut-bamakos-fuel").count() == WRITERS
