"""The API's resources: thin ViewSets over the QuerySets, one transaction per write.

Every list and detail runs a fixed number of queries whatever the page size: related rows come
through select_related/prefetch_related and counts through annotations, set once in
`list_queryset()` / `detail_queryset()`. Every resource starts from `visible_to(request.user)`
(claims/querysets.py): drafts stay invisible to anyone who may not view them. Versioned resources
carry an ETag; a write with a stale If-Match is refused with 412 while the row is locked, so two
concurrent writers cannot both pass the check.
"""

from contextlib import ExitStack, contextmanager

from django.db import connections, transaction
from django.db.models import Prefetch
from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.filters import OrderingFilter
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import reviews
from ..models import Attribution, Claim, ClaimRelation, Quote, Review, Source, Speaker
from ..versioning import etag_for, etag_of, last_change_by
from . import export, filters, read_cache, reads, search
from .exceptions import PreconditionFailed
from .pagination import ListedRows
from .review_actions import ClaimReviewActionsMixin
from .schema import SahelAutoSchema
from .serializers import (
    AttributionSerializer,
    ClaimListSerializer,
    ClaimRelationSerializer,
    ClaimSerializer,
    QuoteSerializer,
    QuoteWriteSerializer,
    ReviewSerializer,
    SourceDetailSerializer,
    SourceSerializer,
    SpeakerSerializer,
)
from .statements import CompiledList

WRITE_METHODS = {"PUT", "PATCH", "DELETE"}
PAGE_PARAMETERS = {"page", "page_size", "cursor"}


def check_if_match(request, instance):
    """Refuse (412) an edit whose If-Match names another version than the current one."""
    header = request.headers.get("If-Match")
    if header is None or not hasattr(instance, "version"):
        return
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    current = etag_for(instance)
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(
        {
            "detail": f"This {instance._meta.verbose_name} was {last_change_by(instance)}; "
            f"its current version is {current}. Fetch it again and reapply your edit.",
            "code": "precondition_failed",
            "current_etag": current,
            "last_change": last_change_by(instance),
        }
    )


@contextmanager
def callers_transaction_kept():
    """Around DRF's error handler in a view that opened no transaction (a read, the token sign-in).

    The handler marks the enclosing transaction for rollback, as meant for ATOMIC_REQUESTS; here the
    only one open is the caller's (a test's, a management command's), not the view's to end.
    """
    marks = {db.alias: db.needs_rollback for db in connections.all(initialized_only=True) if db.in_atomic_block}
    try:
        yield
    finally:
        for alias, mark in marks.items():
            transaction.set_rollback(mark, using=alias)


class NamedFilterBackend(DjangoFilterBackend):
    """django-filter, skipped when the request names none of the view's filters.

    Building a FilterSet and validating its form costs a few ms per request (each filter's form
    field is deep-copied); a page read without filters, the most common read, needs none of it.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not request.query_params.keys() & filterset_class.base_filters.keys():
            return queryset
        return super().filter_queryset(request, queryset, view)


class StableOrderingFilter(OrderingFilter):
    """Client ordering, with the primary key as the last tie-breaker so pages never overlap.

    Without `?ordering=` the queryset's own order stands (the model's, or search rank under `?q=`).
    """

    def get_default_ordering(self, view):
        return None

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if ordering:
            return queryset.order_by(*ordering, "pk")
        return queryset


class ReleasedWhenRendered:
    """A view that lets go of its request and response once the response is rendered.

    DRF's view, request and response point at one another (view.response, response.renderer_context,
    the request's parser_context), so a page's rows would outlive the request until the cyclic
    garbage collector found them: about 1 ms per list read, in pauses of 5 to 200 ms (bench/RESULTS.md,
    run 14). Once the bytes are rendered nothing reads the rows through the view; without the cycle,
    reference counting frees them as soon as the response is sent.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, Response):
            response.add_post_render_callback(self.release_after_render)
        return response

    def release_after_render(self, response):
        response.renderer_context = None
        vars(self).clear()


