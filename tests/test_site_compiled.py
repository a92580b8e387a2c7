"""The claim, speaker and source pages read compiled statements (claims/site/pages.py) that return
what their querysets return, render the pages the querysets render, and compile nothing on a page
read again; a source's text is marked as it was with format_html()."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, OuterRef, Value
from django.db.models.sql.query import Query
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils.safestring import SafeString

from claims.api.serializers import role_on
from claims.api.statements import CompiledRows
from claims.claimreview_io import claim_review_for, published_reviews
from claims.models import Claim, Quote, Review, ReviewEvent, Role, Source, Speaker
from claims.reviews import review_assign, review_publish, review_reopen
from claims.site import pages
from claims.site.templatetags.site_tags import annotated_text, fixed_url
from tests import factories

pytestmark = pytest.mark.django_db

READER = pages.READER


@pytest.fixture(params=["seed", "corpus"])
def record(request, working_groups):
    factories.record_with_drafts(request.param)
    # A published verdict citing a source and a quote, by a reviewer with a full name.
    reviewer = factories.user(groups=["reviewers"], first_name="Awa", last_name="Traoré")
    claim = Claim.objects.exclude(reviews__isnull=False).order_by("pk").first()
    review_assign(claim=claim, actor=reviewer)
    review_publish(
        claim=claim,
        actor=reviewer,
        rating="false",
        rationale="Checked.",
        evidence_sources=[Source.objects.order_by("pk").first()],
        evidence_quotes=[Quote.objects.order_by("pk").last()],
    )
    return request.param


def built(statement, **keys):
    """The rows of the statement's queryset, built and run by the ORM."""
    return list(statement.build(READER, **keys))


def assert_same_rows(statement, **keys):
    rows = statement(READER, **keys)
    assert rows == built(statement, **keys)
    return len(rows)


def test_claim_page_statements_return_what_their_querysets_return(record):
    claims = list(Claim.objects.order_by("pk").values_list("pk", "slug"))
    read = 0
    for claim_id, slug in claims:
        read += assert_same_rows(pages._claim, slug=slug)
        read += assert_same_rows(pages._relations, claim_id=claim_id)
    ids = [claim_id for claim_id, _ in claims]
    for length in (1, 2, len(ids)):
        for statement in (pages.evidence_rows, pages._graph_relations, pages._graph_claims):
            read += assert_same_rows(statement, claim_ids=ids[:length])
    review_ids = sorted(Review.objects.values_list("pk", flat=True))
    for length in (1, len(review_ids)):
        read += assert_same_rows(pages._cited_sources, review_ids=review_ids[:length])
        read += assert_same_rows(pages._cited_quotes, review_ids=review_ids[:length])
    assert read > len(claims)  # the statements read rows, not only empty lists
    assert pages._claim(READER, slug="no-such-claim") == []


def test_evidence_names_the_role_held_on_the_day_as_role_on_picks_it(db):
    """The evidence statement reads the speaker's role on the day (pages.role_held()), where a
    statement of its own read every role and role_on() chose: the same role, written as str(role)."""
    speaker = factories.speaker()
    roles = [
        factories.role(speaker=speaker, title="Undated"),
        factories.role(
            speaker=speaker,
            title="Minister",
            organisation="Defence",
            start_date=date(2020, 1, 1),
            end_date=date(2020, 12, 31),
        ),
        factories.role(speaker=speaker, title="Spokesperson", start_date=date(2020, 6, 1)),
        factories.role(speaker=speaker, title="Adviser", organisation="Presidency", end_date=date(2019, 12, 31)),
        factories.role(speaker=speaker, title="Also undated", organisation="Army"),
        factories.role(speaker=speaker, title="Same start", start_date=date(2020, 6, 1)),
        factories.role(speaker=factories.speaker(), title="Someone else's", start_date=date(2000, 1, 1)),
    ]
    claim = factories.claim()
    days = [None, date(2019, 6, 1), date(2019, 12, 31), date(2020, 3, 1), date(2020, 6, 1), date(2021, 1, 1)]
    for said_on in days:
        factories.attribution(
            claim=claim,
            quote=factories.quote(
                speaker=speaker,
                said_on=said_on,
                said_precision="day" if said_on else "",
                source=factories.source(published_on=None),
            ),
        )
    # Undated words take the source's date.
    factories.attribution(
        claim=claim, quote=factories.quote(speaker=speaker, source=factories.source(published_on=date(2020, 7, 1)))
    )
    rows = pages.evidence_rows(READER, claim_ids=[claim.pk])
    assert len(rows) == len(days) + 1
    held = set()
    for row in rows:
        day = row["quote__said_on"] or row["quote__source__published_on"]
        role = role_on(roles[:-1], day)
        assert row["speaker_role"] == (str(role) if role else None), day
        held.add(row["speaker_role"])
    # Ties: the later key among undated starts (not "Adviser") and among equal starts (not "Spokesperson").
    assert held == {None, "Also undated, Army", "Minister, Defence", "Same start"}
    assert rows == built(pages.evidence_rows, claim_ids=[claim.pk])


