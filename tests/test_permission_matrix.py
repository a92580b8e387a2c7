"""Who may do what, through the API: every group × resource × method, and each group's exact permissions.

Curators curate (speakers, sources, quotes, claims, attributions, relations); reviewers read
everything and assign, draft, publish and reopen verdicts, and change no claim; anonymous readers
and accounts in no group read only. Each allowed request is a valid one, so it answers its success
status: the table says what happens, not only who is turned away.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import reviews
from tests import factories

pytestmark = pytest.mark.django_db

GROUPS = ("anonymous", "no group", "curator", "reviewer", "superuser")

READ = (200, 200, 200, 200, 200)
CURATE_POST = (401, 403, 201, 403, 201)
CURATE_PATCH = (401, 403, 200, 403, 200)
CURATE_DELETE = (401, 403, 204, 403, 204)
REVIEW_ACTION = (401, 403, 403, 200, 200)

# (resource, method): the status for each of GROUPS, in order.
MATRIX = {
    **{
        (resource, method): expected
        for resource in ("speakers", "sources", "quotes", "claims", "attributions", "relations")
        for method, expected in (
            ("list", READ),
            ("detail", READ),
            ("post", CURATE_POST),
            ("patch", CURATE_PATCH),
            ("delete", CURATE_DELETE),
        )
    },
    ("reviews", "list"): READ,
    ("reviews", "detail"): READ,
    ("reviews", "post"): (401, 403, 403, 201, 201),
    ("reviews", "patch"): (401, 403, 403, 200, 200),
    ("reviews", "delete"): (401, 403, 403, 204, 204),
    ("claims/disputed", "list"): READ,
    ("claims/history", "detail"): READ,
    ("claims/claimreview", "detail"): READ,
    ("speakers/quotes", "detail"): READ,
    ("claims/assign", "post"): REVIEW_ACTION,
    ("claims/unassign", "post"): REVIEW_ACTION,
    ("claims/publish", "post"): REVIEW_ACTION,
    ("claims/reopen", "post"): REVIEW_ACTION,
}

CASES = [
    pytest.param(resource, method, group, expected, id=f"{group}-{method}-{resource}")
    for (resource, method), statuses in MATRIX.items()
    for group, expected in zip(GROUPS, statuses, strict=True)
]


def account(group):
    """An account of `group` (None: anonymous). No password: hashing one costs more than the request."""
    if group == "anonymous":
        return None
    groups = {"no group": [], "curator": ["curators"], "reviewer": ["reviewers"], "superuser": []}[group]
    user = get_user_model().objects.create(
        username=f"{group.replace(' ', '-')}-account", is_superuser=group == "superuser"
    )
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def record(owner):
    """One of everything each request needs; `owner` reviews the claims that need a reviewer."""
    quote = factories.quote()
    claim = factories.attribution(quote=quote).claim
    factories.relation(to_claim=claim)  # disputed, unassigned: to assign
    judged = factories.claim()
    reviews.review_assign(claim=judged, actor=owner)
    published = reviews.review_publish(claim=judged, actor=owner, rating="mostly_false", rationale="Seen.")
    in_review = factories.claim()
    reviews.review_assign(claim=in_review, actor=owner)
    draft = reviews.review_save_draft(claim=in_review, actor=owner, rating="mixed", rationale="So far.")
    to_draft = factories.claim()
    reviews.review_assign(claim=to_draft, actor=owner)
    return {
        "quote": quote,
        "claim": claim,
        "attribution": claim.attributions.get(),
        "relation": claim.relations_to.get(),
        "judged": judged,
        "published": published,
        "in_review": in_review,
        "draft": draft,
        "to_draft": to_draft,
        "free_speaker": factories.speaker(),
        "free_source": factories.source(),
        "free_quote": factories.quote(),
        "free_claim": factories.claim(),
    }


def request_for(resource, method, rows):
    """(HTTP method, path, body) of a valid request of `method` on `resource`."""
    key = {
        "speakers": rows["quote"].speaker.slug,
        "sources": rows["quote"].source.slug,
        "quotes": rows["quote"].pk,
        "claims": rows["claim"].pk,
        "attributions": rows["attribution"].pk,
        "relations": rows["relation"].pk,
        "reviews": rows["published"].pk,
    }
    unreferenced = {
        "speakers": rows["free_speaker"].slug,
        "sources": rows["free_source"].slug,
        "quotes": rows["free_quote"].pk,
        "claims": rows["free_claim"].pk,
        "attributions": rows["attribution"].pk,
        "relations": rows["relation"].pk,
        "reviews": rows["draft"].pk,
    }
    new = {
        "speakers": {"name": "Assimi Goïta", "slug": "assimi-goita", "kind": "person"},
        "sources": {"title": "A communiqué", "slug": "a-communique", "kind": "communique"},
        "quotes": {
            "speaker": rows["free_speaker"].slug,
            "source": rows["free_source"].slug,
            "text": "Later he repeated",
        },
        "claims": {"text": "Fuel convoys reached Bamako in October."},
        "attributions": {"claim": rows["claim"].pk, "quote": rows["free_quote"].pk, "stance": "denies"},
        "relations": {"from_claim": rows["free_claim"].pk, "to_claim": rows["claim"].pk, "kind": "supports"},
        "reviews": {"claim": rows["to_draft"].pk, "rating": "mixed", "rationale": "Both sides have evidence."},
    }
    change = {
        "speakers": {"description": "Head of the transition."},
        "reviews": {"rationale": "Both sides, weighed again."},
    }
    claim, judged, in_review = rows["claim"].pk, rows["judged"].pk, rows["in_review"].pk
    special = {
        ("claims/disputed", "list"): ("get", "/api/claims/disputed/", None),
        ("claims/history", "detail"): ("get", f"/api/claims/{claim}/history/", None),
        ("claims/claimreview", "detail"): ("get", f"/api/claims/{judged}/claimreview/", None),
        ("speakers/quotes", "detail"): ("get", f"/api/speakers/{key['speakers']}/quotes/", None),
        ("claims/assign", "post"): ("post", f"/api/claims/{claim}/assign/", {}),
        ("claims/unassign", "post"): ("post", f"/api/claims/{in_review}/unassign/", {}),
        ("claims/publish", "post"): (
            "post",
            f"/api/claims/{in_review}/publish/",
            {"rating": "true", "rationale": "Yes."},
        ),
        ("claims/reopen", "post"): ("post", f"/api/claims/{judged}/reopen/", {"note": "A new report."}),
    }
    if (resource, method) in special:
        return special[(resource, method)]
    if method == "list":
        return "get", f"/api/{resource}/", None
    if method == "detail":
        return "get", f"/api/{resource}/{key[resource]}/", None
    if method == "post":
        return "post", f"/api/{resource}/", new[resource]
    if method == "patch":
        target = rows["draft"].pk if resource == "reviews" else key[resource]
        return "patch", f"/api/{resource}/{target}/", change.get(resource, {"note": "Checked again."})
    return "delete", f"/api/{resource}/{unreferenced[resource]}/", None


@pytest.mark.parametrize(("resource", "method", "group", "expected"), CASES)
def test_permission_matrix(api, resource, method, group, expected):
    user = account(group)
    owner = user if user is not None and reviews.can_review(user) else account("reviewer")
    http_method, path, body = request_for(resource, method, record(owner))
    if user is not None:
        api.force_authenticate(user)
    send = getattr(api, http_method)
    response = send(path) if body is None else send(path, body, format="json")
    assert response.status_code == expected, response.content


def test_the_matrix_covers_every_api_resource():
    from claims.api.urls import router

    assert {prefix for prefix, _viewset, _basename in router.registry} == {
        resource for resource, _method in MATRIX if "/" not in resource
    }


# Each group's exact permissions ------------------------------------------------------------------------

CURATED = ["speaker", "speakeralias", "role", "source", "quote", "topic", "claim", "attribution", "claimrelation"]

EXACT_PERMISSIONS = {
    "curators": {f"{action}_{model}" for model in CURATED for action in ("add", "change", "delete", "view")}
    | {"view_review", "view_reviewevent"},
    "reviewers": {f"view_{model}" for model in [*CURATED, "review", "reviewevent"]}
    | {"add_review", "change_review", "delete_review", "review_claim"},
}


@pytest.mark.parametrize("group", sorted(EXACT_PERMISSIONS))
def test_each_group_holds_exactly_what_its_job_needs(group):
    held = Group.objects.get(name=group).permissions.all()
    assert {permission.content_type.app_label for permission in held} == {"claims"}
    assert {permission.codename for permission in held} == EXACT_PERMISSIONS[group]


def test_reviewers_read_everything_and_change_no_curated_record():
    reviewer = factories.user(groups=["reviewers"])
    assert all(reviewer.has_perm(f"claims.view_{model}") for model in [*CURATED, "review", "reviewevent"])
    assert not any(
        reviewer.has_perm(f"claims.{action}_{model}") for model in CURATED for action in ("add", "change", "delete")
    )
    assert reviews.can_review(reviewer)


def test_an_account_in_no_group_holds_no_permission():
    user = factories.user()
    assert not user.get_all_permissions()
    assert not reviews.can_review(user)
