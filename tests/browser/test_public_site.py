"""A reader on the public site, in Chromium: from the home page to a verdict and the quote in its source;
and axe-core (axe-playwright-python's bundled copy) finds no serious or critical problem on the main pages."""

import pytest
from django.core.management import call_command

from claims.models import Claim, Quote, Source, Speaker
from claims.reviews import review_assign, review_publish
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

RATIONALE = "Two later counts put the toll higher; the first figure was provisional."


@pytest.fixture
def record():
    """The seed record, with a published verdict on a claim that Maïga's words carry."""
    call_command("load_seed", verbosity=0)
    maiga = Speaker.objects.matching("maiga").get()
    claim = Claim.objects.by_speaker(maiga).order_by("pk").first()
    reviewer = factories.user(username="rita", groups=["reviewers"])
    review_assign(claim=claim, actor=reviewer)
    review_publish(claim=claim, actor=reviewer, rating="mostly_false", rationale=RATIONALE)
    quote = Quote.objects.published().filter(speaker=maiga, attributions__claim=claim, start__isnull=False).first()
    return {"claim": claim, "speaker": maiga, "quote": quote}


def test_reader_searches_opens_a_claim_follows_a_quote_to_its_source_and_sees_the_verdict(new_page, record, artifacts):
    claim, quote = record["claim"], record["quote"]
    page = new_page()
    page.goto("/")
    assert page.locator("h1").inner_text() == "Claims and verdicts on the war in Mali and the Sahel"
    page.screenshot(path=str(artifacts / "site-home.png"), full_page=True)

    page.get_by_label("Search claims, quotes, speakers and sources").fill("maiga")
    page.get_by_role("button", name="Search").last.click()
    page.wait_for_url("**/search/?q=maiga*")
    assert record["speaker"].name in page.locator("#results-speakers + *").inner_text()
    page.screenshot(path=str(artifacts / "site-search-maiga.png"), full_page=True)

    page.locator("section.search-section").first.get_by_role("link", name=claim.text).click()
    page.wait_for_url(f"**/claims/{claim.slug}/")
    verdict = page.locator("section.verdict")
    assert "Mostly false" in verdict.inner_text() and RATIONALE in verdict.inner_text()
    assert page.locator(".rating-scale [aria-current='true']").inner_text() == "Mostly false"
    page.screenshot(path=str(artifacts / "site-claim.png"), full_page=True)

    page.locator(f"#attribution-{quote.attributions.get(claim=claim).pk} a.quote-link").click()
    page.wait_for_url(f"**/sources/{quote.source.slug}/#quote-{quote.pk}")
    mark = page.locator(f"mark#quote-{quote.pk}")
    assert mark.is_visible()
    highlighted = "".join(page.locator(f"mark.q-{quote.pk}").all_inner_texts())
    assert highlighted == quote.text
    # The quote followed to is the target: it is highlighted more strongly than the others.
    target_background = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    other = page.locator(f"mark.quote:not(.q-{quote.pk})").first
    assert target_background != other.evaluate("el => getComputedStyle(el).backgroundColor")
    page.screenshot(path=str(artifacts / "site-source-highlighted.png"), full_page=False)

    page.go_back()
    page.wait_for_url(f"**/claims/{claim.slug}/")
    assert "Mostly false" in page.locator("section.verdict").inner_text()


def test_main_pages_have_no_serious_accessibility_violations(new_page, record, artifacts):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    source = Source.objects.exclude(text="").first()
    pages = [
        "/",
        f"/claims/{record['claim'].slug}/",
        f"/speakers/{record['speaker'].slug}/",
        f"/sources/{source.slug}/",
        "/search/?q=maiga",
        "/verdicts/",
        "/topics/",
        "/accessibility/",
        "/no-such-page/",
    ]
    page = new_page()
    problems = {}
    for path in pages:
        page.goto(path)
        results = axe.run(page)
        serious = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} — {len(violation['nodes'])} element(s)"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"/claims/{record['claim'].slug}/")
    page.screenshot(path=str(artifacts / "site-claim-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert problems == {}
