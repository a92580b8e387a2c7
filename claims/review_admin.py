"""The reviewers' admin pages: the queue of disputed claims and the review page of one claim.

Views stay thin: they read (selectors below), show, and hand every transition to `claims.reviews`.
`ClaimAdmin.get_urls` mounts them under /admin/claims/claim/.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from . import display, graph, reviews
from .models import Attribution, Claim, ClaimRelation, Quote, Rating, Review, Role, Source, Topic


class VerdictForm(forms.Form):
    """The verdict; the hidden versions make a save based on a stale page fail instead of overwriting."""

    rating = forms.ChoiceField(choices=[("", "—")] + list(Rating.choices), required=False)
    rationale = forms.CharField(widget=forms.Textarea(attrs={"rows": 8, "cols": 80}), required=False)
    evidence_sources = forms.ModelMultipleChoiceField(
        queryset=Source.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence_quotes = forms.ModelMultipleChoiceField(
        queryset=Quote.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    claim_version = forms.IntegerField(widget=forms.HiddenInput)
    review_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, quotes=(), **kwargs):
        super().__init__(*args, **kwargs)
        quote_ids = [quote.pk for quote in quotes]
        self.fields["evidence_quotes"].queryset = Quote.objects.filter(pk__in=quote_ids).select_related("speaker")
        self.fields["evidence_sources"].queryset = Source.objects.filter(
            Q(quotes__in=quote_ids) | Q(originated_quotes__in=quote_ids)
        ).distinct()


# Selectors ----------------------------------------------------------------------------------------


def queue(claims=None, *, search="", topic="", viewer=None):
    """Disputed claims awaiting a verdict (or the `claims` given), oldest first, with what a reviewer
    weighs them by; narrowed to those matching `search` (wording, or a speaker `viewer` may see) and
    tagged `topic` (a slug)."""
    claims = Claim.objects.review_queue() if claims is None else claims
    if search.strip():
        claims = claims.filter(pk__in=Claim.objects.visible_to(viewer).matching(search).values("pk"))
    if topic:
        claims = claims.filter(pk__in=Claim.topics.through.objects.filter(topic__slug=topic).values("claim"))
    return (
        claims.select_related("assigned_to")
        .prefetch_related("topics")
        .annotate(
            attribution_total=Count("attributions", distinct=True),
            counter_claim_total=Count("relations_to", filter=Q(relations_to__kind="disputes"), distinct=True),
        )
    )


def assignments(user):
    """The claims `user` is reviewing now, disputed or not, oldest first."""
    return Claim.objects.filter(assigned_to=user, review_status=Claim.ReviewStatus.IN_REVIEW).order_by(
        "created_at", "pk"
    )


def _attributions():
    return Attribution.objects.select_related("quote__speaker", "quote__source", "quote__origin").prefetch_related(
        Prefetch("quote__speaker__roles", queryset=Role.objects.order_by("start_date"))
    )


def _role_then(quote):
    """The role the speaker held when speaking (said date, else the source's date)."""
    day = quote.said_on or quote.source.published_on
    roles = list(quote.speaker.roles.all())
    if day is None:
        return ", ".join(str(role) for role in roles[-1:])
    held = [
        role
        for role in roles
        if (role.start_date is None or role.start_date <= day) and (role.end_date is None or role.end_date >= day)
    ]
    return "; ".join(str(role) for role in held)


def side(claim):
    """One claim as the review page shows it: its attributions with the role held then and the quote in context."""
    from .admin import highlighted_context  # the admin module imports this one

    rows = []
    for attribution in claim.attributions.all():
        quote = attribution.quote
        rows.append(
            {
                "attribution": attribution,
                "quote": quote,
                "role": _role_then(quote),
                "source_line": display.source_line(quote),
                "context": highlighted_context(quote),
            }
        )
    return {"claim": claim, "attributions": rows}


def neighbourhood_relations(claim_ids):
    """The relations with a claim of `claim_ids` on either side: one step of neighbourhood()."""
    return (
        ClaimRelation.objects.filter(Q(from_claim__in=claim_ids) | Q(to_claim__in=claim_ids))
        .order_by("pk")
        .values("id", "from_claim_id", "to_claim_id", "kind")
    )


def neighbourhood_claims(claim_ids):
    """What a node of neighbourhood() shows of each claim of `claim_ids`."""
    return Claim.objects.filter(pk__in=claim_ids).order_by().values("id", "slug", "text", "review_status")


def neighbourhood(claim, depth=2, url_for=None, read=None):
    """Claims within `depth` relation steps of `claim`, and the relations among them.

    Each node links to `url_for(row)` (a row of neighbourhood_claims(); the public site passes its
    claim pages), else to its review page. `read(function, claim_ids)` runs neighbourhood_relations
    and neighbourhood_claims (the public site runs them compiled); by default, as querysets.
    """
    if read is None:
        read = lambda function, claim_ids: list(function(claim_ids))  # noqa: E731
    depths = {claim.pk: 0}
    frontier = {claim.pk}
    relations = {}
    for step in range(1, depth + 1):
        found = read(neighbourhood_relations, sorted(frontier))
        frontier = set()
        for relation in found:
            relations[relation["id"]] = relation
            for pk in (relation["from_claim_id"], relation["to_claim_id"]):
                if pk not in depths:
                    depths[pk] = step
                    frontier.add(pk)
    claims = {row["id"]: row for row in read(neighbourhood_claims, sorted(depths))}
    nodes = [
        graph.Node(
            id=pk,
            label=claims[pk]["text"],
            status=claims[pk]["review_status"],
            url=url_for(claims[pk]) if url_for else reverse("admin:claims_claim_review", args=[pk]),
            depth=depths[pk],
        )
        for pk in sorted(depths, key=lambda pk: (depths[pk], pk))
    ]
    edges = [
        graph.Edge(source=relation["from_claim_id"], target=relation["to_claim_id"], kind=relation["kind"])
        for relation in relations.values()
        if relation["from_claim_id"] in depths and relation["to_claim_id"] in depths
    ]
    return nodes, edges


def current_verdict(claim):
    """The verdict this site published on the claim as it stands (None while it is not reviewed here)."""
    if claim.review_status != Claim.ReviewStatus.REVIEWED:
        return None
    return (
        claim.reviews.published()
        .filter(publisher_name="")
        .select_related("reviewer")
        .prefetch_related("evidence_sources", "evidence_quotes__speaker")
        .order_by("-published_at", "-pk")
        .first()
    )


# Views --------------------------------------------------------------------------------------------


def _context(model_admin, request, **extra):
    return {**model_admin.admin_site.each_context(request), "opts": Claim._meta, **extra}


def queue_view(model_admin, request, *, mine=False):
    """The review queue, or (`mine`) the claims the user is reviewing; both searchable and filtered by topic."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    if request.method == "POST":
        claim = get_object_or_404(Claim, pk=request.POST.get("claim"))
        if _act(request, claim, "assign"):
            # The reviewer assigned the claim to work on it: take them there.
            return redirect("admin:claims_claim_review", claim.pk)
        return redirect(request.get_full_path())
    search, topic = request.GET.get("q", ""), request.GET.get("topic", "")
    claims = queue(assignments(request.user) if mine else None, search=search, topic=topic, viewer=request.user)
    title = "My assignments: claims I am reviewing" if mine else "Review queue: disputed claims awaiting a verdict"
    return TemplateResponse(
        request,
        "admin/claims/review/queue.html",
        _context(
            model_admin,
            request,
            title=title,
            mine=mine,
            claims=claims,
            search=search,
            topic=topic,
            topics=Topic.objects.all(),
            can_review=reviews.can_review(request.user),
        ),
    )


def _claim_name(claim):
    return Truncator(claim.text).chars(80)


def _success_message(action, claim, review):
    name = _claim_name(claim)
    if action == "assign":
        return f"You are now reviewing “{name}”."
    if action == "unassign":
        return f"“{name}” is back in the review queue."
    if action == "reopen":
        return f"“{name}” is reopened: you are reviewing it again; the earlier verdict stays in the record."
    if action == "draft":
        return "Draft verdict saved: only reviewers see it until it is published."
    return f"Verdict published: {review.get_rating_display()}."


def _act(request, claim, action, form=None, **fields):
    """Run one workflow service and tell the user how it went; True when it succeeded.

    A verdict refused for a field's sake (no rating, no rationale) is shown beside that field of `form`.
    """
    services = {
        "assign": reviews.review_assign,
        "unassign": reviews.review_unassign,
        "reopen": reviews.review_reopen,
        "draft": reviews.review_save_draft,
        "publish": reviews.review_publish,
    }
    try:
        result = services[action](claim=claim, actor=request.user, **fields)
    except (PermissionDenied, reviews.StaleEdit) as error:
        messages.error(request, str(error) or "You may not do that.")
        return False
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        elif form is not None:
            form.add_error(None, error)
        else:
            for message in error.messages:
                messages.error(request, message)
        return False
    messages.success(request, _success_message(action, claim, result if isinstance(result, Review) else None))
    return True


def review_view(model_admin, request, pk):
    claim = get_object_or_404(Claim.objects.select_related("assigned_to"), pk=pk)
    if not model_admin.has_view_permission(request, claim):
        raise PermissionDenied
    claims_shown = Claim.objects.prefetch_related(Prefetch("attributions", queryset=_attributions()))
    claim_side = side(claims_shown.get(pk=claim.pk))
    relations = list(ClaimRelation.objects.touching(claim).select_related("from_claim", "to_claim"))
    others = {
        relation.from_claim_id if relation.to_claim_id == claim.pk else relation.to_claim_id for relation in relations
    }
    other_sides = {other.pk: side(other) for other in claims_shown.filter(pk__in=others)}
    counter_sides = [
        {"relation": relation, "direction": "to" if relation.to_claim_id == claim.pk else "from", **other_sides[other]}
        for relation in relations
        for other in [relation.from_claim_id if relation.to_claim_id == claim.pk else relation.to_claim_id]
    ]
    draft = reviews.open_draft(claim, request.user)  # another reviewer's draft stays theirs
    quotes = [row["quote"] for entry in [claim_side, *other_sides.values()] for row in entry["attributions"]]

    form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action in {"draft", "publish"}:
            form = VerdictForm(request.POST, quotes=quotes)
            if form.is_valid():
                data = form.cleaned_data
                done = _act(
                    request,
                    claim,
                    action,
                    form=form,
                    rating=data["rating"],
                    rationale=data["rationale"],
                    evidence_sources=list(data["evidence_sources"]),
                    evidence_quotes=list(data["evidence_quotes"]),
                    expected_version=data["claim_version"],
                    expected_review_version=data["review_version"] if draft is not None else None,
                )
                if done:
                    return redirect("admin:claims_claim_review", claim.pk)
        elif action in {"assign", "unassign", "reopen"}:
            fields = {"expected_version": request.POST.get("claim_version") or None}
            if action == "reopen":
                fields["note"] = request.POST.get("note", "")
            _act(request, claim, action, **fields)
            return redirect("admin:claims_claim_review", claim.pk)
    if form is None:
        initial = {"claim_version": claim.version, "review_version": draft.version if draft else None}
        if draft is not None:
            initial |= {
                "rating": draft.rating,
                "rationale": draft.rationale,
                "evidence_sources": list(draft.evidence_sources.all()),
                "evidence_quotes": list(draft.evidence_quotes.all()),
            }
        form = VerdictForm(initial=initial, quotes=quotes)

    nodes, edges = neighbourhood(claim)
    verdict = current_verdict(claim)
    earlier = claim.reviews.exclude(status=Review.Status.DRAFT).select_related("reviewer")
    if verdict is not None:
        earlier = earlier.exclude(pk=verdict.pk)
    is_assignee = claim.assigned_to_id == request.user.pk and claim.review_status == Claim.ReviewStatus.IN_REVIEW
    return TemplateResponse(
        request,
        "admin/claims/review/review.html",
        _context(
            model_admin,
            request,
            title=f"Review claim #{claim.pk}",
            claim=claim,
            original=claim,
            claim_side=claim_side,
            counter_sides=counter_sides,
            verdict=verdict,
            earlier_reviews=earlier,
            events=claim.review_events.select_related("actor", "review"),
            draft=draft,
            form=form,
            # graph.dispute_svg escapes every text and attribute it writes.
            svg=mark_safe(graph.dispute_svg(nodes, edges, title=f"Claims related to claim #{claim.pk}")),
            can_review=reviews.can_review(request.user),
            can_write_verdict=reviews.can_review(request.user) and is_assignee,
        ),
    )