def test_claim_page_reads_its_topics_and_history_with_the_claim_each_once_in_order(client, working_groups):
    """One statement reads the claim, its topics and its history (pages._claim), a row per topic and
    event: the page lists each topic once, by name, and each event once, in order, as the topics'
    and the events' own queries listed them; the page reads no more for more of either."""
    reviewer = factories.user(groups=["reviewers"])
    claim = factories.claim()
    claim.topics.add(*(factories.topic(name=name) for name in ("Mopti", "Bamako", "Gao")))
    review_assign(claim=claim, actor=reviewer)
    review_publish(claim=claim, actor=reviewer, rating="false", rationale="Checked.")
    review_reopen(claim=claim, actor=reviewer)
    review_publish(claim=claim, actor=reviewer, rating="mixed", rationale="Checked again.")
    quiet = factories.claim()  # no topic, no history
    page = pages.claim_page(claim.slug)
    assert [topic["name"] for topic in page["topics"]] == ["Bamako", "Gao", "Mopti"]
    events = ReviewEvent.objects.filter(claim=claim, action__in=list(pages.HISTORY_ACTIONS)).order_by("at", "pk")
    assert [(event["label"], event["at"]) for event in page["history"]] == [
        (pages.HISTORY_ACTIONS[event.action], event.at) for event in events
    ]
    assert [event["label"] for event in page["history"]] == [
        "Review started",
        "Verdict published",
        "Review reopened",
        "Verdict published",
    ]
    assert page["last_modified"] >= events.last().at
    empty = pages.claim_page(quiet.slug)
    assert empty["topics"] == [] and empty["history"] == []
    with CaptureQueriesContext(connection) as many:
        pages.claim_page(claim.slug)
    with CaptureQueriesContext(connection) as none:
        pages.claim_page(quiet.slug)
    # claim (with its topics, history and reviews), evidence, the reviews' cited sources and quotes; no
    # relations to read: none touches either claim
    assert len(none) == 2 and len(many) == 4


@pytest.mark.parametrize(("kind", "end"), [(kind, end) for kind in ("disputes", "supports") for end in ("from", "to")])
def test_claim_page_reads_relations_only_for_a_claim_some_relation_touches(working_groups, kind, end):
    """The claim's statement says whether any relation touches it (pages._claim's `related`): a claim
    on either end of a relation of either kind lists it and runs _relations, one that no relation
    touches runs no statement to find none."""
    claim, other = factories.claim(), factories.claim()
    factories.relation(
        kind=kind,
        **({"from_claim": claim, "to_claim": other} if end == "from" else {"from_claim": other, "to_claim": claim}),
    )
    with CaptureQueriesContext(connection) as related:
        page = pages.claim_page(claim.slug)
    ((listed,),) = [side for side in page["sides"].values() if side]
    assert listed["claim"]["id"] == other.pk and page["graph_svg"]
    lone = factories.claim()
    with CaptureQueriesContext(connection) as alone:
        page = pages.claim_page(lone.slug)
    assert not page["has_sides"] and not page["graph_svg"]
    # claim, relations, the graph's second step and its claims, evidence; claim and evidence alone
    assert (len(related), len(alone)) == (5, 2)


