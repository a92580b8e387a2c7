"""The fast read path (claims/api/reads.py) answers exactly what the serializers describe.

Every list's plain pages (quotes, claims, the disputed queue, relations, attributions, speakers,
sources, reviews) and every resource's detail are built from plain rows for speed; the
ModelSerializers remain the contract (schema, writes). Every record of the seed and of a generated
corpus is read both ways, anonymously and as a curator who sees drafts, and the two JSON documents
must be identical, keys in the same order.
"""

import json

import pytest
from django.db.models import BooleanField, ExpressionWrapper, Prefetch
from rest_framework.test import APIClient, APIRequestFactory

from claims.api.reads import kept_context_is_current
from claims.api.renderers import ORJSONRenderer
from claims.api.serializers import (
    AttributionSerializer,
    ClaimListSerializer,
    ClaimRelationSerializer,
    ClaimSerializer,
    QuoteSerializer,
    ReviewSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    SpeakerSerializer,
)
from claims.models import Attribution, Claim, ClaimRelation, Quote, Review, Source, Speaker, Status
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["seed", "corpus"])
def record(request):
    factories.record_with_drafts(request.param)
    # Quotes at both ends of their source, where the context is cut short.
    edges = factories.source(text="Bamako answered at once. Kidal said nothing for a week, then: “no”.")
    factories.quote(source=edges, text="Bamako answered")
    factories.quote(source=edges, text="“no”.")
    # A quote no longer matching its offsets (as `verify_quotes` would report): anchoring "mismatch".
    Quote.objects.filter(pk=Quote.objects.filter(start__gt=0).order_by("-pk").values("pk")[:1]).update(text="Tampered")
    return request.param


@pytest.fixture(params=["anonymous", "curator"])
def reader(request, working_groups):
    client = APIClient()
    user = None
    if request.param == "curator":
        user = factories.user(groups=["curators"])
        client.force_authenticate(user)
    return client, user


def _as_json(data):
    """`data` as the API renders it, in a form where True and 1 differ (Python has True == 1), its
    keys in their order: the same document byte for byte."""
    return json.dumps(json.loads(ORJSONRenderer().render(data)))


def _each_as_json(rows):
    return [_as_json(row) for row in rows]


def _serialized(serializer_class, instances, context):
    return [_as_json(serializer_class(instance, context=context).data) for instance in instances]


def _request(user):
    request = APIRequestFactory().get("/api/")
    request.user = user
    return request


def _sees_drafts(user):
    return user is not None and user.has_perm("claims.change_quote")


def _claims_for_serializers(user):
    """Claims with the evidence and reviews `user` may see, as the serializers read them."""
    attributions = Attribution.objects.all()
    if not _sees_drafts(user):
        attributions = attributions.filter(quote__status=Status.APPROVED, quote__speaker__status=Status.APPROVED)
    reviews = Review.objects.all()
    if not (user is not None and user.has_perm("claims.view_review")):
        reviews = reviews.exclude(status=Review.Status.DRAFT)
    return Claim.objects.with_disputed_by_count().prefetch_related(
        Prefetch("attributions", queryset=attributions), Prefetch("reviews", queryset=reviews)
    )


def _all_results(client, path):
    results, url = [], path
    while url:
        body = client.get(url).json()
        results.extend(body["results"])
        url = body["next"]
    return results


def test_quote_pages_equal_the_quote_serializer(record, reader):
    client, user = reader
    listed = _all_results(client, "/api/quotes/?page_size=100")
    quotes = Quote.objects.in_bulk([row["id"] for row in listed])
    context = {"request": _request(user)}
    assert _each_as_json(listed) == _serialized(QuoteSerializer, [quotes[row["id"]] for row in listed], context)
    visible = Quote.objects.all()
    if not _sees_drafts(user):
        visible = visible.filter(status=Status.APPROVED, speaker__status=Status.APPROVED)
    assert sorted(row["id"] for row in listed) == sorted(visible.values_list("pk", flat=True))


