"""The site's cheaper template tags write what the old ones wrote: time_tag and quote_in_context as
format_html() wrote them, fixed_url and the claim page's topic links as {% url %} wrote them, under
any script prefix (one that needs escaping included); verdict_badge as its old snippet did."""

import functools
import html
import itertools
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from django.template import Context, Engine, engines
from django.test import Client
from django.urls import reverse, set_script_prefix
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from claims.models import Quote, Rating, Review, Role, Speaker
from claims.site import formatting, pages
from claims.site.templatetags.site_tags import quote_in_context, time_tag, verdict_badge
from tests import factories

PREFIXES = ["/", "/sahel/", "/a&b<c>/"]


def page_under_prefix(path, prefix):
    """The page at `path` served under the script prefix `prefix` (the test client leaves the prefix
    as it finds it)."""
    set_script_prefix(prefix)
    try:
        response = Client().get(path)
    finally:
        set_script_prefix("/")
    assert response.status_code == 200
    return response


def render(source, **context):
    return engines["django"].from_string(source).render(context)


def old_time_tag(value, precision="day"):
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        formatting.iso_date(value, precision or "day"),
        formatting.partial_date(value, precision or "day"),
    )


def old_quote_in_context(passage):
    if passage is None:
        return ""
    prefix, suffix = formatting.trim_passage(passage.prefix, passage.suffix, passage.at_start, passage.at_end)
    return format_html('{}<mark class="quote">{}</mark>{}', prefix, passage.exact, suffix)


@pytest.mark.parametrize("value", [None, date(2019, 11, 5), date(7, 1, 9), datetime(2025, 3, 31, 23, 59)])
@pytest.mark.parametrize("precision", ["day", "month", "year", "", None])
def test_time_tag_writes_what_format_html_wrote(value, precision):
    assert time_tag(value, precision) == old_time_tag(value, precision)
    assert render("{% load site_tags %}{% time_tag v p %}", v=value, p=precision) == old_time_tag(value, precision)


@pytest.mark.parametrize("at_start", [True, False])
@pytest.mark.parametrize("at_end", [True, False])
@pytest.mark.parametrize(
    ("prefix", "exact", "suffix"),
    [
        ("He said <b>", 'Tom & "Jerry"', "' left. Then"),
        ("nospace", "x", "nospace"),
        ("", "", ""),
        ("a &amp; b", "<script>", "c > d"),
    ],
)
def test_quote_in_context_writes_what_format_html_wrote(prefix, exact, suffix, at_start, at_end):
    passage = pages.Passage(prefix=prefix, exact=exact, suffix=suffix, at_start=at_start, at_end=at_end)
    assert quote_in_context(passage) == old_quote_in_context(passage)
    assert render("{% load site_tags %}{% quote_in_context p %}", p=passage) == old_quote_in_context(passage)
    assert quote_in_context(None) == old_quote_in_context(None) == ""


@pytest.mark.parametrize("prefix", PREFIXES)
def test_fixed_url_writes_what_url_wrote_under_any_script_prefix(prefix):
    set_script_prefix(prefix)
    try:
        for name in ("site:home", "site:verdicts", "site:search", "site:verdict-feed"):
            new = render(f"{{% load site_tags %}}<a href=\"{{% fixed_url '{name}' %}}\">", name=name)
            assert new == render(f"<a href=\"{{% url '{name}' %}}\">")
    finally:
        set_script_prefix("/")


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_claim_page_links_its_topics_as_url_did(prefix):
    claim = factories.claim()
    for name in ("Zeta & co", "Alpha <b>", "Mali"):
        claim.topics.add(factories.topic(name=name))
    set_script_prefix(prefix)  # the test client leaves the script prefix as it finds it
    try:
        response = Client().get(f"/claims/{claim.slug}/")
        assert response.status_code == 200
        old = render(
            "{% for topic in topics %}"
            """<a class="tag" href="{% url 'site:topic' topic.slug %}">{{ topic.name }}</a>"""
            "{% endfor %}",
            topics=claim.topics.order_by("name"),
        )
    finally:
        set_script_prefix("/")
    assert old.count('class="tag"') == 3
    assert (prefix == "/") == (old.count('href="/topics/') == 3)  # the links follow the prefix
    content = response.content.decode()
    assert old in content, content[content.find("claim-tags") :][:600]


# snippets/verdict_badge.html as it was, its file's last newline included.
OLD_VERDICT_BADGE = (
    "{% if verdict %}"
    "<span class=\"verdict-badge verdict-{{ verdict.rating|default:'other' }}\">"
    "{{ verdict.name|default:verdict.label }}</span>"
    '{% else %}<span class="verdict-badge verdict-none">Not yet reviewed</span>{% endif %}\n'
)


@pytest.mark.parametrize("rating", [None, "", *Rating.values])
@pytest.mark.parametrize("label", [None, "", "Faux", 'Trompeur & "<b>"'])
def test_verdict_badge_writes_what_its_snippet_wrote(rating, label):
    shown = pages.verdict(rating, label)
    old = render(OLD_VERDICT_BADGE, verdict=shown)
    assert verdict_badge(shown) == old
    assert render("{% load site_tags %}{% verdict_badge v %}", v=shown) == old
    assert render(OLD_VERDICT_BADGE, verdict={"rating": "", "name": "", "label": "<x>"}) == verdict_badge(
        {"rating": "", "name": "", "label": "<x>"}
    )