def test_claim_page_reads_the_reviews_a_reader_sees_with_the_claim_each_once_newest_first(client, working_groups):
    """The claim's statement (pages._claim) reads its reviews too, a row per topic, event and review:
    the page shows each review Review.objects.visible_to(READER) gives once, in latest_first()'s
    order (undated last), and no draft; no statement of their own."""
    reviewer = factories.user(groups=["reviewers"])
    claim = factories.claim()
    claim.topics.add(*(factories.topic(name=name) for name in ("Mopti", "Bamako")))
    review_assign(claim=claim, actor=reviewer)
    review_publish(claim=claim, actor=reviewer, rating="false", rationale="First.")
    review_reopen(claim=claim, actor=reviewer)
    review_publish(claim=claim, actor=reviewer, rating="mixed", rationale="Second.")
    review_reopen(claim=claim, actor=reviewer)
    for published_at in (None, datetime(2001, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC)):
        imported = {} if published_at else {"publisher_name": "Imported", "url": "https://x.example/1"}  # undated
        factories.review(claim=claim, status=Review.Status.SUPERSEDED, published_at=published_at, **imported)
    factories.review(claim=claim, status=Review.Status.DRAFT, rationale="Draft.")
    visible = list(Review.objects.visible_to(READER).filter(claim=claim).latest_first())
    assert Review.objects.filter(claim=claim, status=Review.Status.DRAFT).exists()
    assert len(visible) == 5 and all(review.status != Review.Status.DRAFT for review in visible)
    page = pages.claim_page(claim.slug)
    assert [review["id"] for review in [page["verdict"], *page["earlier_reviews"]] if review] == [
        review.pk for review in visible
    ]
    assert page["verdict"] is None  # reopened: none standing
    assert len(page["topics"]) == 2 and len(page["history"]) == 5
    with CaptureQueriesContext(connection) as captured:
        pages.claim_page(claim.slug)
    assert len(captured) == 4  # claim (topics, history, reviews), evidence, cited sources, cited quotes


def test_claim_page_names_each_speakers_role_on_the_day_as_written(client, db):
    """The role beside a speaker's name is the role's own text (str(Role)), not a repr of the row
    read for it (`namespace(pk=…, title=…)`, which the page wrote before role_held())."""
    speaker = factories.speaker(name="Awa Traoré")
    factories.role(speaker=speaker, title="Minister", organisation="Defence", start_date=date(2020, 1, 1))
    factories.role(speaker=factories.speaker(), title="Someone else's")
    claim = factories.claim()
    factories.attribution(
        claim=claim, quote=factories.quote(speaker=speaker, said_on=date(2021, 5, 1), said_precision="day")
    )
    body = client.get(f"/claims/{claim.slug}/").content.decode()
    assert "Awa Traoré</a>, Minister, Defence\n" in body
    assert "namespace(" not in body


def test_related_claims_verdicts_are_read_with_the_dispute_graphs_claims(client, working_groups):
    """The claims a page lists beside its claim are the dispute graph's first step: their verdicts
    come with the graph's claims (pages._graph_claims), not from a statement of their own, and are
    the standing verdicts with_verdict() names."""
    reviewer = factories.user(groups=["reviewers"])
    claim, disputing, further = factories.claim(), factories.claim(), factories.claim()
    factories.relation(from_claim=disputing, to_claim=claim)
    factories.relation(from_claim=further, to_claim=disputing, kind="supports")
    for other, rating in ((disputing, "mostly_false"), (further, "true")):
        review_assign(claim=other, actor=reviewer)
        review_publish(claim=other, actor=reviewer, rating=rating, rationale="Checked.")
    with CaptureQueriesContext(connection) as captured:
        page = pages.claim_page(claim.slug)
    ((related,),) = [side for side in page["sides"].values() if side]
    expected = Claim.objects.filter(pk=disputing.pk).with_verdict().get()
    assert related["claim"]["verdict"] == pages.verdict(expected.verdict_rating, expected.verdict_label)
    assert related["claim"]["verdict"]["rating"] == "mostly_false"
    assert 'data-claim="' in page["graph_svg"] and str(further.pk) in page["graph_svg"]
    # claim (with its reviews), relations, the graph's second step and its claims (with verdicts), evidence
    assert len(captured) == 5


