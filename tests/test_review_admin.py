"""The reviewers' admin pages: the queue, the review page, its verdict form and its version check."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from claims import reviews
from claims.models import Claim, Review, ReviewEvent
from tests import factories

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def reviewer():
    return factories.user(groups=["reviewers"], is_staff=True, username="fatou")


@pytest.fixture
def curator():
    return factories.user(groups=["curators"], is_staff=True, username="curator")


def login(client, user):
    client.force_login(user)
    return client


def disputed_claim():
    """A claim with an attribution, disputed by a counter-claim with its own attribution."""
    claim = factories.attribution().claim
    counter = factories.attribution(quote=factories.quote(text="Later he repeated")).claim
    factories.relation(from_claim=counter, to_claim=claim, note="Diop denies what Maïga asserts")
    return claim, counter


def test_queue_lists_disputed_unreviewed_claims_oldest_first_with_counts(client, reviewer):
    first, _ = disputed_claim()
    second, _ = disputed_claim()
    factories.claim(text="An undisputed claim")
    reviewed, _ = disputed_claim()
    reviews.review_assign(claim=reviewed, actor=reviewer)
    reviews.review_publish(claim=reviewed, actor=reviewer, rating="true", rationale="Checked")
    content = login(client, reviewer).get(reverse("admin:claims_claim_review_queue")).content.decode()
    assert content.index(f'data-claim="{first.pk}"') < content.index(f'data-claim="{second.pk}"')
    assert "An undisputed claim" not in content
    assert f'data-claim="{reviewed.pk}"' not in content
    row = content[content.index(f'data-claim="{first.pk}"') :]
    assert re.search(r'<td class="attribution-count"><a href="[^"]+">1</a></td>', row[:1500])
    assert re.search(r'<td class="counter-claim-count"><a href="[^"]+">1</a></td>', row[:1500])


def test_reviewer_assigns_a_claim_to_themself_from_the_queue(client, reviewer):
    claim, _ = disputed_claim()
    response = login(client, reviewer).post(reverse("admin:claims_claim_review_queue"), {"claim": claim.pk})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.review_status, claim.assigned_to) == ("in_review", reviewer)
    assert ReviewEvent.objects.get(claim=claim).actor == reviewer


def test_curator_cannot_assign_from_the_queue(client, curator):
    claim, _ = disputed_claim()
    login(client, curator).post(reverse("admin:claims_claim_review_queue"), {"claim": claim.pk})
    claim.refresh_from_db()
    assert claim.review_status == "unreviewed"
    assert not ReviewEvent.objects.exists()


def test_review_page_shows_both_sides_in_context_with_the_relation_note_and_the_graph(client, reviewer):
    claim, counter = disputed_claim()
    speaker = claim.attributions.get().quote.speaker
    speaker.roles.create(title="Prime minister", organisation="Transitional government of Mali")
    content = login(client, reviewer).get(reverse("admin:claims_claim_review", args=[claim.pk])).content.decode()
    assert claim.text in content and counter.text in content
    assert "<mark>France forbade the Malian army from entering</mark>" in content
    assert "<mark>Later he repeated</mark>" in content
    assert "Diop denies what Maïga asserts" in content
    assert "Prime minister, Transitional government of Mali" in content
    start = content.index('<svg xmlns="http://www.w3.org/2000/svg" class="dispute-graph"')
    svg = content[start : content.index("</svg>", start) + len("</svg>")]
    nodes = {node.get("data-claim") for node in ET.fromstring(svg).iter(f"{SVG}g") if "node" in node.get("class", "")}
    assert nodes == {str(claim.pk), str(counter.pk)}


def test_verdict_form_publishes_through_the_workflow(client, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    claim.refresh_from_db()
    source = claim.attributions.get().quote.source
    response = login(client, reviewer).post(
        reverse("admin:claims_claim_review", args=[claim.pk]),
        {
            "action": "publish",
            "rating": "mostly_false",
            "rationale": "Contradicted by the defence ministry.",
            "evidence_sources": [source.pk],
            "claim_version": claim.version,
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(claim=claim)
    assert (review.status, review.rating, review.reviewer) == ("published", "mostly_false", reviewer)
    assert list(review.evidence_sources.all()) == [source]
    assert Claim.objects.get(pk=claim.pk).review_status == "reviewed"


def test_verdict_form_refuses_a_stale_claim_version_with_who_and_when(client, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    claim.refresh_from_db()
    seen = claim.version
    # Meanwhile a curator corrects the wording of the claim.
    claim.text = "Reworded by a curator."
    claim._history_user = factories.user(username="moussa")
    claim.save()
    response = login(client, reviewer).post(
        reverse("admin:claims_claim_review", args=[claim.pk]),
        {"action": "publish", "rating": "true", "rationale": "Seen.", "claim_version": seen},
        follow=True,
    )
    content = response.content.decode()
    assert "changed by moussa at" in content
    assert "reload" in content
    assert not Review.objects.exists()
    assert Claim.objects.get(pk=claim.pk).review_status == "in_review"


def test_a_draft_saved_from_a_stale_page_is_refused(client, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    draft = reviews.review_save_draft(claim=claim, actor=reviewer, rating="mixed", rationale="first draft")
    claim.refresh_from_db()
    page = {"action": "draft", "rating": "false", "rationale": "", "claim_version": claim.version}
    seen = draft.version
    reviews.review_save_draft(claim=claim, actor=reviewer, rating="mixed", rationale="saved in another tab")
    login(client, reviewer).post(
        reverse("admin:claims_claim_review", args=[claim.pk]), {**page, "review_version": seen}, follow=True
    )
    assert Review.objects.get(pk=draft.pk).rationale == "saved in another tab"


def test_reopen_from_the_review_page_keeps_the_earlier_review_visible(client, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    reviews.review_publish(claim=claim, actor=reviewer, rating="false", rationale="First verdict rationale")
    claim.refresh_from_db()
    url = reverse("admin:claims_claim_review", args=[claim.pk])
    login(client, reviewer).post(url, {"action": "reopen", "note": "new evidence", "claim_version": claim.version})
    assert Claim.objects.get(pk=claim.pk).review_status == "in_review"
    content = client.get(url).content.decode()
    assert "First verdict rationale" in content
    assert "Superseded" in content


def test_curator_cannot_change_a_published_review_in_the_admin(client, curator, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    review = reviews.review_publish(claim=claim, actor=reviewer, rating="false", rationale="Original")
    url = reverse("admin:claims_review_change", args=[review.pk])
    login(client, curator).post(url, {"rating": "true", "rationale": "Overwritten", "seen_version": review.version})
    assert Review.objects.get(pk=review.pk).rationale == "Original"
    assert 'name="rationale"' not in client.get(url).content.decode()


def test_claim_admin_cannot_move_the_review_status_by_hand(client, superuser):
    claim, _ = disputed_claim()
    content = login(client, superuser).get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert 'name="review_status"' not in content
    assert 'name="assigned_to"' not in content


def test_claim_pages_link_to_the_review_queue_and_the_review_page(client, reviewer):
    claim, _ = disputed_claim()
    login(client, reviewer)
    changelist = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    assert reverse("admin:claims_claim_review_queue") in changelist
    change = client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()
    assert reverse("admin:claims_claim_review", args=[claim.pk]) in change


def test_the_review_admin_reads_verdicts_and_sends_writers_to_the_claims_review_page(client, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    draft = reviews.review_save_draft(claim=claim, actor=reviewer, rating="mixed", rationale="first")
    other = factories.user(groups=["reviewers"], is_staff=True, username="aminata")
    url = reverse("admin:claims_review_change", args=[draft.pk])
    form = {"claim": claim.pk, "rating": "false", "rationale": "aminata's edit", "seen_version": draft.version}
    assert login(client, other).post(url, form).status_code == 403
    page = login(client, reviewer).get(url).content.decode()
    assert 'name="rationale"' not in page
    assert reverse("admin:claims_claim_review", args=[claim.pk]) in page
    assert client.get(reverse("admin:claims_review_add")).status_code == 403
    assert client.get(reverse("admin:claims_review_delete", args=[draft.pk])).status_code == 403
    assert Review.objects.get(pk=draft.pk).rationale == "first"


# Reviewers at work: where they land, what they are told, where errors show ---------------------------


def test_assign_to_me_in_the_queue_takes_the_reviewer_to_the_claims_review_page(client, reviewer):
    claim, _ = disputed_claim()
    response = login(client, reviewer).post(
        reverse("admin:claims_claim_review_queue"), {"claim": claim.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:claims_claim_review", args=[claim.pk])
    content = response.content.decode()
    assert f"You are now reviewing “{claim.text}”." in content
    assert 'id="verdict-form"' in content


def test_publishing_without_rating_or_rationale_shows_each_error_beside_its_field(client, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    claim.refresh_from_db()
    response = login(client, reviewer).post(
        reverse("admin:claims_claim_review", args=[claim.pk]),
        {"action": "publish", "rating": "", "rationale": " ", "claim_version": claim.version},
    )
    assert response.status_code == 200
    content = response.content.decode()
    rating_block = content[content.index('id="verdict-rating"') : content.index('id="id_rating"')]
    assert "A published verdict needs a rating." in rating_block
    rationale_block = content[content.index('id="verdict-rationale"') : content.index('id="id_rationale"')]
    assert "A published verdict needs a rationale." in rationale_block
    # Not (only) in the banner at the top: the message list carries no copy of the field errors.
    assert 'class="messagelist"' not in content
    # review.js scrolls to the first error and puts the cursor in its field.
    assert "claims/admin/review.js" in content
    assert Claim.objects.get(pk=claim.pk).review_status == "in_review"


def test_published_verdict_is_announced_in_words_and_not_listed_among_earlier_reviews(client, reviewer):
    claim, _ = disputed_claim()
    reviews.review_assign(claim=claim, actor=reviewer)
    claim.refresh_from_db()
    response = login(client, reviewer).post(
        reverse("admin:claims_claim_review", args=[claim.pk]),
        {
            "action": "publish",
            "rating": "mostly_false",
            "rationale": "The logs say otherwise.",
            "claim_version": claim.version,
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Verdict published: Mostly false." in content
    assert "done for claim" not in content
    verdict = content[content.index('id="verdict"') :]
    assert "The logs say otherwise." in verdict
    earlier = content[content.index("<h2>Earlier reviews</h2>") : content.index("<h2>Workflow record</h2>")]
    assert "The logs say otherwise." not in earlier
    assert "None." in earlier


def test_my_assignments_lists_the_claims_assigned_to_me_and_no_others(client, reviewer):
    mine, _ = disputed_claim()
    theirs, _ = disputed_claim()
    waiting, _ = disputed_claim()
    reviews.review_assign(claim=mine, actor=reviewer)
    reviews.review_assign(claim=theirs, actor=factories.user(groups=["reviewers"], is_staff=True))
    content = login(client, reviewer).get(reverse("admin:claims_claim_my_assignments")).content.decode()
    assert f'data-claim="{mine.pk}"' in content
    assert f'data-claim="{theirs.pk}"' not in content
    assert f'data-claim="{waiting.pk}"' not in content
    assert "Continue reviewing" in content


def test_queue_search_finds_claims_by_wording_or_unaccented_speaker_name(client, reviewer):
    blockade, _ = disputed_claim()
    blockade.text = "JNIM's blockade cut Bamako's fuel supply."
    blockade.save()
    other, _ = disputed_claim()
    speaker = other.attributions.get().quote.speaker
    speaker.name = "Choguel Maïga"
    speaker.save()
    login(client, reviewer)
    url = reverse("admin:claims_claim_review_queue")
    by_wording = client.get(url, {"q": "blockade"}).content.decode()
    assert f'data-claim="{blockade.pk}"' in by_wording and f'data-claim="{other.pk}"' not in by_wording
    by_speaker = client.get(url, {"q": "maiga"}).content.decode()
    assert f'data-claim="{other.pk}"' in by_speaker and f'data-claim="{blockade.pk}"' not in by_speaker


def test_queue_topic_filter_keeps_the_claims_with_that_topic(client, reviewer):
    fuel = factories.topic(name="Fuel", slug="fuel")
    tagged, _ = disputed_claim()
    tagged.topics.add(fuel)
    untagged, _ = disputed_claim()
    content = (
        login(client, reviewer).get(reverse("admin:claims_claim_review_queue"), {"topic": "fuel"}).content.decode()
    )
    assert f'data-claim="{tagged.pk}"' in content
    assert f'data-claim="{untagged.pk}"' not in content
    assert '<option value="fuel" selected>Fuel</option>' in content


def test_admin_home_links_to_the_review_queue_and_my_assignments(client, reviewer):
    content = login(client, reviewer).get(reverse("admin:index")).content.decode()
    assert reverse("admin:claims_claim_review_queue") in content
    assert reverse("admin:claims_claim_my_assignments") in content


def test_review_page_shows_excerpts_without_markdown_and_source_lines_in_words(client, reviewer):
    from datetime import date

    text = (
        "# Fuel convoys\n\nThe minister told **[reporters](https://example.org)** "
        "that “the convoys arrive daily” on Friday."
    )
    source = factories.source(
        text=text, publisher="Peoples Dispatch", published_on=date(2025, 11, 1), published_precision="month"
    )
    quote = factories.quote(
        source=source,
        text="the convoys arrive daily",
        said_venue="Interview",
        said_on=date(2021, 1, 1),
        said_precision="year",
    )
    claim = factories.attribution(quote=quote).claim
    content = login(client, reviewer).get(reverse("admin:claims_claim_review", args=[claim.pk])).content.decode()
    assert "Peoples Dispatch, November 2025; said at Interview, 2021" in content
    assert "The minister told reporters that “<mark>the convoys arrive daily</mark>” on Friday." in content
    assert "**" not in content and "# Fuel" not in content


def test_queue_and_my_assignments_read_a_fixed_number_of_queries_however_many_claims(client, reviewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, reviewer)

    def counts():
        with CaptureQueriesContext(connection) as queue_queries:
            client.get(reverse("admin:claims_claim_review_queue"))
        with CaptureQueriesContext(connection) as mine_queries:
            client.get(reverse("admin:claims_claim_my_assignments"))
        return len(queue_queries), len(mine_queries)

    topic = factories.topic()
    for _ in range(2):
        claim, _ = disputed_claim()
        claim.topics.add(topic)
        reviews.review_assign(claim=claim, actor=reviewer)
    few = counts()
    for _ in range(5):
        claim, _ = disputed_claim()
        claim.topics.add(topic)
        reviews.review_assign(claim=claim, actor=reviewer)
    assert counts() == few


def test_queue_counts_link_to_the_attributions_and_the_counter_claims_they_count(client, reviewer):
    from html import unescape

    claim, counter = disputed_claim()
    factories.relation(from_claim=claim)  # this claim disputes another: not a counter-claim of it
    login(client, reviewer)
    content = client.get(reverse("admin:claims_claim_review_queue")).content.decode()
    row = content[content.index(f'data-claim="{claim.pk}"') :]
    attributions = unescape(re.search(r'attribution-count"><a href="([^"]+)"', row).group(1))
    counters = unescape(re.search(r'counter-claim-count"><a href="([^"]+)"', row).group(1))
    listed = client.get(attributions).content.decode()
    assert listed.count('class="field-claim_short"') == 1
    relations = client.get(counters).content.decode()
    assert relations.count('class="field-from_claim_short"') == 1
    assert counter.text in relations