# speaker.html's timeline and carried-claims loops as they were, with the whitespace around them; the
# timeline's with the sentence naming the quote's kind that it has written since (a paraphrase or a
# translation is not the speaker's wording).
OLD_TIMELINE = """{% load site_tags %}  <ol class="timeline">
  {% for quote in timeline %}
    <li class="timeline-item">
      <p class="timeline-date">{% if quote.day %}{% time_tag quote.day quote.day_precision %}{% if not quote.said_on %} <span class="hint">(date of the source)</span>{% endif %}{% else %}Date unknown{% endif %}</p>
      <blockquote cite="{{ quote.url }}"><p><a href="{{ quote.url }}">“{{ quote.text }}”</a></p></blockquote>
      <p class="timeline-meta">{% if quote.kind == "direct" %}Direct quotation{% elif quote.kind == "paraphrase" %}Paraphrase{% elif quote.kind == "headline" %}Headline{% elif quote.kind == "slogan" %}Slogan{% elif quote.kind == "communique" %}Communiqué{% endif %}{% if quote.is_translation %} (translated){% endif %}. {% if quote.role %}As {{ quote.role }}. {% endif %}{% if quote.said_venue %}Said at: {{ quote.said_venue }}. {% endif %}Printed in <a href="{{ quote.source_url }}">{{ quote.source__title }}</a>{% if quote.source__publisher %} ({{ quote.source__publisher }}){% endif %}.</p>
    </li>
  {% endfor %}
  </ol>"""  # noqa: E501
NEW_TIMELINE = """{% load site_tags %}  <ol class="timeline">
  {% timeline_items timeline %}
  </ol>"""
OLD_CARRIED = """{% load site_tags %}  <ul class="carried-claims">
  {% for claim in claims %}<li><a href="{{ claim.url }}">{{ claim.text }}</a> — {% if claim.stance == "denies" %}<strong>denies</strong>{% else %}asserts{% endif %}; {% verdict_badge claim.verdict %}</li>{% endfor %}
  </ul>"""  # noqa: E501
NEW_CARRIED = """{% load site_tags %}  <ul class="carried-claims">
  {% carried_claims claims %}
  </ul>"""
AWKWARD = 'Tom & "Jerry" <b>it\'s</b>'


def timeline_row(day, said_on, role, venue, publisher, text="Kidal is ours.", title="Le Monde", kind="direct"):
    return {
        "id": 7,
        "text": text,
        "kind": kind,
        "is_translation": kind == "paraphrase",
        "day": day,
        "day_precision": "month",
        "said_on": said_on,
        "role": role,
        "said_venue": venue,
        "url": "/sources/le-monde/#quote-7",
        "source_url": "/sources/le-monde/",
        "source__title": title,
        "source__publisher": publisher,
    }


@pytest.mark.parametrize("day", [None, date(2019, 11, 5)])
@pytest.mark.parametrize("said_on", [None, date(2019, 11, 5)])
@pytest.mark.parametrize("role", ["", "Prime minister", AWKWARD])
@pytest.mark.parametrize("venue", ["", AWKWARD])
@pytest.mark.parametrize("publisher", ["", AWKWARD])
def test_timeline_items_write_what_the_speaker_pages_loop_wrote(day, said_on, role, venue, publisher):
    rows = [
        timeline_row(day, said_on, role, venue, publisher),
        *(
            timeline_row(said_on, day, venue, role, "RFI", text=AWKWARD, title=AWKWARD, kind=kind)
            for kind in Quote.Kind.values
        ),
    ]
    for timeline in ([], rows[:1], rows):
        assert render(NEW_TIMELINE, timeline=timeline) == render(OLD_TIMELINE, timeline=timeline)


@pytest.mark.parametrize("stance", ["asserts", "denies"])
@pytest.mark.parametrize("shown", [None, ("false", ""), ("", AWKWARD), ("mostly_true", "Plutôt vrai")])
def test_carried_claims_write_what_the_speaker_pages_loop_wrote(stance, shown):
    claim = {"text": AWKWARD, "stance": stance, "url": "/claims/a-b/", "verdict": shown and pages.verdict(*shown)}
    other = {"text": "Plain.", "stance": "asserts", "url": "/claims/c/", "verdict": None}
    for claims in ([], [claim], [claim, other]):
        assert render(NEW_CARRIED, claims=claims) == render(OLD_CARRIED, claims=claims)


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_speaker_page_writes_its_timeline_and_claims_as_its_loops_did(prefix, settings):
    settings.API_READ_CACHE_SECONDS = 0
    speaker = factories.speaker(name=AWKWARD)
    factories.role(speaker=speaker)
    for text in ("Kidal is ours.", AWKWARD):
        source = factories.source(title=text, publisher=text, text=f"He said: {text} Then left.")
        quote = factories.quote(speaker=speaker, source=source, text=text, said_venue=text)
        factories.attribution(quote=quote, claim=factories.claim(text=text))
    factories.attribution(quote=quote, stance="denies")
    response = page_under_prefix(f"/speakers/{speaker.slug}/", prefix)
    content = response.content.decode()
    timeline, claims = response.context["timeline"], response.context["claims"]
    assert (len(timeline), len(claims)) == (2, 3)
    assert render(OLD_TIMELINE, timeline=timeline) in content
    assert render(OLD_CARRIED, claims=claims) in content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/topics/"])
