"""Two people, two browser contexts, one claim: the second save is refused, never silently lost."""

import re

import pytest

from claims.models import Claim, Review
from tests import factories

from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

STALE = re.compile(r"was changed by (\w+) at [\d-]+ [\d:]+ \S+ — reload the page and apply your edit again")


@pytest.fixture
def reviewers():
    return [factories.user(username=name, is_staff=True, groups=["reviewers"]) for name in ("alice", "bruno")]


@pytest.fixture
def curators():
    return [factories.user(username=name, is_staff=True, groups=["curators"]) for name in ("alice", "bruno")]


@pytest.fixture
def disputed_claim():
    claim = factories.claim(text="Fuel convoys reach Bamako every day.")
    factories.attribution(claim=claim)
    factories.relation(from_claim=factories.claim(text="Fuel convoys are blocked."), to_claim=claim, kind="disputes")
    return claim


def two_accounts_on(new_page, url):
    pages = []
    for username in ("alice", "bruno"):
        page = new_page()
        log_in(page, username)
        page.goto(url)
        pages.append(page)
    return pages


def test_second_save_of_the_claim_change_page_is_refused_with_who_changed_it(new_page, curators, disputed_claim):
    alice, bruno = two_accounts_on(new_page, f"/admin/claims/claim/{disputed_claim.pk}/change/")

    alice.fill("#id_note", "Alice: the convoy figures come from the ministry.")
    alice.click("input[name=_continue]")
    alice.wait_for_selector(".messagelist .success")

    bruno.fill("#id_note", "Bruno: checked against the transporters' union.")
    bruno.click("input[name=_continue]")
    bruno.wait_for_selector(".errornote")
    refusal = bruno.inner_text("#content-main")
    assert STALE.search(refusal).group(1) == "alice"

    disputed_claim.refresh_from_db()
    assert disputed_claim.note == "Alice: the convoy figures come from the ministry."

    # Reloading shows Alice's note; Bruno's edit applied on top of it now goes through.
    bruno.goto(f"/admin/claims/claim/{disputed_claim.pk}/change/")
    assert bruno.input_value("#id_note") == "Alice: the convoy figures come from the ministry."
    bruno.fill("#id_note", "Alice and Bruno: figures from the ministry, checked against the union.")
    bruno.click("input[name=_continue]")
    bruno.wait_for_selector(".messagelist .success")
    disputed_claim.refresh_from_db()
    assert disputed_claim.note == "Alice and Bruno: figures from the ministry, checked against the union."


def test_a_verdict_written_on_a_stale_review_page_is_refused(new_page, reviewers, disputed_claim):
    alice_user, _ = reviewers
    url = f"/admin/claims/claim/{disputed_claim.pk}/review/"
    alice, bruno = two_accounts_on(new_page, url)

    alice.get_by_role("button", name="Assign to me").click()
    alice.wait_for_selector("#verdict-form")
    alice.select_option("#id_rating", "false")
    alice.fill("#id_rationale", "Alice's verdict, written on a page that Bruno then overtakes.")

    # Bruno's page was opened before Alice assigned herself: his assign is based on an old version.
    bruno.get_by_role("button", name="Assign to me").click()
    bruno.wait_for_selector(".messagelist .error")
    assert STALE.search(bruno.inner_text(".messagelist")).group(1) == "alice"
    disputed_claim.refresh_from_db()
    assert disputed_claim.assigned_to == alice_user

    # Bruno reloads and takes the claim over; Alice's open verdict form is now stale.
    bruno.reload()
    bruno.get_by_role("button", name="Assign to me").click()
    bruno.wait_for_selector(".messagelist .success")
    alice.get_by_role("button", name="Publish verdict").click()
    alice.wait_for_selector(".messagelist .error")
    assert STALE.search(alice.inner_text(".messagelist")).group(1) == "bruno"

    disputed_claim.refresh_from_db()
    assert disputed_claim.review_status == Claim.ReviewStatus.IN_REVIEW
    assert disputed_claim.assigned_to.username == "bruno"
    assert not Review.objects.filter(claim=disputed_claim).exists()