def test_quote_details_equal_the_quote_serializer(record, reader):
    client, user = reader
    context = {"request": _request(user)}
    for quote in Quote.objects.order_by("pk")[:60]:
        response = client.get(f"/api/quotes/{quote.pk}/")
        if response.status_code == 404:
            assert not _sees_drafts(user) and quote.speaker.status == Status.DRAFT
            continue
        assert _as_json(response.json()) == _as_json(QuoteSerializer(quote, context=context).data)


def test_claim_pages_equal_the_claim_list_serializer(record, reader):
    client, user = reader
    listed = _all_results(client, "/api/claims/?page_size=100")
    claims = _claims_for_serializers(user).in_bulk([row["id"] for row in listed])
    context = {"request": _request(user)}
    assert [row["id"] for row in listed] == list(Claim.objects.values_list("pk", flat=True))
    assert _each_as_json(listed) == _serialized(ClaimListSerializer, [claims[row["id"]] for row in listed], context)


def test_disputed_queue_equals_the_claim_list_serializer(record, reader):
    client, user = reader
    listed = _all_results(client, "/api/claims/disputed/?page_size=100")
    claims = _claims_for_serializers(user).in_bulk([row["id"] for row in listed])
    context = {"request": _request(user)}
    assert listed, "the record has disputed claims waiting for a verdict"
    assert _each_as_json(listed) == _serialized(ClaimListSerializer, [claims[row["id"]] for row in listed], context)


def test_relation_pages_equal_the_relation_serializer(record, reader):
    client, user = reader
    listed = _all_results(client, "/api/relations/?page_size=100")
    relations = ClaimRelation.objects.in_bulk([row["id"] for row in listed])
    context = {"request": _request(user)}
    assert [row["id"] for row in listed] == list(ClaimRelation.objects.order_by("pk").values_list("pk", flat=True))
    assert _each_as_json(listed) == _serialized(
        ClaimRelationSerializer, [relations[row["id"]] for row in listed], context
    )


def test_attribution_pages_equal_the_attribution_serializer(record, reader):
    client, user = reader
    listed = _all_results(client, "/api/attributions/?page_size=100")
    attributions = Attribution.objects.in_bulk([row["id"] for row in listed])
    context = {"request": _request(user)}
    visible = Attribution.objects.order_by("claim", "pk")
    if not _sees_drafts(user):
        visible = visible.filter(quote__status=Status.APPROVED, quote__speaker__status=Status.APPROVED)
    assert [row["id"] for row in listed] == list(visible.values_list("pk", flat=True))
    assert _each_as_json(listed) == _serialized(
        AttributionSerializer, [attributions[row["id"]] for row in listed], context
    )


def test_speaker_pages_equal_the_speaker_serializer(record, reader):
    client, user = reader
    listed = _all_results(client, "/api/speakers/?page_size=100")
    speakers = Speaker.objects.visible_to(user).with_counts().prefetch_related("aliases", "roles")
    speakers = speakers.in_bulk([row["id"] for row in listed])
    context = {"request": _request(user)}
    assert [row["id"] for row in listed] == list(
        Speaker.objects.visible_to(user).order_by("name", "pk").values_list("pk", flat=True)
    )
    assert any(row["roles"] for row in listed) and any(row["aliases"] for row in listed)
    assert any(row["quote_count"] for row in listed)
    assert _each_as_json(listed) == _serialized(SpeakerSerializer, [speakers[row["id"]] for row in listed], context)


def test_source_pages_equal_the_source_serializer(record, reader):
    client, user = reader
    listed = _all_results(client, "/api/sources/?page_size=100")
    sources = Source.objects.visible_to(user).with_quote_count().in_bulk([row["id"] for row in listed])
    context = {"request": _request(user), "include_text": False}
    assert [row["id"] for row in listed] == list(
        Source.objects.order_by("-published_on", "title", "pk").values_list("pk", flat=True)
    )
    assert {row["is_archived"] for row in listed} == {True, False}
    assert _each_as_json(listed) == _serialized(SourceSerializer, [sources[row["id"]] for row in listed], context)