@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_home_and_topics_pages_link_topics_as_url_did(path, prefix, settings):
    settings.API_READ_CACHE_SECONDS = 0
    for name in ("Zeta & co", "Alpha <b>"):
        factories.claim().topics.add(factories.topic(name=name))
    set_script_prefix(prefix)
    try:
        content = Client().get(path).content.decode()
        links = "{% for topic in topics %}<a href=\"{% url 'site:topic' topic.slug %}\">{% endfor %}"
        old = render(links, topics=pages.topics_with_counts())
    finally:
        set_script_prefix("/")
    assert old.count("<a href=") == 2
    assert all(f"{link}>" in content for link in old.split(">") if link)


# snippets/evidence.html as it was, its file's last newline included.
OLD_EVIDENCE = """{% load site_tags %}
<figure class="evidence" id="attribution-{{ item.id }}">
  <blockquote class="quote-in-context" cite="{{ item.quote.url }}">
    <p>{% if item.quote.passage %}{% quote_in_context item.quote.passage %}{% else %}<mark class="quote">{{ item.quote.text }}</mark>{% endif %}</p>
  </blockquote>
  <figcaption>
    <a href="{{ item.speaker.url }}">{{ item.speaker.name }}</a>{% if item.speaker.role %}, {{ item.speaker.role }}{% endif %}
    {% if item.stance == "denies" %}<strong class="stance-denies">denies the claim</strong>{% endif %}
    — {{ item.quote.kind|lower }}{% if item.quote.is_translation %} (translated){% endif %}{% if item.quote.said_venue %}, {{ item.quote.said_venue }}{% endif %}{% if item.quote.said_on %}, {% time_tag item.quote.said_on item.quote.said_precision %}{% endif %};
    printed in <a href="{{ item.source.url }}">{{ item.source.title }}</a>{% if item.source.publisher or item.source.published_on %} ({{ item.source.publisher }}{% if item.source.publisher and item.source.published_on %}, {% endif %}{% if item.source.published_on %}{% time_tag item.source.published_on item.source.published_precision %}{% endif %}){% endif %}.
    <a class="quote-link" href="{{ item.quote.url }}">Read the quote in its source<span class="visually-hidden"> ({{ item.source.title }})</span></a>
    {% if item.note %}<br><span class="note">{{ item.note }}</span>{% endif %}
  </figcaption>
</figure>
"""  # noqa: E501


def evidence(passage, role, stance, translated, venue, said_on, publisher, published_on, note):
    return {
        "id": 1234567,
        "stance": stance,
        "note": note,
        "quote": {
            "id": 89,
            "text": AWKWARD,
            "kind": "Direct & <quote>",
            "said_on": said_on,
            "said_precision": "month",
            "said_venue": venue,
            "is_translation": translated,
            "url": "/sources/a&b/#quote-89",
            "passage": passage,
        },
        "day": said_on or published_on,
        "day_precision": "day",
        "speaker": {"name": AWKWARD, "url": "/speakers/x/", "role": role},
        "source": {
            "title": AWKWARD,
            "publisher": publisher,
            "published_on": published_on,
            "published_precision": "year",
            "url": "/sources/a&b/",
        },
    }


def test_evidence_item_writes_what_its_snippet_wrote():
    passage = pages.Passage(prefix="He said <b>", exact=AWKWARD, suffix=" and left.", at_start=False, at_end=True)
    day = date(2019, 11, 5)
    written = 0
    for values in itertools.product(
        [None, passage], ["", AWKWARD], ["asserts", "denies"], [False, True], ["", AWKWARD],
        [None, day], ["", AWKWARD], [None, day], ["", AWKWARD],
    ):  # fmt: skip
        item = evidence(*values)
        old = render(OLD_EVIDENCE, item=item)
        assert render("{% load site_tags %}{% evidence_item item %}", item=item) == old, values
        written += 1
    assert written == 2**9


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_claim_page_writes_its_evidence_and_its_related_claims_evidence_as_the_snippet_did(prefix, settings):
    settings.API_READ_CACHE_SECONDS = 0
    claim, other = factories.claim(text=AWKWARD), factories.claim()
    for text, on in (("Kidal is ours.", claim), (AWKWARD, claim), ("Kidal is ours.", other)):
        source = factories.source(title=text, publisher=text, text=f"He said: {text} Then left.")
        speaker = factories.speaker(name=text)
        factories.role(speaker=speaker)
        said = {"said_venue": text, "said_on": date(2020, 2, 1), "said_precision": "month"}
        quote = factories.quote(speaker=speaker, source=source, text=text, **said)
        factories.attribution(quote=quote, claim=on, stance="denies" if on is other else "asserts", note=text)
    factories.relation(from_claim=other, to_claim=claim)
    response = page_under_prefix(f"/claims/{claim.slug}/", prefix)
    content = response.content.decode()
    related = [item for side in response.context["sides"].values() for entry in side for item in entry["evidence"]]
    items = [*response.context["evidence"], *related]
    assert (len(items), len(related)) == (3, 1)
    # Each item as the snippet wrote it, with what claim.html's and related_claims.html's loops put around it.
    section = "".join(render(OLD_EVIDENCE, item=item) + "\n    " for item in response.context["evidence"])
    assert f"Who made this claim</h2>\n    {section}\n  </section>" in content
    assert "\n    " + "".join(render(OLD_EVIDENCE, item=item) for item in related) + "\n  </li>" in content