class RecordViewSet(ReleasedWhenRendered, viewsets.ModelViewSet):
    """List, detail and writes of one resource, with ETags and transactional, lock-checked writes."""

    schema = SahelAutoSchema()
    filter_backends = [NamedFilterBackend, StableOrderingFilter]
    list_serializer_class = None
    write_serializer_class = None
    default_ordering = None  # the model's Meta.ordering unless set

    # Transactions: writes only ---------------------------------------------------------------------
    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        # ATOMIC_REQUESTS would wrap reads too: BEGIN and COMMIT, two more round trips to the database
        # per read, for nothing (a read commits nothing, and under READ COMMITTED each statement takes
        # its own snapshot inside a transaction as well). dispatch() keeps the transaction for writes.
        return transaction.non_atomic_requests(super().as_view(actions, **initkwargs))

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        # What ATOMIC_REQUESTS does: the whole view in one transaction per database that asks for it
        # (DRF's exception handler marks it for rollback when it answers an error).
        with ExitStack() as stack:
            for alias in connections:
                if connections.settings[alias].get("ATOMIC_REQUESTS"):
                    stack.enter_context(transaction.atomic(using=alias))
            return super().dispatch(request, *args, **kwargs)

    # Anonymous reads replayed from memory (read_cache.py) ----------------------------------------
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions, rate limits, media type
        self.read_cache_key = read_cache.key_for(request)
        if self.read_cache_key is not None:
            stored = read_cache.stored_response(self.read_cache_key)
            if stored is not None:
                raise read_cache.Replay(stored)

    def handle_exception(self, exc):
        if isinstance(exc, read_cache.Replay):
            return exc.response
        if self.request.method not in SAFE_METHODS:
            return super().handle_exception(exc)
        with callers_transaction_kept():  # a read opened no transaction
            return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "read_cache_key", None) is not None and isinstance(response, Response):
            read_cache.store_when_rendered(self.read_cache_key, response)
        return response

    # Querysets ----------------------------------------------------------------------------------
    def base_queryset(self):
        """The rows this request may see, without read optimisations (also used to lock writes)."""
        return self.queryset.visible_to(self.request.user)

    def list_queryset(self):
        return self.base_queryset()

    def detail_queryset(self):
        return self.list_queryset()

    def get_queryset(self):
        if self.action == "list":
            # Explicit, total order: annotated (GROUP BY) queries drop Meta.ordering, and pages must not overlap.
            return self.list_queryset().order_by(*(self.default_ordering or self.queryset.model._meta.ordering), "pk")
        return self.detail_queryset()

    def get_object(self):
        # The HTTP request's method, as dispatch() saw it when it opened the write's transaction: DRF's
        # metadata answers OPTIONS by asking get_object() on a copy of the request made a PUT, outside
        # any transaction, where the lock below is refused.
        if self.request._request.method not in WRITE_METHODS:
            return super().get_object()
        # Lock the row for the rest of the transaction: a concurrent writer waits, then sees the new version.
        queryset = self.base_queryset().select_for_update(of=("self",))
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        instance = get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup_url_kwarg]})
        self.check_object_permissions(self.request, instance)
        check_if_match(self.request, instance)
        return instance

    # Serializers --------------------------------------------------------------------------------
    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"} and self.write_serializer_class:
            return self.write_serializer_class
        if self.action == "list" and self.list_serializer_class:
            return self.list_serializer_class
        return self.serializer_class

    def represent(self, instance):
        """The resource as a reader sees it (views with a fast read path override this)."""
        return self.serializer_class(instance, context=self.get_serializer_context()).data

    def read_response(self, instance, status_code=status.HTTP_200_OK):
        """Answer a write with the resource as a reader sees it, re-read with the detail queryset."""
        fresh = self.detail_queryset().get(pk=instance.pk)
        return Response(self.represent(fresh), status=status_code, headers=self.etag_headers(fresh))

    def page_response(self, rows, represent):
        """A page of `rows` (a filtered, ordered queryset), represented by `represent(page_rows)`;
        in CSV, every row of `rows` (export.py)."""
        if getattr(self.request.accepted_renderer, "format", None) == "csv":
            return export.csv_response(self, rows, represent)
        return self.get_paginated_response(represent(self.paginate_queryset(rows)))

    def list(self, request, *args, **kwargs):
        rows = self.filter_queryset(self.get_queryset())
        return self.page_response(rows, lambda page: self.get_serializer(page, many=True).data)

    def list_rows(self, columns, represent, queryset=None):
        """A page of the list's rows with `columns` (see listed_rows()), represented by `represent(rows)`:
        the resource's JSON built from the page's own rows (reads.py), read with the page's count by one
        statement. `queryset`: the list's queryset (not built yet), if not get_queryset()'s."""
        rows = self.listed_rows(queryset or self.get_queryset, lambda rows: rows.values(*columns))
        return self.page_response(rows, represent)

    def list_by_keys(self, represent):
        """A page of the list's primary keys (see listed_rows()), represented by `represent(keys)`:
        the resource's JSON built from rows read by key (reads.py), not by the serializer."""
        if self.paginator.cursor_requested(self.request, self):
            # A cursor's position is read from the page's last row: its key comes with the position's field.
            position = self.cursor_ordering[0].lstrip("-")
            rows = self.listed_rows(self.get_queryset, lambda rows: rows.values("pk", position))
            return self.page_response(rows, lambda page: represent([row["pk"] for row in page]))
        keys = self.listed_rows(self.get_queryset, lambda rows: rows.values_list("pk", flat=True), flat=True)
        return self.page_response(keys, represent)

    def listed_rows(self, queryset, listed, flat=False):
        """`listed(rows)` of the list's `queryset()` (not built yet) as filtered and ordered by the
        request, to be paginated (`flat`: `listed` gives a flat `values_list()`).

        A request naming nothing but a page or a cursor (no filter, order, search or format), the
        common read, gets its page and count from statements compiled once (statements.py), and so
        does a search asking only for pages (search.py): the queryset is then built only when they
        are compiled. Any other request builds it.
        """
        if getattr(self.request.accepted_renderer, "format", None) != "csv":
            name = (type(self), self.action, flat)  # a view may list keys alone or rows (list_by_keys())
            model, viewer = self.queryset.model, self.request.user
            term = search.search_term(self.request, getattr(self, "filterset_class", None))
            plain = set(self.request.query_params) <= PAGE_PARAMETERS
            if plain or term == "":  # a blank `?q=` filters nothing: the plain list
                return CompiledList(name, model, viewer, lambda: self.filter_queryset(queryset()), listed, flat=flat)
            if term is not None:
                return search.searched_rows(self, term, queryset, listed, flat)
            return ListedRows(self.filter_queryset(queryset()), listed, flat)
        return listed(self.filter_queryset(queryset()))  # CSV: every row from the first, as export.py reads them

    @staticmethod
    def etag_headers(instance):
        return {"ETag": etag_for(instance)} if hasattr(instance, "version") else {}

    # Actions ------------------------------------------------------------------------------------
    def retrieve(self, request, *args, **kwargs):
        data, headers = self.detail_read()
        return Response(data, headers=headers)

    def detail_read(self):
        """The requested resource as this reader sees it, and its ETag header."""
        instance = self.get_object()
        return self.represent(instance), self.etag_headers(instance)

    def key_in_path(self):
        """The value the path names the resource by (its primary key or slug)."""
        return self.kwargs[self.lookup_url_kwarg or self.lookup_field]

    def row_by_key(self, statement, key_name):
        """`statement`'s rows (a reads.py row read by primary key, the key passed as `key_name`) for the
        key in the path, as this reader may see them; none (a 404, as get_object() answers) when the
        path names no integer."""
        try:
            key = int(self.key_in_path())
        except ValueError:
            return []
        return statement(self.request.user, **{key_name: key})

    def row_read(self, rows, represent):
        """`detail_read()` from the resource's row read by a compiled statement (reads.py), if any:
        no model instance, no queryset built per request."""
        if not rows:
            raise Http404(f"No {self.queryset.model._meta.object_name} matches the given query.")
        row = rows[0]
        self.check_object_permissions(self.request, row)
        return represent(row, reads.Links(self.request), self.request.user), {
            "ETag": etag_of(row["id"], row["version"])
        }

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            serializer = self.get_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            instance = self.perform_create(serializer)
        return self.read_response(instance, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        with transaction.atomic():
            instance = self.get_object()
            self.check_can_edit(instance)
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            instance = self.perform_update(serializer)
        return self.read_response(instance)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            instance = self.get_object()
            self.perform_destroy(instance)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_create(self, serializer):
        return serializer.save()

    def perform_update(self, serializer):
        return serializer.save()

    def check_can_edit(self, instance):
        """Rules beyond the model permission (a published review, for instance)."""


# Speakers -------------------------------------------------------------------------------------


class SpeakerViewSet(RecordViewSet):
    """People and organisations quoted in the record, with their aliases and roles over time."""

    queryset = Speaker.objects.all()
    serializer_class = SpeakerSerializer
    lookup_field = "slug"
    filterset_class = filters.SpeakerFilter
    ordering_fields = ["name", "slug", "kind", "quote_count", "claim_count", "created_at", "updated_at"]

    def list_queryset(self):
        return self.base_queryset().with_counts().prefetch_related("aliases", "roles")

    # Pages are built from rows by reads.py, not by the serializer (same JSON, a fraction of the time).
    def list(self, request, *args, **kwargs):
        return self.list_by_keys(lambda page: reads.speakers(page, reads.Links(request), request.user))

    def detail_read(self):
        return self.row_read(reads.speaker_row(self.request.user, slug=self.key_in_path()), reads.speaker_detail)

    @extend_schema(
        summary="The speaker's quotes",
        description="Paginated, in the quotes' default order. Filter them with /api/quotes/?speaker={slug}.",
        responses=QuoteSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=QuoteSerializer)
    def quotes(self, request, slug=None):
        speaker = self.get_object()
        quotes = (
            Quote.objects.visible_to(request.user)
            .filter(speaker=speaker)
            .order_by(*QuoteViewSet.default_ordering, "pk")
        )
        return self.page_response(
            quotes.values_list("pk", flat=True), lambda keys: reads.quotes(keys, reads.Links(request))
        )


# Sources --------------------------------------------------------------------------------------

INCLUDE_TEXT = OpenApiParameter(
    "include",
    str,
    enum=["text"],
    description="`text` adds the archived text (it can be long, so it is left out by default).",
)


@extend_schema_view(retrieve=extend_schema(parameters=[INCLUDE_TEXT]))
class SourceViewSet(RecordViewSet):
    """Documents: archived (full text and SHA-256 held here) or referenced only."""

    queryset = Source.objects.all()
    serializer_class = SourceDetailSerializer
    list_serializer_class = SourceSerializer
    write_serializer_class = SourceSerializer
    lookup_field = "slug"
    filterset_class = filters.SourceFilter
    ordering_fields = ["published_on", "title", "slug", "quote_count", "created_at"]

    def _include_text(self):
        return self.action != "list" and "text" in self.request.query_params.get("include", "").split(",")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "include_text": self._include_text()}

    def list_queryset(self):
        return self.base_queryset().defer("text").with_quote_count()

    def list(self, request, *args, **kwargs):
        return self.list_rows(reads.SOURCE_COLUMNS, lambda page: reads.sources(page, reads.Links(request)))

    def detail_read(self):
        statement = reads.source_row_with_text if self._include_text() else reads.source_row
        return self.row_read(statement(self.request.user, slug=self.key_in_path()), reads.source_detail)

    def detail_queryset(self):
        sources = self.list_queryset()
        if self._include_text():
            sources = sources.defer(None)
        quotes = Quote.objects.visible_to(self.request.user).select_related("speaker").order_by("start", "pk")
        return sources.prefetch_related(Prefetch("quotes", queryset=quotes))


