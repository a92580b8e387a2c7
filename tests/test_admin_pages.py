"""The curation admin: every page opens, quotes show in context, lists cost a fixed number of queries."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Review, ReviewEvent
from tests import factories

pytestmark = pytest.mark.django_db

CLAIMS_MODELS = [model for model in admin.site._registry if model._meta.app_label == "claims"]


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def populate(count):
    for _ in range(count):
        attribution = factories.attribution()
        factories.relation(to_claim=attribution.claim)
        attribution.quote.speaker.aliases.create(name=f"Alias of {attribution.quote.speaker.name}")


@pytest.mark.parametrize("model", CLAIMS_MODELS, ids=lambda model: model._meta.model_name)
def test_every_changelist_opens_for_a_superuser(admin_client, model):
    populate(2)
    response = admin_client.get(reverse(f"admin:claims_{model._meta.model_name}_changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "model",
    [model for model in CLAIMS_MODELS if model not in {Review, ReviewEvent}],
    ids=lambda model: model._meta.model_name,
)
def test_every_add_page_opens_for_a_superuser(admin_client, model):
    response = admin_client.get(reverse(f"admin:claims_{model._meta.model_name}_add"))
    assert response.status_code == 200


def test_review_events_are_written_by_the_workflow_not_by_hand(admin_client):
    assert admin_client.get(reverse("admin:claims_reviewevent_add")).status_code == 403


def test_verdicts_are_written_on_the_claims_review_page_not_by_hand(admin_client):
    assert admin_client.get(reverse("admin:claims_review_add")).status_code == 403


@pytest.mark.parametrize("model", CLAIMS_MODELS, ids=lambda model: model._meta.model_name)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, model):
    url = reverse(f"admin:claims_{model._meta.model_name}_changelist")
    populate(2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    populate(8)
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(url).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many]


def test_quote_change_page_shows_the_quote_highlighted_in_its_source(admin_client):
    quote = factories.quote(text="France forbade the Malian army")
    response = admin_client.get(reverse("admin:claims_quote_change", args=[quote.pk]))
    content = response.content.decode()
    assert "<mark>France forbade the Malian army</mark>" in content
    assert f"Anchored at {quote.start}–{quote.end}" in content


def test_speaker_search_finds_aliases_without_accents(admin_client):
    speaker = factories.speaker(name="Choguel Kokalla Maïga")
    speaker.aliases.create(name="Maiga")
    other = factories.speaker(name="Abdoulaye Diop")
    response = admin_client.get(reverse("admin:claims_speaker_changelist"), {"q": "maiga"})
    assert speaker.name in response.content.decode()
    assert other.name not in response.content.decode()


def test_claim_change_page_has_attribution_and_both_relation_inlines(admin_client):
    claim = factories.claim()
    content = admin_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert "attributions-TOTAL_FORMS" in content
    assert "relations_from-TOTAL_FORMS" in content
    assert "relations_to-TOTAL_FORMS" in content


def test_admin_edit_based_on_a_stale_version_is_refused_with_who_changed_it(admin_client, superuser):
    claim = factories.claim(text="Original wording.")
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = {
        "slug": claim.slug,
        "text": "My edit.",
        "review_status": "unreviewed",
        "seen_version": claim.version,
        **{
            f"{prefix}-{key}": value
            for prefix in ("attributions", "relations_from", "relations_to")
            for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
        },
    }
    claim.text = "Somebody else's edit."
    claim.save()
    response = admin_client.post(url, form)
    assert response.status_code == 200
    assert "reload" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).text == "Somebody else's edit."