# claim.html's content block as it was, and the two snippets it included (their files' last newlines
# included): the {% include %}s as the {% with %} of their arguments.
OLD_RATING_SCALE = """<p class="verdict-name">{% if review.verdict.name %}<strong class="verdict-badge verdict-{{ review.rating_value }}">{{ review.verdict.name }}</strong>{% else %}<strong class="verdict-badge verdict-other">{{ review.verdict.label }}</strong>{% endif %}</p>
{% if review.rating_value and review.rating_value != "unverifiable" %}
<ol class="rating-scale" aria-label="The verdict on the scale from False to True">
  {% for value, name in rating_scale %}<li class="{% if value == review.rating_value %}current {% endif %}step-{{ value }}"{% if value == review.rating_value %} aria-current="true"{% endif %}>{{ name }}</li>{% endfor %}
</ol>
{% endif %}
"""  # noqa: E501
OLD_RELATED_CLAIMS = """{% load site_tags %}{% if related %}
<h3>{{ heading }}</h3>
<ul class="related-claims">
{% for entry in related %}
  <li class="related-claim" data-claim="{{ entry.claim.id }}">
    <p class="related-claim-title"><a href="{{ entry.claim.url }}">{{ entry.claim.text }}</a> {% verdict_badge entry.claim.verdict %}</p>
    {% if entry.note %}<p class="note">{{ entry.note }}</p>{% endif %}
    {% for item in entry.evidence %}{% evidence_item item %}{% empty %}<p class="empty">No published quotation carries it yet.</p>{% endfor %}
  </li>
{% endfor %}
</ul>
{% endif %}
"""  # noqa: E501
OLD_CLAIM_ARTICLE = """{% load site_tags %}
<article class="claim" data-claim="{{ claim.pk }}">
  <header class="claim-header">
    <p class="kicker">Claim</p>
    <h1>{{ claim.text }}</h1>
    <p class="claim-tags">
      {% verdict_badge verdict.verdict %}
      {% if claim.is_disputed %}<span class="tag tag-disputed">Disputed</span>{% endif %}
      {% if claim.review_status == "in_review" %}<span class="tag">In review</span>{% endif %}
      {% for topic in topics %}<a class="tag" href="{{ topic.url }}">{{ topic.name }}</a>{% endfor %}
    </p>
  </header>

  <section class="verdict" aria-labelledby="verdict-heading">
    <h2 id="verdict-heading">Verdict</h2>
    {% if verdict %}
    <div id="review-{{ verdict.id }}" class="review">
      {% include "site/snippets/rating_scale.html" with review=verdict %}
      {% if verdict.verdict.label and verdict.verdict.label != verdict.verdict.name %}<p class="publisher-label">The publisher’s verdict: <strong>{{ verdict.verdict.label }}</strong></p>{% endif %}
      {% if verdict.rationale %}<div class="rationale">{{ verdict.rationale|linebreaks }}</div>{% endif %}
      {% if verdict.evidence_sources or verdict.evidence_quotes %}
      <h3>Evidence</h3>
      <ul class="evidence-list">
        {% for cited in verdict.evidence_sources %}<li><a href="{{ cited.url }}">{{ cited.title }}</a></li>{% endfor %}
        {% for cited in verdict.evidence_quotes %}<li>{{ cited.speaker }}: <a href="{{ cited.url }}">“{{ cited.text }}”</a></li>{% endfor %}
      </ul>
      {% endif %}
      <p class="byline">
        {% if verdict.publisher_name %}Published by {% if verdict.publisher_url %}<a href="{{ verdict.publisher_url }}">{{ verdict.publisher_name }}</a>{% else %}{{ verdict.publisher_name }}{% endif %}{% if verdict.url %} (<a href="{{ verdict.url }}">their fact-check</a>){% endif %}{% else %}Reviewed by {{ verdict.reviewer|default:"a reviewer" }}{% endif %}{% if verdict.published_at %}, {% time_tag verdict.published_at %}{% endif %}.
      </p>
    </div>
    {% else %}
    <p class="not-reviewed">Not yet reviewed.{% if claim.review_status == "in_review" %} A reviewer is working on it.{% elif claim.is_disputed %} This claim is disputed and waits for a reviewer.{% endif %}</p>
    {% endif %}
  </section>

  <section aria-labelledby="evidence-heading">
    <h2 id="evidence-heading">Who made this claim</h2>
    {% for item in evidence %}{% evidence_item item %}
    {% empty %}<p class="empty">No published quotation carries this claim yet.</p>{% endfor %}
  </section>

  {% if has_sides %}
  <section aria-labelledby="sides-heading">
    <h2 id="sides-heading">Both sides</h2>
    {% include "site/snippets/related_claims.html" with related=sides.disputed_by heading="Claims that dispute it" %}
    {% include "site/snippets/related_claims.html" with related=sides.disputes heading="Claims it disputes" %}
    {% include "site/snippets/related_claims.html" with related=sides.supported_by heading="Claims that support it" %}
    {% include "site/snippets/related_claims.html" with related=sides.supports heading="Claims it supports" %}
  </section>
  {% endif %}

  {% if graph_svg %}
  <section aria-labelledby="graph-heading">
    <h2 id="graph-heading">The dispute around this claim</h2>
    <figure class="dispute-graph-figure">
      {{ graph_svg }}
      <figcaption>Claims up to two steps away: red dashed arrows dispute, green arrows support. Each circle links to its claim.</figcaption>
    </figure>
  </section>
  {% endif %}

  {% if earlier_reviews %}
  <section aria-labelledby="earlier-heading">
    <h2 id="earlier-heading">Earlier verdicts</h2>
    <ul class="earlier-reviews">
    {% for review in earlier_reviews %}
      <li id="review-{{ review.id }}">{% verdict_badge review.verdict %} {% if review.published_at %}published {% time_tag review.published_at %}{% endif %}{% if review.status == "superseded" %}, superseded when the claim was reopened{% endif %}.{% if review.rationale %}<div class="rationale">{{ review.rationale|linebreaks }}</div>{% endif %}</li>
    {% endfor %}
    </ul>
  </section>
  {% endif %}

  <section aria-labelledby="history-heading">
    <h2 id="history-heading">History</h2>
    <ul class="history">
      <li>Created {% time_tag claim.created_at %}</li>
      {% for event in history %}<li>{{ event.label }} {% time_tag event.at %}</li>{% endfor %}
      {% if claim.version > 1 %}<li>Last changed {% time_tag claim.updated_at %}</li>{% endif %}
    </ul>
    <p class="machine-readable">Machine-readable: <a href="/api/claims/{{ claim.pk }}/">this claim in the API</a>{% if json_ld %}, <a href="/api/claims/{{ claim.pk }}/claimreview/">its ClaimReview</a>{% endif %}, <a href="/api/claims/{{ claim.pk }}/history/">its full edit history</a>.</p>
  </section>
</article>
"""  # noqa: E501