# Quotes ---------------------------------------------------------------------------------------


class QuoteViewSet(RecordViewSet):
    """Statements exactly as printed in their source, anchored by offsets (W3C selectors)."""

    queryset = Quote.objects.all()
    serializer_class = QuoteSerializer
    write_serializer_class = QuoteWriteSerializer
    filterset_class = filters.QuoteFilter
    ordering_fields = ["said_on", "created_at", "updated_at", "id", "kind"]
    # Meta.ordering's "source" would sort by the source's own ordering (a join); the id keeps the
    # same grouping and is served by the (source, start) index.
    default_ordering = ["source_id", "start"]
    # `?cursor=` pages the list newest first on the (created_at, id) index (pagination.py).
    cursor_ordering = ("-created_at", "-id")

    # Reads are built from rows by reads.py, not by QuoteSerializer (same JSON, a fraction of the time).
    def list(self, request, *args, **kwargs):
        return self.list_by_keys(lambda page: reads.quotes(page, reads.Links(request)))

    def represent(self, quote):
        return reads.quotes([quote.pk], reads.Links(self.request))[0]

    @extend_schema(request=QuoteWriteSerializer, responses={201: QuoteSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=QuoteWriteSerializer, responses={200: QuoteSerializer})
    def update(self, request, *args, **kwargs):
        return super().update(request, *args, **kwargs)

    @extend_schema(request=QuoteWriteSerializer, responses={200: QuoteSerializer})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)


