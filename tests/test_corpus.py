"""The synthetic benchmark corpus: deterministic, proportioned, anchored, and refused on a full database."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from claims import corpus
from claims.models import Attribution, Claim, ClaimRelation, Quote, Review, Source, Speaker, SpeakerAlias
from claims.text import fold, search_document
from tests import factories

pytestmark = pytest.mark.django_db

CLAIMS = 200


def _quiet(_message):
    pass


def _generate(**kwargs):
    return corpus.generate_corpus(claims=CLAIMS, progress=_quiet, **kwargs)


def _clear_record():
    for model in (Review, Attribution, ClaimRelation, Claim, Quote, SpeakerAlias, Speaker, Source):
        model.objects.all().delete()


def test_generate_corpus_gives_the_same_rows_for_the_same_arguments():
    _generate()
    first = corpus.corpus_digest()
    _clear_record()
    _generate()
    assert corpus.corpus_digest() == first


# The digest of `--claims 200` with the default seed. The same value on SQLite and PostgreSQL proves
# both databases hold the same rows; a deliberate change to the generator updates it.
DIGEST_200 = "ae10a25cd3b3d8656727ecba27c260c4df6be9045ee96bb833dce1eb4468441c"


def test_generate_corpus_gives_the_same_rows_on_every_database():
    _generate()
    assert corpus.corpus_digest() == DIGEST_200


def test_generate_corpus_gives_other_rows_for_another_seed():
    _generate()
    first = corpus.corpus_digest()
    _clear_record()
    _generate(seed=corpus.DEFAULT_SEED + 1)
    assert corpus.corpus_digest() != first


def test_generate_corpus_scales_every_table_with_the_claims():
    counts = _generate()
    assert counts["claims"] == CLAIMS
    assert counts["speakers"] == CLAIMS // 10
    assert counts["sources"] == CLAIMS // 5
    assert counts["quotes"] == 3 * CLAIMS
    assert CLAIMS <= counts["attributions"] <= 3 * CLAIMS
    assert counts["aliases"] >= counts["speakers"]
    per_claim = Attribution.objects.values("claim").annotate(n=Count("pk"))
    assert {row["n"] for row in per_claim} <= {1, 2, 3}


def test_generate_corpus_disputes_a_fifth_of_the_claims():
    _generate()
    assert Claim.objects.disputed().count() == CLAIMS // 5


def test_generate_corpus_marks_claims_reviewed_exactly_when_a_review_is_published():
    _generate()
    assert Claim.objects.filter(review_status="reviewed").count() > 0
    assert set(Claim.objects.filter(review_status="reviewed")) == set(Claim.objects.with_published_review())
    in_review = Claim.objects.filter(review_status="in_review")
    assert in_review.exists()
    assert not in_review.filter(assigned_to__isnull=True).exists()
    assert Review.objects.published().filter(reviewer__username=corpus.REVIEWER_USERNAME).exists()


def test_generate_corpus_quotes_pass_verify_quotes(capsys):
    _generate()
    call_command("verify_quotes")
    assert f"{3 * CLAIMS} anchored quotes" in capsys.readouterr().out


def test_generate_corpus_computes_the_fields_signals_would_derive():
    _generate()
    for source in Source.objects.archived()[:5]:
        assert source.sha256 == Source.checksum(source.text)
    for quote in Quote.objects.all()[:50]:
        assert quote.search_document == search_document(quote.text)
    for alias in SpeakerAlias.objects.select_related("speaker")[:20]:
        assert alias.folded_name == fold(alias.name)
        assert search_document(alias.name).strip() in alias.speaker.search_document


def test_generate_corpus_writes_accented_names_findable_without_accents():
    _generate()
    accented = Speaker.objects.filter(name__contains="ï").first()
    assert accented is not None
    unaccented = fold(accented.name.split()[-1])
    assert Speaker.objects.matching(unaccented).filter(pk=accented.pk).exists()


def test_generate_corpus_dates_rows_from_their_index_not_the_clock():
    _generate()
    assert Claim.objects.order_by("created_at").first().created_at == corpus.EPOCH
    recent = timezone.now() - datetime.timedelta(days=1)
    for model in (Speaker, Source, Quote, Claim, Attribution, ClaimRelation, Review):
        assert not model.objects.filter(created_at__gte=recent).exists(), model.__name__
        assert not model.objects.filter(updated_at__gte=recent).exists(), model.__name__


def test_generate_corpus_command_refuses_a_database_holding_records():
    factories.quote()
    with pytest.raises(CommandError, match="--append"):
        call_command("generate_corpus", claims=CLAIMS, stdout=_Sink())
    assert Claim.objects.count() == 0


def test_generate_corpus_command_appends_when_asked():
    factories.quote()
    call_command("generate_corpus", claims=CLAIMS, append=True, stdout=_Sink())
    assert Quote.objects.count() == 3 * CLAIMS + 1


def test_generate_corpus_command_reports_the_load_time():
    out = _Sink()
    call_command("generate_corpus", claims=CLAIMS, stdout=out)
    assert "Loaded in" in out.text and f"{CLAIMS} claims" in out.text


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, message, *args, **kwargs):
        self.text += message

    def flush(self):
        pass