# snippets/claim_cards.html, claim_card.html and pagination.html as they were, their files' last newlines
# included: the {% claim_cards %} and {% pagination %} tags write them now.
OLD_CLAIM_CARDS = """{% if cards %}
<ul class="cards">
{% for card in cards %}<li>{% include "site/snippets/claim_card.html" %}</li>
{% endfor %}
</ul>
{% else %}
<p class="empty">{{ empty|default:"Nothing here yet." }}</p>
{% endif %}
"""
OLD_CLAIM_CARD = """{% load site_tags %}<article class="claim-card">
  <h3 class="claim-card-title"><a href="{{ card.url }}">{{ card.text }}</a></h3>
  <p class="claim-card-meta">
    {% verdict_badge card.verdict %}
    {% if card.is_disputed %}<span class="tag tag-disputed">Disputed</span>{% endif %}
    {% if card.speakers %}<span class="claim-card-speakers">{% for speaker in card.speakers %}<a href="{{ speaker.url }}">{{ speaker.name }}</a>{% if speaker.stance != "asserts" %} ({{ speaker.stance }}){% endif %}{% if not forloop.last %}, {% endif %}{% endfor %}</span>{% endif %}
  </p>
</article>
"""  # noqa: E501
OLD_PAGINATION = """{% if page > 1 or has_next %}
<nav class="pagination" aria-label="Pages">
  <ul>
    {% if page > 1 %}<li><a rel="prev" href="?{% if extra_query %}{{ extra_query }}&amp;{% endif %}page={{ page|add:'-1' }}">Previous page</a></li>{% endif %}
    <li aria-current="page">Page {{ page }}</li>
    {% if has_next %}<li><a rel="next" href="?{% if extra_query %}{{ extra_query }}&amp;{% endif %}page={{ page|add:'1' }}">Next page</a></li>{% endif %}
  </ul>
</nav>
{% endif %}
"""  # noqa: E501


@functools.cache
def old_engine():
    templates = {
        "old": OLD_CLAIM_ARTICLE,
        "site/snippets/rating_scale.html": OLD_RATING_SCALE,
        "site/snippets/related_claims.html": OLD_RELATED_CLAIMS,
        "site/snippets/claim_cards.html": OLD_CLAIM_CARDS,
        "site/snippets/claim_card.html": OLD_CLAIM_CARD,
        "site/snippets/pagination.html": OLD_PAGINATION,
    }
    return Engine(
        loaders=[("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", templates)])],
        libraries={"site_tags": "claims.site.templatetags.site_tags"},
    )


def old_claim_article(context):
    return old_engine().get_template("old").render(Context(context))


def render_old(source, **context):
    """`source` rendered with the snippets as they were (old_engine())."""
    return old_engine().from_string(source).render(Context(context))


def review(rating, label, published_at, status="published", rationale="", **more):
    return {
        "id": 4321,
        "status": status,
        "verdict": pages.verdict(rating, label),
        "rating_value": rating,
        "rationale": rationale,
        "reviewer": "",
        "publisher_name": "",
        "publisher_url": "",
        "url": "",
        "published_at": published_at,
        "evidence_sources": [],
        "evidence_quotes": [],
        **more,
    }


