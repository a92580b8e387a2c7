"""The stored `Claim.is_disputed` always says what the relations say, whoever changes them and how."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from claims import corpus
from claims.models import Claim, ClaimRelation
from tests import factories

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "seed.json"
DISPUTES, SUPPORTS = ClaimRelation.Kind.DISPUTES, ClaimRelation.Kind.SUPPORTS


def _derived_from_relations():
    pairs = ClaimRelation.objects.filter(kind=DISPUTES).values_list("from_claim_id", "to_claim_id")
    return {claim_id for pair in pairs for claim_id in pair}


def _stored():
    return set(Claim.objects.filter(is_disputed=True).values_list("pk", flat=True))


def _flags(*claims):
    return [Claim.objects.get(pk=claim.pk).is_disputed for claim in claims]


@pytest.fixture
def claims():
    return [factories.claim() for _ in range(3)]


def test_a_dispute_marks_both_claims_and_a_support_marks_neither(claims):
    a, b, c = claims
    factories.relation(from_claim=a, to_claim=b, kind=DISPUTES)
    factories.relation(from_claim=c, to_claim=b, kind=SUPPORTS)
    assert _flags(a, b, c) == [True, True, False]


def test_deleting_the_last_dispute_clears_the_flag_but_not_while_another_remains(claims):
    a, b, c = claims
    first = factories.relation(from_claim=a, to_claim=b, kind=DISPUTES)
    factories.relation(from_claim=c, to_claim=b, kind=DISPUTES)
    first.delete()
    assert _flags(a, b, c) == [False, True, True]
    ClaimRelation.objects.filter(to_claim=b).delete()  # a queryset delete sends the signals too
    assert _flags(a, b, c) == [False, False, False]


def test_turning_a_dispute_into_a_support_clears_the_flag(claims):
    a, b, _ = claims
    relation = factories.relation(from_claim=a, to_claim=b, kind=DISPUTES)
    relation.kind = SUPPORTS
    relation.save()
    assert _flags(a, b) == [False, False]


def test_moving_a_dispute_through_the_api_updates_the_old_and_the_new_claim(claims, superuser):
    a, b, c = claims
    relation = factories.relation(from_claim=a, to_claim=b, kind=DISPUTES)
    api = APIClient()
    api.force_authenticate(superuser)
    response = api.patch(f"/api/relations/{relation.pk}/", {"to_claim": c.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert _flags(a, b, c) == [True, False, True]
    assert api.get(f"/api/claims/{b.pk}/").json()["is_disputed"] is False
    assert api.get(f"/api/claims/{c.pk}/").json()["is_disputed"] is True


def test_saving_a_claim_read_before_its_dispute_was_recorded_keeps_the_flag(claims):
    a, b, _ = claims
    stale = Claim.objects.get(pk=b.pk)
    factories.relation(from_claim=a, to_claim=b, kind=DISPUTES)
    stale.note = "Edited meanwhile."
    stale.save()
    assert _flags(b) == [True]
    assert Claim.objects.get(pk=b.pk).note == "Edited meanwhile."


def test_the_seed_fixture_loads_with_flags_derived_from_its_relations():
    call_command("loaddata", str(SEED), verbosity=0)
    assert _stored() == _derived_from_relations()
    assert len(_stored()) > 10


def test_a_fixture_listing_claims_after_their_relations_gets_the_flags_whatever_it_says(tmp_path, claims):
    a, b, _ = claims
    factories.relation(from_claim=a, to_claim=b, kind=DISPUTES)
    dumped = tmp_path / "dump.json"
    call_command("dumpdata", "claims.claim", "claims.claimrelation", output=str(dumped), verbosity=0)
    rows = json.loads(dumped.read_text())
    for row in rows:
        row["fields"].pop("is_disputed", None)  # a fixture from elsewhere need not carry it
    relations_first = sorted(rows, key=lambda row: row["model"] != "claims.claimrelation")
    dumped.write_text(json.dumps(relations_first))
    ClaimRelation.objects.all().delete()
    Claim.objects.all().delete()
    call_command("loaddata", str(dumped), verbosity=0)
    assert _flags(a, b) == [True, True]


def test_the_generated_corpus_has_flags_derived_from_its_relations():
    corpus.generate_corpus(claims=200, progress=lambda message: None)
    assert _stored() == _derived_from_relations()
    assert Claim.objects.disputed().count() == corpus.Scale(200).disputed