def speaker_rows_by_querysets(speaker, number):
    """What pages.speaker_rows() reads in one statement, read by the querysets of each part."""
    timeline = pages.page_of(pages.timeline_rows(speaker.pk), number)  # Http404 past the last page
    return (
        list(speaker.aliases.order_by("name").values_list("name", flat=True)),
        list(speaker.roles.order_by(F("start_date").asc(nulls_first=True), "pk")),
        (list(timeline[0]), timeline[1]),
        list(pages.carried_rows(speaker.pk)[: pages.SPEAKER_CLAIMS_SHOWN + 1]),
    )


def test_speaker_page_statement_returns_what_its_querysets_return(record):
    """The speaker page's one statement (its aliases, roles, timeline page and claims carried as JSON
    columns) gives the rows, values and order the querysets of each part give, dates and moments as
    the ORM loads them, on both pages of every speaker readers see."""
    read = 0
    for speaker in Speaker.objects.order_by("pk"):
        for number in (1, 2):
            if speaker.status != "approved":
                with pytest.raises(Http404):
                    pages.speaker_rows(speaker.slug, number)
                continue
            statement, _ = pages.speaker_statement(number)
            assert_same_rows(statement, slug=speaker.slug)  # compiled, then run: the ORM's own SQL
            try:
                expected = speaker_rows_by_querysets(speaker, number)
            except Http404:
                with pytest.raises(Http404):
                    pages.speaker_rows(speaker.slug, number)
                continue
            found, *parts = pages.speaker_rows(speaker.slug, number)
            assert found == speaker and found.updated_at == speaker.updated_at
            assert parts == list(expected)
            for role, loaded in zip(parts[1], expected[1], strict=True):
                assert [getattr(role, field.attname) for field in Role._meta.concrete_fields] == [
                    getattr(loaded, field.attname) for field in Role._meta.concrete_fields
                ]
            read += len(parts[2][0]) + len(parts[3])
    assert read > Speaker.objects.count()


def test_nested_rows_come_back_typed_and_in_their_querysets_order(working_groups):
    """JSON holds dates, moments and booleans as text and numbers: decoded, they are the date, the
    aware datetime and the bool the ORM loads, NULLs stay None, and the timeline keeps its order
    (by day, undated quotes by their source's date, unknown days last) across the aggregate."""
    speaker = factories.speaker()
    days = [date(2021, 5, 3), None, date(2019, 1, 2), None, date(2020, 7, 1)]
    for day in days:  # an undated quote takes its source's date
        source = factories.source(published_on=None if day else date(2020, 1, 1))
        precision = "day" if day else ""
        factories.quote(speaker=speaker, said_on=day, said_precision=precision, is_translation=not day, source=source)
    factories.quote(speaker=speaker, said_on=None, source=factories.source(published_on=None))  # no day: last
    factories.role(speaker=speaker, title="Undated")
    factories.role(speaker=speaker, title="Dated", start_date=date(2020, 1, 1), end_date=date(2021, 1, 1))
    factories.alias(speaker=speaker, name="Zeta")
    factories.alias(speaker=speaker, name="Alpha")
    _, aliases, roles, (rows, has_next), carried = pages.speaker_rows(speaker.slug, 1)
    expected = list(pages.timeline_rows(speaker.pk))
    assert rows == expected and not has_next and carried == []
    assert [row["day"] for row in rows] == [*sorted(day or date(2020, 1, 1) for day in days), None]
    assert {type(row["updated_at"]) for row in rows} == {datetime}
    assert all(row["updated_at"].utcoffset() == timedelta(0) for row in rows)
    assert {row["is_translation"] for row in rows} == {True, False}
    assert all(type(row["is_translation"]) is bool and type(row["said_on"]) in (date, type(None)) for row in rows)
    assert aliases == ["Alpha", "Zeta"]
    assert [(role.title, role.start_date, role.end_date) for role in roles] == [
        ("Undated", None, None),
        ("Dated", date(2020, 1, 1), date(2021, 1, 1)),
    ]