VERDICTS = [
    None,
    review("false", "", datetime(2024, 3, 1, 9, 30), rationale=f"First.\n\nSecond {AWKWARD}", reviewer=AWKWARD),
    review("unverifiable", "", None),
    review("", AWKWARD, None, publisher_name=AWKWARD, url="https://x.org/?a=1&b=2"),
    review(
        "mostly_true",
        "Mostly true",
        datetime(2020, 1, 2),
        publisher_name="Le Monde",
        publisher_url="https://lemonde.fr/?a&b",
        evidence_sources=[{"title": AWKWARD, "url": "/sources/a/"}],
    ),
    review(
        "mixed",
        "Half & half",
        None,
        evidence_quotes=[{"text": AWKWARD, "speaker": AWKWARD, "url": "/sources/a/#quote-1"}],
        evidence_sources=[{"title": "One", "url": "/sources/b/"}, {"title": "Two", "url": "/sources/c/"}],
    ),
    review("", "", None),
]
EARLIER = [
    [],
    [
        review("true", "", datetime(2019, 5, 6), status="superseded", rationale=AWKWARD),
        review("", "Faux", None, status="published"),
    ],
]


def related_side(entries):
    return [
        {
            "note": note,
            "claim": {"id": 77, "text": AWKWARD, "url": "/claims/a&b/", "verdict": pages.verdict(rating, "")},
            "evidence": items,
        }
        for note, rating, items in entries
    ]


def sides_of(kind):
    item = evidence(None, AWKWARD, "denies", True, AWKWARD, date(2019, 11, 5), AWKWARD, date(2019, 1, 1), AWKWARD)
    sides = {"disputed_by": [], "disputes": [], "supported_by": [], "supports": []}
    if kind == "some":
        sides["disputes"] = related_side([("", "false", []), (AWKWARD, "", [item, item])])
    elif kind == "all":
        for heading in sides:
            sides[heading] = related_side([(AWKWARD, "true", [item])])
    return sides


@pytest.mark.parametrize("verdict", VERDICTS)
@pytest.mark.parametrize("earlier", EARLIER)
@pytest.mark.parametrize("sides", ["none", "some", "all"])
def test_claim_article_writes_what_claim_html_and_its_snippets_wrote(verdict, earlier, sides):
    passage = pages.Passage(prefix="He said <b>", exact=AWKWARD, suffix=" and left.", at_start=False, at_end=True)
    item = evidence(passage, "", "asserts", False, "", None, "", None, "")
    created, changed = datetime(2019, 11, 5, 8, 0), datetime(2021, 2, 3, 4, 5)
    written = 0
    topics = [{"name": AWKWARD, "url": "/topics/a&b/"}, {"name": "Mali", "url": "/topics/mali/"}]
    history = [{"label": "Review started", "at": created}, {"label": AWKWARD, "at": changed}]
    svg = mark_safe('<svg role="group"><a href="/claims/x/">&amp;</a></svg>')  # noqa: S308
    for status, disputed, version, some, json_ld in itertools.product(
        ["unreviewed", "in_review", "reviewed"], [False, True], [1, 2], [False, True], ["", "{}"]
    ):  # fmt: skip
        claim = SimpleNamespace(
            pk=123456, text=AWKWARD, is_disputed=disputed, review_status=status, version=version,
            created_at=created, updated_at=changed,
        )  # fmt: skip
        shown = sides_of(sides)
        context = {
            "claim": claim,
            "topics": topics if some else [],
            "evidence": [item, item] if some else [],
            "sides": shown,
            "has_sides": any(shown.values()),
            "verdict": verdict,
            "earlier_reviews": earlier,
            "history": history if some else [],
            "graph_svg": svg if some else "",
            "rating_scale": [(value, name) for value, name in Rating.choices if value != Rating.UNVERIFIABLE],
            "json_ld": json_ld,
        }
        old = old_claim_article(context)
        assert render("{% load site_tags %}{% claim_article %}", **context) == old
        written += 1
    assert written == 3 * 2**4


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_claim_pages_links_to_the_api_follow_the_script_prefix(prefix, settings):
    settings.API_READ_CACHE_SECONDS = 0
    claim = factories.claim()
    published_at = datetime(2025, 11, 20, tzinfo=UTC)
    factories.review(claim=claim, status=Review.Status.PUBLISHED, published_at=published_at)
    content = page_under_prefix(f"/claims/{claim.slug}/", prefix).content.decode()
    set_script_prefix(prefix)
    try:
        paths = [reverse(f"api:claim-{view}", kwargs={"pk": claim.pk}) for view in ("detail", "claimreview", "history")]
    finally:
        set_script_prefix("/")
    for path in paths:
        assert f'href="{html.escape(path)}"' in content, path