# Claims ---------------------------------------------------------------------------------------


class ClaimViewSet(ClaimReviewActionsMixin, RecordViewSet):
    """Checkable propositions with their evidence, the claims around them, and their reviews.

    Writes take slug, text, topics and note; attributions and relations are their own resources
    (/api/attributions/, /api/relations/); the review status moves through the review workflow.
    """

    queryset = Claim.objects.all()
    serializer_class = ClaimSerializer
    list_serializer_class = ClaimListSerializer
    filterset_class = filters.ClaimFilter
    ordering_fields = ["created_at", "updated_at", "id", "slug", "review_status"]
    # `?cursor=` pages the list newest first on the (created_at, id) index (pagination.py).
    cursor_ordering = ("-created_at", "-id")

    def list_queryset(self):
        return self.base_queryset().with_disputed_by_count()

    def detail_queryset(self):
        return self.base_queryset()  # the detail lists the counter-claims themselves, not their count

    # Reads are built from rows by reads.py, not by the serializers (same JSON, a fraction of the time).
    def list_page(self, claims):
        """A page of `claims()` (their queryset, not built yet: see listed_rows())."""
        links, viewer = reads.Links(self.request), self.request.user
        return self.list_rows(reads.CLAIM_LIST_COLUMNS, lambda page: reads.claim_list(page, links, viewer), claims)

    def list(self, request, *args, **kwargs):
        return self.list_page(self.get_queryset)

    def represent(self, claim):
        # The detail's row read again with the lists it holds (claim_row): a claim has no drafts to hide.
        (row,) = reads.claim_row(self.request.user, claim_id=claim.pk)
        return reads.claim_detail(row, reads.Links(self.request), self.request.user)

    def detail_read(self):
        return self.row_read(self.row_by_key(reads.claim_row, "claim_id"), reads.claim_detail)

    def perform_update(self, serializer):
        serializer.instance.check_wording_open(serializer.validated_data)  # 409 under a published verdict
        return serializer.save()

    @extend_schema(
        summary="The review queue",
        description="Disputed claims without a published review, oldest first (the list's filters apply).",
        responses=ClaimListSerializer(many=True),
    )
    @action(detail=False, methods=["get"], serializer_class=ClaimListSerializer)
    def disputed(self, request):
        return self.list_page(lambda: self.list_queryset().review_queue())