def test_source_page_statements_return_what_their_querysets_return(record):
    read = 0
    for source_id, slug in Source.objects.order_by("pk").values_list("pk", "slug"):
        read += assert_same_rows(pages._source, slug=slug)
        read += assert_same_rows(pages._printed, source_id=source_id)
        read += assert_same_rows(pages._originated, source_id=source_id)
    quote_ids = sorted(Quote.objects.values_list("pk", flat=True))
    for length in (1, 5, len(quote_ids)):
        read += assert_same_rows(pages._quoted_claims, quote_ids=quote_ids[:length])
    assert read > Source.objects.count()


def page_paths():
    return [
        *(f"/claims/{slug}/" for slug in Claim.objects.order_by("pk").values_list("slug", flat=True)),
        *(f"/speakers/{slug}/" for slug in Speaker.objects.order_by("pk").values_list("slug", flat=True)),
        *(f"/speakers/{slug}/?page=2" for slug in Speaker.objects.order_by("pk").values_list("slug", flat=True)),
        *(f"/sources/{slug}/" for slug in Source.objects.order_by("pk").values_list("slug", flat=True)),
    ]


def rendered(client, paths):
    pages_read = {}
    for path in paths:
        response = client.get(path)
        pages_read[path] = (response.status_code, response.get("Last-Modified"), response.content.decode())
    return pages_read


def test_pages_from_compiled_statements_are_the_pages_their_querysets_render(record, client, settings, monkeypatch):
    settings.API_READ_CACHE_SECONDS = 0  # every page built afresh, not replayed
    paths = page_paths()
    compiled = rendered(client, paths)
    monkeypatch.setattr(CompiledRows, "__call__", lambda statement, viewer, **keys: built(statement, **keys))
    assert rendered(client, paths) == compiled
    assert sum(status == 200 for status, *_ in compiled.values()) > len(paths) / 2


def count_compilations(monkeypatch):
    compilations = []
    get_compiler = Query.get_compiler

    def counted(query, *args, **kwargs):
        compilations.append(query.model)
        return get_compiler(query, *args, **kwargs)

    monkeypatch.setattr(Query, "get_compiler", counted)
    return compilations


def assert_served_again_without_compiling(client, monkeypatch, first, again):
    """After `first` has been served, each of `again` (the same pages for other records or terms) is
    served from the statements compiled then: no SQL is compiled."""
    for path in first:
        assert client.get(path).status_code == 200
    compilations = count_compilations(monkeypatch)
    for path in again:
        assert client.get(path).status_code == 200
        assert compilations == [], path


def test_a_page_read_again_compiles_no_sql_only_runs_it(client, settings, monkeypatch, working_groups):
    settings.API_READ_CACHE_SECONDS = 0
    claim, other = factories.claim(), factories.claim()
    factories.attribution(claim=claim)
    factories.relation(from_claim=other, to_claim=claim)
    factories.review(claim=claim, rationale="A draft: no ClaimReview to read.")
    speakers = [factories.speaker() for _ in range(2)]
    sources = [factories.source(text="One sentence here. Another one there.") for _ in range(2)]
    for speaker, source in zip(speakers, sources, strict=True):
        factories.role(speaker=speaker)
        factories.alias(speaker=speaker)
        factories.attribution(quote=factories.quote(speaker=speaker, source=source, text="One sentence here."))
    first = [f"/claims/{claim.slug}/", f"/speakers/{speakers[0].slug}/", f"/sources/{sources[0].slug}/"]
    again = [f"/claims/{claim.slug}/", f"/speakers/{speakers[1].slug}/", f"/sources/{sources[1].slug}/"]
    assert_served_again_without_compiling(client, monkeypatch, first, again)