OLD_SEARCH_SECTIONS = """{% load site_tags %}{% for section in sections %}
<section class="search-section" aria-labelledby="results-{{ section.kind }}">
  <h2 id="results-{{ section.kind }}">{{ section.kind|capfirst }}</h2>
  {% if not section.results %}<p class="empty">No {{ section.kind }} match.</p>
  {% elif section.kind == "claims" %}{% include "site/snippets/claim_cards.html" with cards=section.results %}
  {% elif section.kind == "quotes" %}
  <ul class="results">{% for quote in section.results %}<li><a href="{{ quote.url }}">“{{ quote.text|truncatechars:300 }}”</a> — <a href="{{ quote.speaker_url }}">{{ quote.speaker__name }}</a>, in {{ quote.source__title }}{% if quote.said_on %}, {% time_tag quote.said_on quote.said_precision %}{% elif quote.source__published_on %}, {% time_tag quote.source__published_on quote.source__published_precision %}{% endif %}</li>{% endfor %}</ul>
  {% elif section.kind == "speakers" %}
  <ul class="results">{% for speaker in section.results %}<li><a href="{{ speaker.url }}">{{ speaker.name }}</a>{% if speaker.description %} — {{ speaker.description|truncatechars:160 }}{% endif %}</li>{% endfor %}</ul>
  {% else %}
  <ul class="results">{% for source in section.results %}<li><a href="{{ source.url }}">{{ source.title }}</a>{% if source.publisher %} — {{ source.publisher }}{% endif %}{% if source.published_on %}, {% time_tag source.published_on source.published_precision %}{% endif %}</li>{% endfor %}</ul>
  {% endif %}
  {% if kind %}
    {% include "site/snippets/pagination.html" with has_next=section.has_next %}
  {% elif section.has_next %}<p><a href="?q={{ q|urlencode }}&amp;kind={{ section.kind }}">More {{ section.kind }}</a></p>{% endif %}
</section>
{% endfor %}"""  # noqa: E501 (search.html's loop before the search_sections tag)
NEW_SEARCH_SECTIONS = "{% load site_tags %}{% search_sections %}"


def search_results(kind, variant):
    """A section's results of `kind`, plain (variant 0) or with every optional part and awkward text."""
    awkward = variant == 1
    text = AWKWARD * 30 if awkward else "Kidal is ours."  # past truncatechars' 300 and 160
    day = date(2019, 11, 5) if awkward else None
    if kind == "claims":
        speakers = [
            {"name": AWKWARD, "url": "/speakers/a&b/", "stance": "denies"},
            {"name": "Iyad", "url": "/speakers/iyad/", "stance": "asserts"},
            {"name": "Awa", "url": "/speakers/awa/", "stance": "questions"},
        ]
        return [
            {
                "url": "/claims/a-b/",
                "text": text,
                "is_disputed": awkward,
                "verdict": pages.verdict("false", AWKWARD) if awkward else None,
                "speakers": speakers[: 3 if awkward else 0],
            },
            {"url": "/claims/c/", "text": "Plain.", "is_disputed": False, "verdict": None, "speakers": speakers[1:2]},
        ]
    if kind == "quotes":
        return [
            {
                "url": "/sources/s/#quote-1",
                "text": text,
                "speaker_url": "/speakers/s/",
                "speaker__name": AWKWARD,
                "source__title": AWKWARD,
                "said_on": day,
                "said_precision": "month",
                "source__published_on": date(2020, 1, 2),
                "source__published_precision": None,
            },
            {
                "url": "/sources/t/#quote-2",
                "text": "Plain.",
                "speaker_url": "/speakers/t/",
                "speaker__name": "T",
                "source__title": "RFI",
                "said_on": None,
                "said_precision": "",
                "source__published_on": day,
                "source__published_precision": "year",
            },
        ]
    if kind == "speakers":
        return [{"url": "/speakers/s/", "name": AWKWARD, "description": text if awkward else ""}]
    return [
        {
            "url": "/sources/s/",
            "title": AWKWARD,
            "publisher": AWKWARD if awkward else "",
            "published_on": day,
            "published_precision": "month",
        }
    ]


@pytest.mark.parametrize("kind", ["", *pages.SEARCH_KINDS])
@pytest.mark.parametrize("page", [1, 2])
@pytest.mark.parametrize("has_next", [False, True])
@pytest.mark.parametrize("q", ["kidal", AWKWARD + " é/?&"])
def test_search_sections_write_what_the_search_pages_loop_wrote(kind, page, has_next, q):
    for variant in (0, 1, 2):  # 2: no results
        kinds = [kind] if kind else pages.SEARCH_KINDS
        sections = [
            {"kind": name, "results": [] if variant == 2 else search_results(name, variant), "has_next": has_next}
            for name in kinds
        ]
        context = {"q": q, "kind": kind, "page": page, "sections": sections, "extra_query": f"q={q}&kind={kind}"}
        assert render(NEW_SEARCH_SECTIONS, **context) == render_old(OLD_SEARCH_SECTIONS, **context)
    empty = {"q": "", "kind": "", "page": 1, "sections": None, "extra_query": ""}
    assert render(NEW_SEARCH_SECTIONS, **empty) == render_old(OLD_SEARCH_SECTIONS, **empty) == ""