def _cite_evidence():
    """Cited evidence on drafts and published verdicts alike, a quote of a draft speaker among it
    (curators only): (the draft speaker's quote, a published quote)."""
    quotes = [Quote.objects.filter(speaker__status=Status.DRAFT).first(), Quote.objects.published().first()]
    sources = Source.objects.order_by("pk")[:3]
    for review in Review.objects.order_by("pk")[:6]:
        review.evidence_quotes.add(*quotes)
        review.evidence_sources.add(*sources)
    return quotes


def _reviews_for_serializers(user):
    """Every review, citing the quotes `user` may see, as ReviewViewSet reads them for the serializer."""
    cited = Prefetch("evidence_quotes", queryset=Quote.objects.visible_to(user))
    return Review.objects.prefetch_related("evidence_sources", cited)


def test_review_pages_equal_the_review_serializer(record, reader):
    client, user = reader
    quotes = _cite_evidence()
    listed = _all_results(client, "/api/reviews/?page_size=100")
    reviews = _reviews_for_serializers(user).in_bulk([row["id"] for row in listed])
    context = {"request": _request(user)}
    visible = Review.objects.visible_to(user).order_by("-published_at", "-created_at", "pk")
    assert [row["id"] for row in listed] == list(visible.values_list("pk", flat=True))
    cited_quotes = {quote["id"] for row in listed for quote in row["evidence_quotes"]}
    assert quotes[1].pk in cited_quotes and (quotes[0].pk in cited_quotes) == _sees_drafts(user)
    assert _each_as_json(listed) == _serialized(ReviewSerializer, [reviews[row["id"]] for row in listed], context)


def test_claim_details_equal_the_claim_serializer(record, reader):
    client, user = reader
    context = {"request": _request(user)}
    for claim in _claims_for_serializers(user).order_by("pk"):
        response = client.get(f"/api/claims/{claim.pk}/")
        assert _as_json(response.json()) == _as_json(ClaimSerializer(claim, context=context).data), claim.slug


def test_speaker_details_equal_the_speaker_serializer(record, reader):
    client, user = reader
    context = {"request": _request(user)}
    speakers = Speaker.objects.visible_to(user).with_counts().prefetch_related("aliases", "roles").order_by("pk")
    assert any(speaker.roles.all() for speaker in speakers) and any(speaker.aliases.all() for speaker in speakers)
    for speaker in speakers:
        response = client.get(f"/api/speakers/{speaker.slug}/")
        assert response["ETag"] == f'"{speaker.pk}-{speaker.version}"'
        assert _as_json(response.json()) == _as_json(SpeakerSerializer(speaker, context=context).data), speaker.slug
    hidden = Speaker.objects.exclude(status=Status.APPROVED).first()
    assert client.get(f"/api/speakers/{hidden.slug}/").status_code == (200 if _sees_drafts(user) else 404)


def test_the_draft_evidence_is_shown_to_curators_only(record, reader):
    client, user = reader
    attribution = Attribution.objects.order_by("pk").first()
    evidence = client.get(f"/api/claims/{attribution.claim_id}/").json()["attributions"]
    assert (attribution.pk in [row["id"] for row in evidence]) == _sees_drafts(user)


def test_the_record_under_test_has_every_anchoring_state(record):
    listed = _all_results(APIClient(), "/api/quotes/?page_size=100")
    assert {"anchored", "mismatch"} <= {row["anchoring"] for row in listed}
    selectors = [row["selector"] for row in listed if row["selector"]]
    assert any(selector["prefix"] == "" for selector in selectors)
    assert any(selector["suffix"] == "" for selector in selectors)
    # Selectors read from the quotes' kept contexts, and cut from the source where one is not current.
    anchored = Quote.objects.filter(start__isnull=False).annotate(
        current=ExpressionWrapper(kept_context_is_current(), output_field=BooleanField())
    )
    assert {True, False} == set(anchored.values_list("current", flat=True))


def _assert_details_equal(client, path, instances, serializer, shown):
    """Each of `instances` read at `path(instance)`: the `serializer(instance)` JSON, keys in order,
    with the instance's ETag, when its key is in `shown`; else 404 (a draft the reader may not see)."""
    answered = set()
    for instance in instances:
        response = client.get(path(instance))
        if instance.pk not in shown:
            assert response.status_code == 404, path(instance)
            continue
        answered.add(instance.pk)
        assert response["ETag"] == f'"{instance.pk}-{instance.version}"', path(instance)
        assert _as_json(response.json()) == _as_json(serializer(instance)), path(instance)
    assert answered == set(shown)