# Links between claims and quotes ----------------------------------------------------------------


class ClaimRelationViewSet(RecordViewSet):
    """Claim A disputes (is a counter-claim of) or supports claim B."""

    queryset = ClaimRelation.objects.all()
    serializer_class = ClaimRelationSerializer
    filterset_class = filters.ClaimRelationFilter
    ordering_fields = ["id", "created_at"]

    def list_queryset(self):
        return self.base_queryset().select_related("from_claim", "to_claim")

    # Pages are built from rows by reads.py, not by the serializer (same JSON, a fraction of the time).
    def list(self, request, *args, **kwargs):
        return self.list_rows(reads.RELATION_COLUMNS, lambda page: reads.relations(page, reads.Links(request)))

    def detail_read(self):
        return self.row_read(self.row_by_key(reads.relation_row, "relation_id"), reads.relation_detail)


class AttributionViewSet(RecordViewSet):
    """Quote Q asserts (or denies) claim C: the evidence that a claim was made, and by whom."""

    queryset = Attribution.objects.all()
    serializer_class = AttributionSerializer
    filterset_class = filters.AttributionFilter
    ordering_fields = ["id", "created_at"]
    # `?cursor=` pages the list newest first on the (created_at, id) index: a deep page number joins
    # every attribution it skips to its quote to decide who may see it (pagination.py).
    cursor_ordering = ("-created_at", "-id")

    def list_queryset(self):
        return self.base_queryset().select_related("quote__speaker", "claim")

    def list(self, request, *args, **kwargs):
        return self.list_rows(reads.ATTRIBUTION_COLUMNS, lambda page: reads.attributions(page, reads.Links(request)))

    def detail_read(self):
        return self.row_read(self.row_by_key(reads.attribution_row, "attribution_id"), reads.attribution_detail)

    # Under a published verdict the claim's evidence is frozen as its wording is: 409 saying to reopen.
    def perform_create(self, serializer):
        Attribution(**serializer.validated_data).check_evidence_open()
        return serializer.save()

    def perform_update(self, serializer):
        serializer.instance.check_evidence_open(serializer.validated_data)
        return serializer.save()

    def perform_destroy(self, attribution):
        attribution.check_removable()
        attribution.delete()


