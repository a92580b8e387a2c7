"""Search answers the same on SQLite and PostgreSQL: both must equal a pure-Python reading of the folded text."""

import pytest

from claims import corpus, querysets
from claims.models import Attribution, Claim, Quote, Speaker
from claims.text import search_words

pytestmark = pytest.mark.django_db

TERMS = ["blockade", "Maïga", "maiga", "GOITA", "ménaka", "menaka fuel", "drone strike", "bamak", "the army"]


def _expected(documents, term):
    """Every word of the term begins some word of the document (the contract of `matching`)."""
    words = search_words(term)
    return {pk for pk, document in documents if all(f" {word}" in document for word in words)}


@pytest.fixture
def small_corpus():
    corpus.generate_corpus(claims=200, progress=lambda message: None)


def _found(model, term, monkeypatch):
    """The keys `matching(term)` finds, the same whether the matching speakers (and the claims they carry)
    are named by key or, past querysets.LISTED_AT_MOST, read by a subquery."""
    found = set(model.objects.matching(term).values_list("pk", flat=True))
    with monkeypatch.context() as patched:
        patched.setattr(querysets, "LISTED_AT_MOST", 0)
        assert set(model.objects.matching(term).values_list("pk", flat=True)) == found
    return found


@pytest.mark.parametrize("term", TERMS)
def test_speaker_search_matches_the_folded_reference(small_corpus, term):
    documents = Speaker.objects.values_list("pk", "search_document")
    found = set(Speaker.objects.matching(term).values_list("pk", flat=True))
    assert found == _expected(documents, term)


@pytest.mark.parametrize("term", TERMS)
def test_quote_search_matches_the_folded_reference(small_corpus, term, monkeypatch):
    speakers = _expected(Speaker.objects.values_list("pk", "search_document"), term)
    by_text = _expected(Quote.objects.values_list("pk", "search_document"), term)
    by_speaker = set(Quote.objects.filter(speaker__in=speakers).values_list("pk", flat=True))
    found = _found(Quote, term, monkeypatch)
    assert found == by_text | by_speaker
    assert found, f"the corpus should hold quotes matching {term!r}"


@pytest.mark.parametrize("term", TERMS)
def test_claim_search_matches_the_folded_reference(small_corpus, term, monkeypatch):
    speakers = _expected(Speaker.objects.values_list("pk", "search_document"), term)
    by_text = _expected(Claim.objects.values_list("pk", "search_document"), term)
    by_speaker = set(Attribution.objects.filter(quote__speaker__in=speakers).values_list("claim", flat=True))
    found = _found(Claim, term, monkeypatch)
    assert found == by_text | by_speaker