@pytest.mark.parametrize(
    ("names", "shown"), [({"first_name": "Awa", "last_name": "Traoré"}, "Awa Traoré"), ({}, "reviewer-login")]
)
def test_a_published_verdict_shows_its_reviewer_and_claimreview(client, settings, working_groups, names, shown):
    settings.API_READ_CACHE_SECONDS = 0
    reviewer = factories.user(groups=["reviewers"], username="reviewer-login", **names)
    claim = factories.claim()
    factories.attribution(claim=claim)
    assert "application/ld+json" not in client.get(f"/claims/{claim.slug}/").content.decode()
    review_assign(claim=claim, actor=reviewer)
    review_publish(claim=claim, actor=reviewer, rating="false", rationale="Checked.")
    page = client.get(f"/claims/{claim.slug}/").content.decode()
    assert "application/ld+json" in page
    assert f"Reviewed by {shown}" in page


def test_deep_timeline_pages_are_read_without_being_kept(monkeypatch, working_groups):
    monkeypatch.setattr(pages, "TIMELINE_PAGES_KEPT", 1)
    monkeypatch.setattr(pages, "_speaker_pages", {})
    speaker = factories.speaker()
    for _ in range(pages.PAGE_SIZE + 3):
        factories.quote(speaker=speaker)
    _, _, _, (rows, has_next), _ = pages.speaker_rows(speaker.slug, 2)
    assert ([row["id"] for row in rows], has_next) == (
        [row["id"] for row in pages.timeline_rows(speaker.pk)[pages.PAGE_SIZE :]],
        False,
    )
    assert list(pages._speaker_pages) == []
    pages.speaker_rows(speaker.slug, 1)
    assert list(pages._speaker_pages) == [1]
    with pytest.raises(Http404):
        pages.speaker_rows(speaker.slug, 3)


@pytest.mark.parametrize("prefix", ["/", "/sahel/"])
def test_site_urls_are_what_reverse_gives_under_any_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        for name in ("site:claim", "site:speaker", "site:source"):
            for slug in ("a", "claim-2024_x", "_"):
                assert pages.site_url(name, slug) == reverse(name, args=[slug])
        for name in ("site:home", "site:search", "site:verdict-feed"):
            assert fixed_url(name) == reverse(name)
    finally:
        set_script_prefix("/")


def test_a_source_text_marks_overlapping_quotes_with_every_character_escaped():
    text = 'Tom & Jerry said "<no>" twice.'
    marked = annotated_text(text, [(0, 11, 7), (0, 5, 8), (6, 22, 9), (29, 30, 10)])
    assert marked == (
        '<span id="quote-7" class="quote-anchor"></span><span id="quote-8" class="quote-anchor"></span>'
        '<mark class="quote q-7 q-8" data-quotes="7 8">Tom &amp;</mark>'
        '<mark class="quote q-7" data-quotes="7"> </mark>'
        '<mark id="quote-9" class="quote q-7 q-9" data-quotes="7 9">Jerry</mark>'
        '<mark class="quote q-9" data-quotes="9"> said &quot;&lt;no&gt;</mark>&quot; twice'
        '<mark id="quote-10" class="quote q-10" data-quotes="10">.</mark>'
    )
    assert isinstance(marked, SafeString)


def test_the_claim_pages_claimreview_from_its_rows_is_what_claim_review_for_writes(record):
    """claim_reviews() writes the ClaimReview of every published review from the rows the page read
    (no query), as claim_review_for() writes it from published_reviews(): several published reviews
    oldest first and undated ones last, imported ones, cited sources, claimants and their appearances."""
    claim = Claim.objects.filter(reviews__status=Review.Status.PUBLISHED).order_by("pk").first()
    people = [factories.speaker(name="Awa", wikidata_id="Q42"), factories.speaker(name="Awa", kind="organisation")]
    for speaker, (published_on, precision) in zip(people, [(date(2019, 5, 1), "month"), (None, "day")], strict=True):
        source = factories.source(
            title="Same", url="https://same.example/", published_on=published_on, text="It is so. It is not."
        )
        source.published_precision = precision
        source.save()
        for stance, text in (("asserts", "It is so."), ("denies", "It is not.")):
            quote = factories.quote(speaker=speaker, source=source, text=text)
            factories.attribution(claim=claim, quote=quote, stance=stance)
    cited = [factories.source(title=title, published_on=date(2020, 1, 2)) for title in ("B", "A", "B")]
    for number, published_at in enumerate(
        [None, datetime(2018, 1, 1, tzinfo=UTC), None, datetime(2030, 1, 1, tzinfo=UTC)]
    ):
        imported = {} if published_at else {"publisher_name": "Imported", "url": f"https://x.example/{number}"}
        review = factories.review(claim=claim, status=Review.Status.PUBLISHED, published_at=published_at, **imported)
        review.evidence_sources.set(cited[: review.pk % 3 + 1])
    factories.review(
        claim=claim, status=Review.Status.PUBLISHED, publisher_name="Le Monde", publisher_url="https://lm.fr/"
    )
    factories.review(claim=claim, status=Review.Status.SUPERSEDED, published_at=datetime(2031, 1, 1, tzinfo=UTC))
    expected = [claim_review_for(review) for review in published_reviews(claim)]
    assert len(expected) >= 6 and any(item.get("citation") for item in expected)
    for slug in Claim.objects.filter(reviews__status=Review.Status.PUBLISHED).values_list("slug", flat=True):
        shown = Claim.objects.get(slug=slug)
        assert pages.claim_page(slug)["claimreview"] == [claim_review_for(r) for r in published_reviews(shown)], slug


