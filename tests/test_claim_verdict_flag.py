"""The stored `Claim.has_verdict` always says what the reviews say, whoever changes them and how.

The review queue reads it (ClaimQuerySet.review_queue): a claim with a published verdict on the
scale has left the queue, whatever its review status says.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from claims import corpus, reviews
from claims.models import Claim, ClaimRelation, Review
from tests import factories

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"
NOW = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)


def _derived_from_reviews():
    return set(Review.objects.verdicts().values_list("claim_id", flat=True))


def _stored():
    return set(Claim.objects.filter(has_verdict=True).values_list("pk", flat=True))


def _flags(*claims):
    return [Claim.objects.get(pk=claim.pk).has_verdict for claim in claims]


def _published(claim, **fields):
    return factories.review(claim=claim, status=Review.Status.PUBLISHED, published_at=NOW, **fields)


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"], username="fatou")


def test_publishing_through_the_workflow_sets_the_flag_and_reopening_clears_it(reviewer):
    claim = factories.claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_save_draft(claim=claim, actor=reviewer, rating="false", rationale="Not yet.")
    assert _flags(claim) == [False]  # a draft is no verdict

    reviews.review_publish(claim=claim, actor=reviewer, rating="false", rationale="The army's own figure.")
    assert _flags(claim) == [True]

    reviews.review_reopen(claim=Claim.objects.get(pk=claim.pk), actor=reviewer, note="New footage.")
    assert _flags(claim) == [False]  # the verdict is superseded, kept, and decides nothing


def test_a_published_label_off_the_scale_is_no_verdict():
    claim = factories.claim()
    _published(claim, rating="", rating_label="Full Flop", publisher_name="Elsewhere Checks")
    assert _flags(claim) == [False]


def test_deleting_the_last_verdict_clears_the_flag_but_not_while_another_remains():
    claim = factories.claim()
    first, _ = _published(claim), _published(claim, rating="false")
    first.delete()
    assert _flags(claim) == [True]
    Review.objects.filter(claim=claim).delete()  # a queryset delete sends the signals too
    assert _flags(claim) == [False]


def test_moving_a_verdict_to_another_claim_updates_both():
    judged, other = factories.claim(), factories.claim()
    verdict = _published(judged)
    verdict.claim = other
    verdict.save()
    assert _flags(judged, other) == [False, True]


def test_saving_a_claim_read_before_its_verdict_was_published_keeps_the_flag():
    claim = factories.claim()
    stale = Claim.objects.get(pk=claim.pk)
    _published(claim)
    stale.note = "Edited meanwhile."
    stale.save()
    assert _flags(claim) == [True]
    assert Claim.objects.get(pk=claim.pk).note == "Edited meanwhile."


def test_the_seed_fixture_loads_with_flags_derived_from_its_reviews():
    call_command("loaddata", str(SEED), verbosity=0)
    assert _stored() == _derived_from_reviews()


def test_a_fixture_listing_claims_after_their_reviews_gets_the_flags_whatever_it_says(tmp_path):
    judged, waiting = factories.claim(), factories.claim()
    _published(judged)
    dumped = tmp_path / "dump.json"
    call_command("dumpdata", "claims.claim", "claims.review", output=str(dumped), verbosity=0)
    rows = json.loads(dumped.read_text())
    for row in rows:
        if row["model"] == "claims.claim":
            row["fields"]["has_verdict"] = row["pk"] == waiting.pk  # a fixture from elsewhere may say anything
    reviews_first = sorted(rows, key=lambda row: row["model"] != "claims.review")
    dumped.write_text(json.dumps(reviews_first))
    Review.objects.all().delete()
    Claim.objects.all().delete()
    call_command("loaddata", str(dumped), verbosity=0)
    assert _flags(judged, waiting) == [True, False]


def test_the_generated_corpus_has_flags_derived_from_its_reviews():
    corpus.generate_corpus(claims=200, progress=lambda message: None)
    assert _stored() == _derived_from_reviews()
    assert _stored()


def test_the_review_queue_is_the_disputed_claims_not_reviewed_without_a_published_verdict():
    corpus.generate_corpus(claims=300, progress=lambda message: None)
    # Verdicts the workflow never saw: imported onto claims still unreviewed, one of them off the scale.
    unreviewed = Claim.objects.disputed().exclude(review_status="reviewed").order_by("pk")
    _published(unreviewed[0])
    _published(unreviewed[1], rating="", rating_label="Full Flop")
    factories.relation(to_claim=factories.claim(), kind=ClaimRelation.Kind.DISPUTES)

    verdicts = Review.objects.verdicts().filter(claim=OuterRef("pk"))
    derived = (
        Claim.objects.filter(is_disputed=True)
        .exclude(review_status="reviewed")
        .exclude(Exists(verdicts))
        .order_by("created_at", "pk")
    )
    queue = list(Claim.objects.review_queue().values_list("pk", flat=True))
    assert queue == list(derived.values_list("pk", flat=True))
    assert unreviewed[0].pk not in queue and unreviewed[1].pk in queue
