"""The public site's pages on the seed record: status, what each page shows, and drafts never shown."""

import datetime
import html
import json
import re

import pytest
from django.core.management import call_command

from claims.models import Attribution, Claim, Quote, Review, Source, Speaker, Status
from claims.reviews import review_assign, review_publish
from tests import factories

pytestmark = pytest.mark.django_db

WSWS = "wsws-2019-11-05-indelimane-attack"
PD = "peoples-dispatch-2025-11-mali-proxy-war"


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)


@pytest.fixture
def reviewer(working_groups):
    return factories.user(groups=["reviewers"])


def publish(claim, reviewer, rating="mostly_false", rationale="The death toll was revised twice.", **evidence):
    review_assign(claim=claim, actor=reviewer)
    return review_publish(claim=claim, actor=reviewer, rating=rating, rationale=rationale, **evidence)


def text_of(response):
    """The page's visible text, tags dropped and whitespace collapsed."""
    body = response.content.decode()
    body = re.sub(r"<script.*?</script>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_home_page_says_what_the_record_is_and_lists_verdicts_and_the_disputed_claims(client, seed, reviewer):
    claim = Claim.objects.get(slug="indelimane-death-toll-49")
    publish(claim, reviewer)
    response = client.get("/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Claims and verdicts on the war in Mali and the Sahel" in page
    assert claim.text in page and "Mostly false" in page
    waiting = Claim.objects.review_queue().order_by("-created_at", "-pk").first()
    assert waiting.text in page
    assert f"Claims {Claim.objects.count()}" in page
    assert 'role="search"' in response.content.decode()


def test_claim_page_shows_the_verdict_the_evidence_in_context_and_both_sides(client, seed, reviewer):
    claim = Claim.objects.get(slug="indelimane-death-toll-49")
    source = Source.objects.get(slug=WSWS)
    publish(claim, reviewer, evidence_sources=[source])
    response = client.get(f"/claims/{claim.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    review = claim.reviews.get(status=Review.Status.PUBLISHED)
    assert f'id="review-{review.pk}"' in html
    assert "Mostly false" in page and "The death toll was revised twice." in page
    assert f"Reviewed by {reviewer.username}" in page
    assert 'aria-current="true">Mostly false' in html  # its place on the scale
    for attribution in claim.attributions.select_related("quote__speaker", "quote__source"):
        quote = attribution.quote
        assert quote.text in page
        assert quote.speaker.name in page
        assert f'href="/sources/{quote.source.slug}/#quote-{quote.pk}"' in html
    for relation in claim.relations_to.select_related("from_claim"):
        assert relation.from_claim.text in page
    assert "<svg" in html and f'href="/claims/{claim.slug}/"' in html
    assert "Verdict published" in page and "Review started" in page


def test_claim_page_of_an_unreviewed_claim_says_so(client, seed):
    claim = Claim.objects.exclude(review_status="reviewed").first()
    page = text_of(client.get(f"/claims/{claim.slug}/"))
    assert "Not yet reviewed" in page
    assert "application/ld+json" not in client.get(f"/claims/{claim.slug}/").content.decode()


def test_claim_page_embeds_exactly_the_claimreview_json_ld_of_the_api(client, seed, reviewer):
    claim = Claim.objects.get(slug="indelimane-death-toll-49")
    publish(claim, reviewer)
    html = client.get(f"/claims/{claim.slug}/").content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)
    assert len(blocks) == 1
    api = client.get(f"/api/claims/{claim.pk}/claimreview/")
    assert json.loads(blocks[0]) == api.json()
    review = claim.reviews.get(status=Review.Status.PUBLISHED)
    assert api.json()[0]["url"] == f"http://127.0.0.1:8000/claims/{claim.slug}/#review-{review.pk}"


def test_json_ld_cannot_close_its_script_element(client, db, reviewer):
    claim = factories.claim(text="Nothing </script><script>alert(1)</script> & more")
    factories.attribution(claim=claim)
    publish(claim, reviewer, rationale="</script><!-- & -->")
    html = client.get(f"/claims/{claim.slug}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)[0]["claimReviewed"] == claim.text


def test_claimreview_url_follows_site_url(client, db, reviewer, settings):
    settings.SITE_URL = "https://claims.example.net"
    claim = factories.claim()
    factories.attribution(claim=claim)
    review = publish(claim, reviewer)
    data = client.get(f"/api/claims/{claim.pk}/claimreview/").json()
    assert data[0]["url"] == f"https://claims.example.net/claims/{claim.slug}/#review-{review.pk}"
    html = client.get(f"/claims/{claim.slug}/").content.decode()
    assert f'<link rel="canonical" href="https://claims.example.net/claims/{claim.slug}/">' in html
    assert f'<meta property="og:url" content="https://claims.example.net/claims/{claim.slug}/">' in html


def test_speaker_page_shows_aliases_roles_timeline_and_claims_with_stance(client, seed):
    speaker = Speaker.objects.matching("maiga").get()
    response = client.get(f"/speakers/{speaker.slug}/")
    assert response.status_code == 200
    page = text_of(response)
    assert speaker.name in page
    for alias in speaker.aliases.all():
        assert alias.name in page
    for role in speaker.roles.all():
        assert role.title in page
    for quote in Quote.objects.published().filter(speaker=speaker):
        assert quote.text[:30] in page
    for claim in Claim.objects.by_speaker(speaker):
        assert claim.text in page


def test_pages_say_that_a_questioning_quote_questions_its_claim_not_that_it_asserts_it(client, seed):
    # "Is Mali about to fall?" raises the claim without stating it (the seed's WSWS article).
    questioning = Attribution.objects.get(claim__slug="mali-about-to-fall", stance=Attribution.Stance.QUESTIONS)
    claim, quote = questioning.claim, questioning.quote

    source_page = client.get(quote.source.get_absolute_url()).content.decode()
    note = re.search(rf'<li id="note-{quote.pk}">.*?</ul>', source_page, flags=re.S).group()
    assert f'Questions: <a href="{claim.get_absolute_url()}">' in note
    assert "Asserts:" not in note

    speaker_page = client.get(quote.speaker.get_absolute_url()).content.decode()
    assert f"{claim.text}</a> — <strong>questions</strong>;" in speaker_page

    claim_page = client.get(claim.get_absolute_url()).content.decode()
    assert '<strong class="stance-questions">questions the claim</strong>' in claim_page

    card = text_of(client.get("/search/", {"q": claim.text, "kind": "claims"}))
    assert f"{quote.speaker.name} (questions)" in card


def test_pages_read_no_variable_their_context_lacks(client, seed, settings):
    # Each such read costs Django an exception and a log call; and a typo'd name would print nothing.
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"]}}]
    settings.TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = "MISSING[%s]"
    speaker = Speaker.objects.filter(status=Status.APPROVED).first()
    pages = [Claim.objects.first().get_absolute_url(), speaker.get_absolute_url(), f"/sources/{PD}/"]
    for path in ["/", *pages, "/search/?q=mali", "/topics/", "/verdicts/", "/about/"]:
        content = client.get(path).content.decode()
        assert re.findall(r"MISSING\[[^]]*\]", content) == [], path


def test_dates_are_written_to_their_precision_never_with_an_invented_day(client, seed):
    page = text_of(client.get(f"/sources/{PD}/"))
    assert "November 2025" in page
    assert not re.search(r"\b1 November 2025\b", page)
    assert "5 November 2019" in text_of(client.get(f"/sources/{WSWS}/"))


def test_source_page_highlights_every_published_quote_in_the_archived_text(client, seed):
    source = Source.objects.get(slug=WSWS)
    response = client.get(f"/sources/{source.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert source.sha256 in html
    anchored = Quote.objects.published().filter(source=source, start__isnull=False)
    assert anchored.exists()
    for quote in anchored:
        assert f'id="quote-{quote.pk}"' in html
    for claim in Claim.objects.filter(attributions__quote__in=anchored).distinct():
        assert f'href="/claims/{claim.slug}/"' in html


def test_referenced_only_source_lists_the_quotes_that_cite_it(client, seed):
    origin = Source.objects.filter(text="", originated_quotes__isnull=False).first()
    page = text_of(client.get(f"/sources/{origin.slug}/"))
    assert "referenced only" in page
    for quote in Quote.objects.published().filter(origin=origin):
        assert quote.text[:30] in page


def test_drafts_never_show_on_any_page(client, seed):
    source = Source.objects.get(slug=WSWS)
    claim = Claim.objects.get(slug="indelimane-death-toll-49")
    hidden_speaker = factories.speaker(name="Zzhidden Draftspeaker", status=Status.DRAFT)
    visible_speaker = Speaker.objects.approved().first()
    anchored = set(Quote.objects.filter(source=source).values_list("start", flat=True))
    # Two draft quotes in the seed article: one by a draft speaker, one draft quote by an approved speaker.
    sentences = [m for m in re.finditer(r"[A-Z][^.\n]{30,120}\.", source.text) if m.start() not in anchored]
    by_draft_speaker = factories.quote(source=source, speaker=hidden_speaker, text=sentences[0].group(0))
    draft_quote = factories.quote(
        source=source, speaker=visible_speaker, text=sentences[-1].group(0), status=Status.DRAFT
    )
    for quote in (by_draft_speaker, draft_quote):
        factories.attribution(claim=claim, quote=quote)
    pages = [
        "/",
        f"/claims/{claim.slug}/",
        f"/sources/{source.slug}/",
        f"/speakers/{visible_speaker.slug}/",
        "/search/?q=zzhidden",
        "/search/?q=" + sentences[-1].group(0).split()[1],
        "/sitemap-speakers.xml",
    ]
    for path in pages:
        html = client.get(path).content.decode()
        assert "Zzhidden" not in html, path
        assert f'quote-{by_draft_speaker.pk}"' not in html and f'quote-{draft_quote.pk}"' not in html, path
    assert client.get(f"/speakers/{hidden_speaker.slug}/").status_code == 404


def test_search_finds_claims_quotes_speakers_and_sources_ignoring_accents_and_case(client, seed):
    response = client.get("/search/?q=MAIGA")
    assert response.status_code == 200
    page = text_of(response)
    maiga = Speaker.objects.matching("maiga").get()
    assert maiga.name in page
    assert Claim.objects.matching("maiga").first().text in page
    assert Quote.objects.published().matching("maiga").first().text[:30] in page
    assert Source.objects.matching("maiga").exists()
    assert Source.objects.matching("maiga").first().title in page


def test_search_pages_one_kind_without_counting(client, db):
    for number in range(25):
        factories.claim(text=f"Fuel convoy number {number} was attacked")
    first = client.get("/search/?q=fuel&kind=claims")
    assert first.status_code == 200
    assert "Next page" in text_of(first)
    second = client.get("/search/?q=fuel&kind=claims&page=2")
    assert "Previous page" in text_of(second) and "Next page" not in text_of(second)
    assert client.get("/search/?q=fuel&kind=claims&page=9").status_code == 404
    assert client.get("/search/?q=fuel&kind=claims&page=abc").status_code == 404


def test_search_refuses_bad_input_with_a_400_naming_it(client, db):
    response = client.get("/search/?q=x&kind=everything")
    assert response.status_code == 400 and "“kind” must be one of" in text_of(response)
    response = client.get("/search/?q=" + "a" * 201)
    assert response.status_code == 400 and "limit is 200" in text_of(response)


def test_topic_and_verdict_listings(client, seed, reviewer):
    claim = Claim.objects.filter(topics__isnull=False).first()
    topic = claim.topics.first()
    assert claim.text in text_of(client.get(f"/topics/{topic.slug}/"))
    assert topic.name in text_of(client.get("/topics/"))
    publish(claim, reviewer, rating="false")
    assert claim.text in text_of(client.get("/verdicts/"))
    assert claim.text in text_of(client.get("/verdicts/false/"))
    assert claim.text not in text_of(client.get("/verdicts/true/"))
    assert client.get("/verdicts/pants-on-fire/").status_code == 404


def test_atom_feed_lists_new_verdicts_with_links_to_their_claim_pages(client, seed, reviewer):
    from xml.etree import ElementTree

    claim = Claim.objects.get(slug="indelimane-death-toll-49")
    review = publish(claim, reviewer)
    response = client.get("/verdicts/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == Review.objects.published().count()
    ours = f"http://127.0.0.1:8000/claims/{claim.slug}/#review-{review.pk}"
    entry = next(entry for entry in entries if entry.find(f"{atom}link").get("href") == ours)
    assert entries[0] is entry  # the newest first
    assert entry.find(f"{atom}title").text == f"Mostly false: {claim.text}"
    assert entry.find(f"{atom}updated") is not None and entry.find(f"{atom}id") is not None


def test_sitemap_lists_every_claim_approved_speaker_and_source(client, seed):
    from xml.etree import ElementTree

    factories.speaker(slug="draft-person", status=Status.DRAFT)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ElementTree.fromstring(client.get("/sitemap.xml").content)
    listed = set()
    for location in index.findall("s:sitemap/s:loc", ns):
        path = re.sub(r"^https?://[^/]+", "", location.text)
        section = ElementTree.fromstring(client.get(path).content)
        listed |= {loc.text for loc in section.findall("s:url/s:loc", ns)}
    base = "http://127.0.0.1:8000"
    assert {f"{base}/claims/{slug}/" for slug in Claim.objects.values_list("slug", flat=True)} <= listed
    assert {f"{base}/speakers/{slug}/" for slug in Speaker.objects.approved().values_list("slug", flat=True)} <= listed
    assert {f"{base}/sources/{slug}/" for slug in Source.objects.values_list("slug", flat=True)} <= listed
    assert f"{base}/speakers/draft-person/" not in listed
    assert f"{base}/" in listed


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_admin_and_search(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body and "Disallow: /search/" in body
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in body


def test_pages_carry_canonical_and_open_graph_tags(client, seed):
    html = client.get(f"/sources/{WSWS}/").content.decode()
    assert f'<link rel="canonical" href="http://127.0.0.1:8000/sources/{WSWS}/">' in html
    for prop in ("og:title", "og:description", "og:url", "og:type", "og:site_name"):
        assert f'property="{prop}"' in html


def test_error_pages_are_the_sites_own_and_the_api_keeps_json(client, db):
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response) and "No claim at this address." in text_of(response)
    assert 'href="/search/"' in response.content.decode()
    api = client.get("/api/claims/999999/")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")
    assert client.get("/api/no-such-thing/")["Content-Type"].startswith("application/json")


def test_error_templates_render_without_a_request(db):
    from django.template.loader import render_to_string

    for status in (400, 403, 404, 500):
        html = render_to_string(f"{status}.html")
        assert "<h1>" in html and "Sahel Claims" in html


def test_site_server_error_is_the_sites_page_not_a_traceback(client, db, monkeypatch):
    from claims.site import pages

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(pages, "home", broken)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in text_of(response) and "boom" not in text_of(response)


def test_models_link_to_their_public_pages(db):
    quote = factories.quote()
    claim = factories.claim(slug="a-claim")
    assert claim.get_absolute_url() == "/claims/a-claim/"
    assert quote.speaker.get_absolute_url() == f"/speakers/{quote.speaker.slug}/"
    assert quote.source.get_absolute_url() == f"/sources/{quote.source.slug}/"
    assert quote.get_absolute_url() == f"/sources/{quote.source.slug}/#quote-{quote.pk}"


def test_admin_view_on_site_and_view_site_lead_to_the_public_pages(client, superuser):
    claim = factories.claim(slug="seen-on-site")
    client.force_login(superuser)
    html = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "View on site" in html
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Claim)
    redirect = client.get(f"/admin/r/{content_type.pk}/{claim.pk}/")
    assert redirect.status_code == 302 and redirect["Location"].endswith("/claims/seen-on-site/")
    assert 'href="/"' in client.get("/admin/").content.decode()  # "View site"


def test_superseded_verdict_stays_on_the_page_after_reopening(client, db, reviewer):
    from claims.reviews import review_reopen

    claim = factories.claim()
    factories.attribution(claim=claim)
    first = publish(claim, reviewer, rating="false", rationale="First reading.")
    review_reopen(claim=claim, actor=reviewer, note="New evidence")
    page = text_of(client.get(f"/claims/{claim.slug}/"))
    assert "Not yet reviewed" in page and "A reviewer is working on it." in page
    assert "First reading." in page and "superseded when the claim was reopened" in page
    assert "Review reopened" in page
    assert f'id="review-{first.pk}"' in client.get(f"/claims/{claim.slug}/").content.decode()


def test_month_precision_dates_on_quotes_are_not_given_a_day(client, db):
    source = factories.source(published_on=datetime.date(2025, 11, 1), published_precision="month")
    quote = factories.quote(source=source, said_on=datetime.date(2021, 1, 1), said_precision="year")
    claim = factories.claim()
    factories.attribution(claim=claim, quote=quote)
    page = text_of(client.get(f"/claims/{claim.slug}/"))
    assert "November 2025" in page and "1 November 2025" not in page
    assert "2021" in page and "1 January 2021" not in page


def carried_claims_listed(response):
    """(claim path, text, stance, verdict badge's class, its words) of each claim the speaker page lists."""
    listed = re.search(r'<ul class="carried-claims">(.*?)</ul>', response.content.decode(), flags=re.S).group(1)
    item = (
        r'<li><a href="([^"]+)">([^<]+)</a> — (?:<strong>)?(\w+)(?:</strong>)?; '
        r'<span class="verdict-badge ([^"]+)">([^<]+)'
    )
    return re.findall(item, listed)


def test_speaker_page_lists_each_claim_once_per_stance_newest_first_with_its_verdict(client, db, reviewer):
    speaker = factories.speaker()
    said = [factories.quote(speaker=speaker) for _ in range(3)]
    older, newer, newest, unseen = (factories.claim() for _ in range(4))
    for day, claim in enumerate((older, newer, newest), start=1):
        Claim.objects.filter(pk=claim.pk).update(created_at=datetime.datetime(2025, 3, day, tzinfo=datetime.UTC))
    factories.attribution(claim=older, quote=said[0])
    factories.attribution(claim=older, quote=said[1])  # the same stance twice: listed once
    factories.attribution(claim=newer, quote=said[0])
    factories.attribution(claim=newer, quote=said[2], stance="denies")  # both stances: listed twice
    factories.attribution(claim=newest, quote=said[1])
    factories.attribution(claim=unseen, quote=factories.quote(speaker=speaker, status=Status.DRAFT))
    publish(newest, reviewer, rating="false")
    publish(newer, reviewer, rating="mostly_false")
    # A publisher's older verdict, imported: the newest published one is shown.
    published_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    factories.review(claim=newest, rating="true", status=Review.Status.PUBLISHED, published_at=published_at)
    assert carried_claims_listed(client.get(f"/speakers/{speaker.slug}/")) == [
        (f"/claims/{newest.slug}/", newest.text, "asserts", "verdict-false", "False"),
        (f"/claims/{newer.slug}/", newer.text, "asserts", "verdict-mostly_false", "Mostly false"),
        (f"/claims/{newer.slug}/", newer.text, "denies", "verdict-mostly_false", "Mostly false"),
        (f"/claims/{older.slug}/", older.text, "asserts", "verdict-none", "Not yet reviewed"),
    ]


def test_speaker_page_lists_each_alias_and_role_once_in_order(client, db):
    speaker = factories.speaker()
    for name in ("Zed", "Ämi", "Abe"):
        factories.alias(speaker=speaker, name=name)
    factories.role(speaker=speaker, title="Minister", start_date=datetime.date(2021, 6, 1), start_precision="month")
    factories.role(speaker=speaker, title="Spokesman", organisation="Government")  # no known start: first
    factories.role(speaker=speaker, title="Deputy", start_date=datetime.date(2015, 1, 1), start_precision="year")
    page = client.get(f"/speakers/{speaker.slug}/").content.decode()
    aliases = re.findall(r'<li lang="und">([^<]+)</li>', page)
    listed_roles = re.search(r'<ul class="roles">(.*?)</ul>', page, flags=re.S).group(1)
    roles = re.findall(r"<li>([^<(]+?)(?: <span|</li>)", listed_roles)
    assert len(aliases) == 3 and aliases == [alias.name for alias in speaker.aliases.order_by("name")]
    assert roles == ["Spokesman, Government", "Deputy", "Minister"]


def test_speaker_timeline_says_which_quotes_are_paraphrased_or_translated(client, db):
    # The timeline quotes each text in quotation marks: the line under it says when those are not the
    # speaker's own words, as the claim page does under each piece of evidence.
    speaker = factories.speaker()
    article = factories.source(text="He said: Kidal is ours. The minister said the army held Kidal.")
    for text, kind, translated in (("Kidal is ours.", "direct", False), ("the army held Kidal", "paraphrase", True)):
        factories.quote(speaker=speaker, source=article, text=text, kind=kind, is_translation=translated)
    page = text_of(client.get(f"/speakers/{speaker.slug}/"))
    assert "“Kidal is ours.” Direct quotation. Printed in" in page
    assert "“the army held Kidal” Paraphrase (translated). Printed in" in page