@pytest.mark.parametrize("variant", [0, 1, 2])  # 2: no cards
@pytest.mark.parametrize("empty", [None, "No verdict here yet."])
def test_the_claim_cards_tag_writes_what_the_claim_card_snippets_wrote(variant, empty):
    cards = [] if variant == 2 else search_results("claims", variant)
    with_empty = "" if empty is None else f' empty="{empty}"'
    old = f'{{% include "site/snippets/claim_cards.html" with cards=cards{with_empty} %}}'
    assert render(f"{{% load site_tags %}}{{% claim_cards cards{with_empty} %}}", cards=cards) == render_old(
        old, cards=cards
    )


@pytest.mark.parametrize("page", [1, 2, 7])
@pytest.mark.parametrize("has_next", [False, True])
@pytest.mark.parametrize("extra_query", ["", "q=a%26b&amp;kind=claims"])
def test_the_pagination_tag_writes_what_the_pagination_snippet_wrote(page, has_next, extra_query):
    context = {"page": page, "has_next": has_next, "extra_query": mark_safe(extra_query)}
    assert render("{% load site_tags %}{% pagination %}", **context) == render_old(
        '{% include "site/snippets/pagination.html" %}', **context
    )


# speaker.html's content and aside blocks as they were, before {% speaker_article %} and {% speaker_facts %}.
OLD_SPEAKER_ARTICLE = """{% load site_tags %}
<header>
  <p class="kicker">{{ speaker.get_kind_display }}</p>
  <h1>{{ speaker.name }}</h1>
  {% if speaker.description %}<p class="lede">{{ speaker.description }}</p>{% endif %}
</header>

<section aria-labelledby="timeline-heading">
  <h2 id="timeline-heading">Statements over time</h2>
  {% if timeline %}
  <ol class="timeline">
  {% timeline_items timeline %}
  </ol>
  {% pagination %}
  {% else %}<p class="empty">No published statement yet.</p>{% endif %}
</section>

<section aria-labelledby="claims-heading">
  <h2 id="claims-heading">Claims {{ speaker.name }} carries</h2>
  {% if claims %}
  <ul class="carried-claims">
  {% carried_claims claims %}
  </ul>
  {% if more_claims %}<p>More claims: <a href="{% fixed_url 'site:search' %}?q={{ speaker.name|urlencode }}&amp;kind=claims">search for {{ speaker.name }}</a>.</p>{% endif %}
  {% else %}<p class="empty">No claim is attributed to a published statement yet.</p>{% endif %}
</section>
"""  # noqa: E501
OLD_SPEAKER_FACTS = """{% load site_tags %}
<section aria-labelledby="facts-heading">
  <h2 id="facts-heading">Facts</h2>
  <dl class="facts">
    {% if aliases %}<dt>Also written</dt><dd><ul class="plain">{% for alias in aliases %}<li lang="und">{{ alias }}</li>{% endfor %}</ul></dd>{% endif %}
    {% if speaker.wikidata_id %}<dt>Wikidata</dt><dd><a href="https://www.wikidata.org/wiki/{{ speaker.wikidata_id }}">{{ speaker.wikidata_id }}</a></dd>{% endif %}
  </dl>
</section>
{% if roles %}
<section aria-labelledby="roles-heading">
  <h2 id="roles-heading">Roles over time</h2>
  <ul class="roles">
  {% for role in roles %}<li>{{ role }}{% if role.start_date or role.end_date %} <span class="hint">({% if role.start_date %}from {% time_tag role.start_date role.start_precision %}{% endif %}{% if role.end_date %} to {% time_tag role.end_date role.end_precision %}{% endif %})</span>{% endif %}</li>{% endfor %}
  </ul>
</section>
{% endif %}
"""  # noqa: E501


@pytest.mark.parametrize("described", [False, True])
@pytest.mark.parametrize("listed", [False, True])
@pytest.mark.parametrize(("page", "has_next"), [(1, False), (1, True), (3, False)])
@pytest.mark.parametrize("more_claims", [False, True])
def test_speaker_article_and_facts_write_what_speaker_html_wrote(described, listed, page, has_next, more_claims):
    speaker = Speaker(
        name=AWKWARD,
        kind=Speaker.Kind.MINISTRY,
        description=AWKWARD if described else "",
        wikidata_id="Q123" if described else "",
    )
    roles = [
        Role(title=AWKWARD, organisation=AWKWARD),
        Role(title="Minister", start_date=date(2021, 6, 1), start_precision="month"),
        Role(title="Deputy", end_date=date(2015, 1, 1), end_precision="year"),
        Role(title="Envoy", start_date=date(2019, 1, 2), end_date=date(2020, 3, 4)),
    ]
    claim = {"text": AWKWARD, "stance": "denies", "url": "/claims/a-b/", "verdict": pages.verdict("false", "")}
    context = {
        "speaker": speaker,
        "aliases": ["Ämi", AWKWARD] if listed else [],
        "roles": roles if listed else [],
        "timeline": [timeline_row(date(2019, 11, 5), None, "Prime minister", AWKWARD, "RFI")] if listed else [],
        "page": page,
        "has_next": has_next,
        "extra_query": "",
        "claims": [claim] if listed else [],
        "more_claims": more_claims,
    }
    new = "{% load site_tags %}{% speaker_article %}|{% speaker_facts %}"
    assert render(new, **context) == render(OLD_SPEAKER_ARTICLE + "|" + OLD_SPEAKER_FACTS, **context)