# Reviews --------------------------------------------------------------------------------------


class ReviewViewSet(RecordViewSet):
    """Verdicts on claims. Drafts are seen only by accounts that may view reviews.

    Writes go through the review workflow (claims/reviews.py), as the admin's review page does, and
    each records a ReviewEvent: POST saves the requesting reviewer's draft on a claim assigned to them
    (201 for a new draft, 200 when it continues theirs), PUT/PATCH edit their own draft, DELETE
    discards it. Another reviewer's draft is 403; a published verdict is 409 (reopen the claim's
    review instead) and never deleted. Publishing is POST /api/claims/{id}/publish/.
    """

    queryset = Review.objects.all()
    serializer_class = ReviewSerializer
    filterset_class = filters.ReviewFilter
    ordering_fields = ["published_at", "created_at", "id"]

    def list_queryset(self):
        cited = Prefetch("evidence_quotes", queryset=Quote.objects.visible_to(self.request.user))
        return self.base_queryset().select_related("reviewer", "claim").prefetch_related("evidence_sources", cited)

    def list(self, request, *args, **kwargs):
        return self.list_by_keys(lambda page: reads.reviews(page, reads.Links(request), request.user))

    def detail_read(self):
        return self.row_read(self.row_by_key(reads.review_row, "review_id"), reads.review_detail)

    @extend_schema(responses={201: ReviewSerializer, 200: ReviewSerializer})
    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if response.data["version"] > 1:  # an existing draft of theirs, saved again
            response.status_code = status.HTTP_200_OK
        return response

    def perform_create(self, serializer):
        return self.save_draft(serializer, serializer.validated_data["claim"], None)

    def perform_update(self, serializer):
        return self.save_draft(serializer, serializer.instance.claim, serializer.instance)

    def save_draft(self, serializer, claim, review):
        data = serializer.validated_data
        try:
            return reviews.review_save_draft(
                claim=claim,
                actor=self.request.user,
                review=review,
                rating=data.get("rating", review.rating if review else ""),
                rationale=data.get("rationale", review.rationale if review else ""),
                evidence_sources=data.get("evidence_sources"),
                evidence_quotes=data.get("evidence_quotes"),
            )
        except reviews.StaleEdit as error:
            raise PreconditionFailed(str(error)) from error

    def check_can_edit(self, review):
        reviews.check_review_editable(self.request.user, review)  # before the body is read: 403 or 409

    def perform_destroy(self, review):
        reviews.review_discard_draft(review=review, actor=self.request.user)


class NotFoundView(ReleasedWhenRendered, APIView):
    """Any other path under /api/: a JSON 404 rather than the site's HTML page."""

    schema = None
    authentication_classes = []
    permission_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound(f"No API resource at {request.path}.")
