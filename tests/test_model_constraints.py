"""Rules the database itself holds, whatever code writes (checked on SQLite and PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from claims.models import Attribution, ClaimRelation, Quote, Source, Speaker
from tests import factories

pytestmark = pytest.mark.django_db


def refused_by_database(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_speaker_slugs_are_unique():
    factories.speaker(slug="diop")
    refused_by_database(lambda: Speaker.objects.create(name="Other", slug="diop", kind="person"))


def test_malformed_wikidata_id_is_refused_by_validation_and_database():
    speaker = factories.speaker()
    speaker.wikidata_id = "X12"
    with pytest.raises(ValidationError) as refused:
        speaker.full_clean()
    assert "wikidata_id" in refused.value.message_dict
    refused_by_database(lambda: Speaker.objects.filter(pk=speaker.pk).update(wikidata_id="Q0x"))


def test_a_claim_cannot_dispute_itself():
    claim = factories.claim()
    refused_by_database(lambda: ClaimRelation.objects.create(from_claim=claim, to_claim=claim, kind="disputes"))
    with pytest.raises(ValidationError):
        ClaimRelation(from_claim=claim, to_claim=claim, kind="disputes").full_clean()


def test_the_same_relation_exists_once():
    relation = factories.relation()
    refused_by_database(
        lambda: ClaimRelation.objects.create(
            from_claim=relation.from_claim, to_claim=relation.to_claim, kind="disputes"
        )
    )
    # Disputing and supporting the same claim contradict each other: also refused (tests/test_input_checks.py).
    refused_by_database(
        lambda: ClaimRelation.objects.create(
            from_claim=relation.from_claim, to_claim=relation.to_claim, kind="supports"
        )
    )


def test_the_same_attribution_exists_once():
    attribution = factories.attribution()
    refused_by_database(lambda: Attribution.objects.create(claim=attribution.claim, quote=attribution.quote))


@pytest.mark.parametrize("start,end", [(-1, 5), (5, 5), (9, 4), (3, None)])
def test_quote_offsets_must_satisfy_zero_le_start_lt_end(start, end):
    quote = factories.quote()
    refused_by_database(lambda: Quote.objects.filter(pk=quote.pk).update(start=start, end=end))


def test_the_same_span_of_a_source_is_one_quote():
    quote = factories.quote()
    refused_by_database(
        lambda: Quote.objects.create(
            speaker=quote.speaker, source=quote.source, text=quote.text, start=quote.start, end=quote.end
        )
    )


def test_archived_text_needs_its_checksum_in_the_database():
    source = factories.source()
    refused_by_database(lambda: Source.objects.filter(pk=source.pk).update(sha256=""))


def test_checksum_is_computed_from_the_text():
    source = factories.source(text="abc")
    assert source.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert factories.source(text="").sha256 == ""


def test_deleting_a_speaker_with_quotes_is_refused():
    quote = factories.quote()
    with pytest.raises(ProtectedError):
        quote.speaker.delete()


def test_deleting_a_source_with_quotes_is_refused():
    quote = factories.quote()
    with pytest.raises(ProtectedError):
        quote.source.delete()


def test_deleting_a_quote_that_carries_a_claim_is_refused():
    attribution = factories.attribution()
    with pytest.raises(ProtectedError):
        attribution.quote.delete()


def test_role_cannot_end_before_it_starts():
    speaker = factories.speaker()
    refused_by_database(lambda: speaker.roles.create(title="Minister", start_date="2020-01-01", end_date="2019-01-01"))


def test_month_precision_date_must_be_the_first_of_the_month():
    source = Source(title="x", slug="x", kind="article", published_on="2025-11-12", published_precision="month")
    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    assert "published_on" in refused.value.message_dict