def _absent_keys_are_404(client, prefix, model_name):
    """No row has the key (none that large, beyond bigint, negative, or no integer at all): 404 with
    get_object()'s message."""
    for key in (10**9, 2**70, -5, "12abc"):
        response = client.get(f"{prefix}{key}/")
        assert response.status_code == 404, key
        assert response.json()["detail"] == f"No {model_name} matches the given query."


def test_relation_details_equal_the_relation_serializer(record, reader):
    client, user = reader
    context = {"request": _request(user)}
    relations = ClaimRelation.objects.order_by("pk")
    assert relations
    _assert_details_equal(
        client,
        lambda relation: f"/api/relations/{relation.pk}/",
        relations,
        lambda relation: ClaimRelationSerializer(relation, context=context).data,
        shown={relation.pk for relation in relations},  # relations have no drafts
    )
    _absent_keys_are_404(client, "/api/relations/", "ClaimRelation")


def test_attribution_details_equal_the_attribution_serializer(record, reader):
    client, user = reader
    context = {"request": _request(user)}
    shown = Attribution.objects.all()
    if not _sees_drafts(user):
        shown = shown.filter(quote__status=Status.APPROVED, quote__speaker__status=Status.APPROVED)
    shown = set(shown.values_list("pk", flat=True))
    assert (shown == set(Attribution.objects.values_list("pk", flat=True))) == _sees_drafts(user)
    _assert_details_equal(
        client,
        lambda attribution: f"/api/attributions/{attribution.pk}/",
        Attribution.objects.order_by("pk"),
        lambda attribution: AttributionSerializer(attribution, context=context).data,
        shown,
    )
    _absent_keys_are_404(client, "/api/attributions/", "Attribution")


def test_review_details_equal_the_review_serializer(record, reader):
    client, user = reader
    _cite_evidence()
    context = {"request": _request(user)}
    shown = Review.objects.all()
    if not _sees_drafts(user):
        shown = shown.exclude(status=Review.Status.DRAFT)
    shown = set(shown.values_list("pk", flat=True))
    assert (shown == set(Review.objects.values_list("pk", flat=True))) == _sees_drafts(user)
    _assert_details_equal(
        client,
        lambda review: f"/api/reviews/{review.pk}/",
        _reviews_for_serializers(user).order_by("pk"),
        lambda review: ReviewSerializer(review, context=context).data,
        shown,
    )
    _absent_keys_are_404(client, "/api/reviews/", "Review")


@pytest.mark.parametrize("include", ["", "?include=text", "?include=quotes,text", "?include=other"])
def test_source_details_equal_the_source_detail_serializer(record, reader, include):
    client, user = reader
    context = {"request": _request(user), "include_text": "text" in include}
    quotes = Quote.objects.visible_to(user).select_related("speaker").order_by("start", "pk")
    sources = (
        Source.objects.visible_to(user)
        .with_quote_count()
        .prefetch_related(Prefetch("quotes", queryset=quotes))
        .order_by("pk")
    )
    details = []
    for source in sources:
        response = client.get(f"/api/sources/{source.slug}/{include}")
        assert response["ETag"] == f'"{source.pk}-{source.version}"'
        details.append(response.json())
        assert _as_json(details[-1]) == _as_json(SourceDetailSerializer(source, context=context).data), source.slug
    assert all(("text" in detail) == ("text" in include) for detail in details)
    # A source printing a quote of a draft speaker lists it to curators only.
    hidden = Quote.objects.filter(speaker__status=Status.DRAFT).first()
    listed = next(detail for detail in details if detail["slug"] == hidden.source.slug)["quotes"]
    assert (hidden.pk in [quote["id"] for quote in listed]) == _sees_drafts(user)
    assert client.get("/api/sources/no-such-source/").json()["detail"] == "No Source matches the given query."