def search_terms():
    """Terms for the search: words of the record's claims, quotes and sources, its speakers' names
    (one word, two, folded and not), two-word terms, and input with no word or odd characters."""
    terms = ["", "'", "%", "_ %", "zzzqq", "o'b", "a b", "Maïga", "maiga", "élections"]
    for speaker in Speaker.objects.order_by("pk")[:4]:
        terms += [speaker.name, speaker.name.split()[0], speaker.name.lower()]
    for text in [
        *Claim.objects.order_by("pk").values_list("text", flat=True)[:4],
        *Quote.objects.order_by("pk").values_list("text", flat=True)[:3],
        *Source.objects.order_by("pk").values_list("title", flat=True)[:3],
    ]:
        words = text.split()
        terms += [words[0], " ".join(words[1:3]), words[-1].strip(".")]
    return terms


def test_search_statements_find_what_the_search_querysets_find(record, monkeypatch):
    compiled = {}
    terms = search_terms()
    for term in terms:
        for kind in ("", *pages.SEARCH_KINDS):
            for number in (1, 2):
                try:
                    compiled[term, kind, number] = pages.search(term, kind, number)
                except Http404:
                    compiled[term, kind, number] = None

    def by_querysets(name, term, patterns, speakers, number, size):
        return pages.page_of(pages.SEARCHES[name](term, speakers), number, size)

    monkeypatch.setattr(pages, "_compiled_search_page", by_querysets)
    for (term, kind, number), sections in compiled.items():
        try:
            expected = pages.search(term, kind, number)
        except Http404:
            expected = None
        assert sections == expected, (term, kind, number)
    found = [section for sections in compiled.values() if sections for section in sections if section["results"]]
    assert len(found) > len(terms)  # the statements found rows, not only empty lists


def test_a_search_read_again_compiles_no_sql_only_runs_it(client, settings, monkeypatch):
    settings.API_READ_CACHE_SECONDS = 0
    speaker = factories.speaker(name="Iyad Ag Ghali")
    for text in ("The blockade of Kidal.", "The blockade holds."):
        quote = factories.quote(speaker=speaker, source=factories.source(text=text), text=text)
        factories.attribution(claim=factories.claim(text=text), quote=quote)
    # Terms of one word finding as many claims: the same statements (their keys listed alike).
    first = ["/search/?q=blockade", "/search/?q=iyad&kind=quotes", "/search/?q=kidal&kind=speakers"]
    again = ["/search/?q=the", "/search/?q=ghali&kind=quotes", "/search/?q=blockade&kind=speakers"]
    assert_served_again_without_compiling(client, monkeypatch, first, again)


def test_nested_rows_refuse_a_column_json_would_not_give_back_as_the_orm_does():
    floats = pages.NestedRows(Quote, lambda key: Quote.objects.filter(speaker_id=key).values(x=Value(1.5)))
    with pytest.raises(ImproperlyConfigured, match="FloatField"):
        floats.column(OuterRef("pk"))
