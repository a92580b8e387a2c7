"""A curator builds a small record in the admin, in a real browser."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims.models import Claim, ClaimRelation, Quote, Speaker

from .conftest import PASSWORD, log_in, pick_autocomplete

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = (
    "Bamako, 3 March. The prime minister, Choguel Kokalla Maïga, told reporters: "
    "“The convoys are arriving every day.” Observers doubted it."
)


@pytest.fixture
def curator():
    user = get_user_model().objects.create_user("curator", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="curators"))
    return user


def save(page):
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")


def test_curator_builds_a_disputed_claim_and_finds_it_by_an_unaccented_alias(new_page, curator, artifacts):
    page = new_page()
    log_in(page, "curator")

    page.goto("/admin/claims/speaker/add/")
    page.fill("#id_name", "Choguel Kokalla Maïga")
    page.select_option("#id_kind", "person")
    page.fill("#id_aliases-0-name", "Choguel Maïga")
    save(page)
    assert Speaker.objects.get(slug="choguel-kokalla-maiga").aliases.filter(name="Choguel Maïga").exists()

    page.goto("/admin/claims/source/add/")
    page.fill("#id_title", "Convoys reach Bamako")
    page.select_option("#id_kind", "article")
    page.fill("#id_text", ARTICLE)
    save(page)

    page.goto("/admin/claims/quote/add/")
    pick_autocomplete(page, "id_speaker", "maiga")
    pick_autocomplete(page, "id_source", "Convoys")
    page.fill("#id_text", "The convoys are arriving every day.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    highlighted = page.inner_text(".quote-context mark")
    assert highlighted == "The convoys are arriving every day."
    assert "Anchored at" in page.content()
    quote = Quote.objects.get()
    assert ARTICLE[quote.start : quote.end] == quote.text

    page.goto("/admin/claims/claim/add/")
    page.fill("#id_text", "Fuel convoys reach Bamako every day.")
    pick_autocomplete(page, "id_attributions-0-quote", "convoys")
    save(page)
    claim = Claim.objects.get(attributions__quote=quote)

    page.goto("/admin/claims/claim/add/")
    page.fill("#id_text", "Fuel convoys are blocked on the roads to Bamako.")
    page.select_option("#id_relations_from-0-kind", "disputes")
    pick_autocomplete(page, "id_relations_from-0-to_claim", "every day")
    save(page)
    assert ClaimRelation.objects.filter(to_claim=claim, kind="disputes").exists()
    assert Claim.objects.disputed().filter(pk=claim.pk).exists()

    page.goto("/admin/claims/claim/?q=choguel+maiga")
    results = page.inner_text("#result_list")
    assert "Fuel convoys reach Bamako every day." in results
    assert "blocked" not in results
    page.screenshot(path=str(artifacts / "curator-claim-search.png"), full_page=True)
