"""Formatting for the public site's templates: dates to their precision, quotes highlighted in context.

Tags format what a view has already read; none of them queries the database.
"""

import html
from urllib.parse import quote as url_quote

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape, escape, linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, capfirst
from django.utils.translation import get_language

from ...models import Attribution
from ...paths import path_parts
from .. import formatting
from ..pages import QUOTE_KINDS

register = template.Library()


@register.simple_tag
def fixed_url(name):
    """{% url name %} of a page without arguments, reversed once per URLconf and script prefix
    (claims/paths.py).

    base.html links nine of them on every page: a reverse() each was ≈ 0.3 ms of every page's Python.
    Escaped, as {% url %} is on output.
    """
    return escape(path_parts(name)[0])


# {% invariant %} blocks as rendered: {(node, URLconf, script prefix, language): text}.
_invariant_texts = {}
# The render context's key for a page's (URLconf, script prefix, language).
_FRAME = object()


@receiver(setting_changed)
def _forget_invariant_texts(**kwargs):
    # STATIC_URL, STORAGES (the static manifest), ROOT_URLCONF...: what the blocks read, changed by a test.
    _invariant_texts.clear()


class InvariantNode(template.Node):
    # What it encloses is not searched for {% block %}s (it holds none: their content would be frozen
    # too): {% extends %} searches base.html's whole node tree for them on every page it renders.
    child_nodelists = ()

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        # What the texts vary with, read once per page (base.html has five blocks): each is a
        # thread-local read (≈ 15 Python calls for the three), and none changes while a page renders.
        frame = context.render_context.get(_FRAME)
        if frame is None:
            frame = context.render_context[_FRAME] = (get_urlconf(), get_script_prefix(), get_language())
        key = (self, *frame)
        text = _invariant_texts.get(key)
        if text is None:
            if len(_invariant_texts) >= 256:  # a bound, should prefixes or URLconfs ever vary without end
                _invariant_texts.clear()
            text = _invariant_texts[key] = self.nodelist.render(context)
        return text


@register.tag
def invariant(parser, token):
    """{% invariant %}…{% endinvariant %}: what it encloses, rendered once per process for each
    URLconf, script prefix and language, then written as it was.

    base.html's frame (its static stylesheet, its nine links to pages without arguments) is the
    same on every page: written by ten tags and the text nodes between them, it cost ≈ 0.1 ms of
    every page's Python. What is enclosed must depend on nothing else: no context variable (it
    would be frozen at the first page's), only settings, the static manifest and reversed URLs.
    """
    nodelist = parser.parse(("endinvariant",))
    parser.delete_first_token()
    return InvariantNode(nodelist)


@register.simple_tag(takes_context=True)
def page_head(context):
    """base.html's <title> and the description, canonical address and Open Graph lines of its <head>,
    from views.page()'s context.

    Were ten {{ }} between text nodes: ≈ 15 % of rendering a page's frame. Writes what they wrote.
    """
    title, site, description, url, og_type = (
        conditional_escape(context.get(name, ""))  # as {{ }} writes a value
        for name in ("page_title", "site_name", "page_description", "canonical_url", "og_type")
    )
    return mark_safe(  # noqa: S308
        f"<title>{title} · {site}</title>\n"
        f'<meta name="description" content="{description}">\n'
        f'<link rel="canonical" href="{url}">\n'
        f'<meta property="og:site_name" content="{site}">\n'
        f'<meta property="og:title" content="{title}">\n'
        f'<meta property="og:description" content="{description}">\n'
        f'<meta property="og:url" content="{url}">\n'
        f'<meta property="og:type" content="{og_type}">'
    )


@register.filter
def partial_date(value, precision="day"):
    """{{ quote.said_on|partial_date:quote.said_precision }} → "5 November 2019", "November 2025", "2019"."""
    return formatting.partial_date(value, precision or "day")


@register.simple_tag
def time_tag(value, precision="day"):
    """A <time> element: the date as a person reads it, with its machine-readable form.

    Escaped with html.escape(), which is what format_html() did for these strings, without the lazy
    and SafeData checks (a claim page has 5 to 20 of these).
    """
    if value is None:
        return ""
    precision = precision or "day"
    machine = html.escape(formatting.iso_date(value, precision))
    readable = html.escape(formatting.partial_date(value, precision))
    return mark_safe(f'<time datetime="{machine}">{readable}</time>')  # noqa: S308


@register.simple_tag
def verdict_badge(verdict):
    """A claim's verdict as a badge: `verdict` is pages.verdict()'s dict, or None before any review.

    Was an {% include %} of a snippet, once per claim listed (≈ 20 on a speaker page); each string
    escaped with html.escape(), as the snippet's {{ }} did. The newline ending each is the one that
    ended the snippet's file.
    """
    if not verdict:
        return mark_safe('<span class="verdict-badge verdict-none">Not yet reviewed</span>\n')  # noqa: S308
    rating = html.escape(str(verdict["rating"] or "other"))
    name = html.escape(str(verdict["name"] or verdict["label"]))
    return mark_safe(f'<span class="verdict-badge verdict-{rating}">{name}</span>\n')  # noqa: S308


@register.simple_tag
def timeline_items(quotes):
    """The speaker page's timeline: an <li> per quote (pages.speaker_page()'s rows), with the
    whitespace around each that its {% for %} loop wrote.

    Was that loop: ≈ 10 variables and conditions per quote, 20 quotes a page, most of the page's
    rendering. Each string escaped with html.escape(), as {{ }} did.
    """
    escape, iso_date, partial_date = html.escape, formatting.iso_date, formatting.partial_date
    items = []
    for quote in quotes:
        day = quote["day"]
        if day:
            # time_tag()'s element, without escaping what has nothing to escape (digits, month names).
            precision = quote["day_precision"] or "day"
            date = f'<time datetime="{iso_date(day, precision)}">{partial_date(day, precision)}</time>'
            if not quote["said_on"]:
                date += ' <span class="hint">(date of the source)</span>'
        else:
            date = "Date unknown"
        url, text = escape(str(quote["url"])), escape(str(quote["text"]))
        source = f'<a href="{escape(str(quote["source_url"]))}">{escape(str(quote["source__title"]))}</a>'
        # What the text is, as a claim page says it: a paraphrase or a translation is not the speaker's wording.
        kind = escape(QUOTE_KINDS[quote["kind"]]) + (" (translated)" if quote["is_translation"] else "")
        role = f"As {escape(str(quote['role']))}. " if quote["role"] else ""
        venue = f"Said at: {escape(str(quote['said_venue']))}. " if quote["said_venue"] else ""
        publisher = f" ({escape(str(quote['source__publisher']))})" if quote["source__publisher"] else ""
        items.append(
            '\n    <li class="timeline-item">\n'
            f'      <p class="timeline-date">{date}</p>\n'
            f'      <blockquote cite="{url}"><p><a href="{url}">“{text}”</a></p></blockquote>\n'
            f'      <p class="timeline-meta">{kind}. {role}{venue}Printed in {source}{publisher}.</p>\n'
            "    </li>\n  "
        )
    return mark_safe("".join(items))  # noqa: S308


@register.simple_tag(takes_context=True)
def speaker_article(context):
    """The speaker page's content: who they are, their statements over time and the claims they
    carry, from what pages.speaker_page() and views.speaker() put in the context.

    Was speaker.html's content block: ≈ 25 nodes around the two tags that write its lists. Writes
    what it wrote, newlines and indentation included, each string escaped with html.escape() as
    {{ }} did.
    """
    speaker = context["speaker"]
    name = _text(speaker.name)
    lede = f'<p class="lede">{_text(speaker.description)}</p>' if speaker.description else ""
    if context["timeline"]:
        timeline = (
            '\n  <ol class="timeline">\n'
            f"  {timeline_items(context['timeline'])}\n"
            "  </ol>\n"
            f"  {_pagination(context['page'], context['has_next'], context['extra_query'])}\n  "
        )
    else:
        timeline = '<p class="empty">No published statement yet.</p>'
    if context["claims"]:
        more = ""
        if context["more_claims"]:
            search = f"{fixed_url('site:search')}?q={_text(url_quote(speaker.name, safe='/'))}&amp;kind=claims"
            more = f'<p>More claims: <a href="{search}">search for {name}</a>.</p>'
        claims = (
            '\n  <ul class="carried-claims">\n'
            f"  {carried_claims(context['claims'])}\n"
            "  </ul>\n"
            f"  {more}\n  "
        )
    else:
        claims = '<p class="empty">No claim is attributed to a published statement yet.</p>'
    return mark_safe(  # noqa: S308
        "\n<header>\n"
        f'  <p class="kicker">{_text(speaker.get_kind_display())}</p>\n'
        f"  <h1>{name}</h1>\n"
        f"  {lede}\n"
        "</header>\n"
        "\n"
        '<section aria-labelledby="timeline-heading">\n'
        '  <h2 id="timeline-heading">Statements over time</h2>\n'
        f"  {timeline}\n"
        "</section>\n"
        "\n"
        '<section aria-labelledby="claims-heading">\n'
        f'  <h2 id="claims-heading">Claims {name} carries</h2>\n'
        f"  {claims}\n"
        "</section>\n"
    )


@register.simple_tag(takes_context=True)
def speaker_facts(context):
    """The speaker page's aside: the names they are also written under, their Wikidata item and their
    roles over time. Was speaker.html's aside block; writes what it wrote, as speaker_article() does."""
    speaker, aliases, roles = context["speaker"], context["aliases"], context["roles"]
    also_written = ""
    if aliases:
        names = "".join(f'<li lang="und">{_text(alias)}</li>' for alias in aliases)
        also_written = f'<dt>Also written</dt><dd><ul class="plain">{names}</ul></dd>'
    wikidata = ""
    if speaker.wikidata_id:
        item = _text(speaker.wikidata_id)
        wikidata = f'<dt>Wikidata</dt><dd><a href="https://www.wikidata.org/wiki/{item}">{item}</a></dd>'
    listed_roles = ""
    if roles:
        items = "".join(f"<li>{_text(role)}{_role_dates(role)}</li>" for role in roles)
        listed_roles = (
            '\n<section aria-labelledby="roles-heading">\n'
            '  <h2 id="roles-heading">Roles over time</h2>\n'
            '  <ul class="roles">\n'
            f"  {items}\n"
            "  </ul>\n"
            "</section>\n"
        )
    return mark_safe(  # noqa: S308
        "\n"
        '<section aria-labelledby="facts-heading">\n'
        '  <h2 id="facts-heading">Facts</h2>\n'
        '  <dl class="facts">\n'
        f"    {also_written}\n"
        f"    {wikidata}\n"
        "  </dl>\n"
        "</section>\n"
        f"{listed_roles}\n"
    )


def _role_dates(role):
    """ (from <time>… to <time>…) after a role that has a known start or end."""
    if not (role.start_date or role.end_date):
        return ""
    start = f"from {time_tag(role.start_date, role.start_precision)}" if role.start_date else ""
    end = f" to {time_tag(role.end_date, role.end_precision)}" if role.end_date else ""
    return f' <span class="hint">({start}{end})</span>'


# What a speaker's quote does to a claim, as the speaker page says it: only an assertion is plain.
CARRIED_STANCES = {
    Attribution.Stance.ASSERTS: "asserts",
    Attribution.Stance.DENIES: "<strong>denies</strong>",
    Attribution.Stance.QUESTIONS: "<strong>questions</strong>",
}


# The same on a claim page, under each quote: an assertion is what evidence is unless said otherwise.
EVIDENCE_STANCES = {
    Attribution.Stance.ASSERTS: "",
    Attribution.Stance.DENIES: '<strong class="stance-denies">denies the claim</strong>',
    Attribution.Stance.QUESTIONS: '<strong class="stance-questions">questions the claim</strong>',
}


@register.simple_tag
def carried_claims(claims):
    """The claims a speaker carries, an <li> each: was a {% for %} loop of four variables, a
    condition and a verdict_badge per claim (up to 100 a page). Strings escaped with html.escape().
    """
    return mark_safe(  # noqa: S308
        "".join(
            f'<li><a href="{html.escape(str(claim["url"]))}">{html.escape(str(claim["text"]))}</a> — '
            f"{CARRIED_STANCES[claim['stance']]}; "
            f"{verdict_badge(claim['verdict'])}</li>"
            for claim in claims
        )
    )


@register.simple_tag
def evidence_item(item):
    """One attribution on a claim page: the quote in its context, who said it, where and when, and
    where it was printed. `item` is pages._evidence()'s dict.

    Was an {% include %} of snippets/evidence.html per attribution (the claim's and each related
    claim's): writes what it wrote, its newlines and indentation included, each string escaped with
    html.escape() as {{ }} did (the attribution's id, an int, as str() writes it: no thousands
    separator is set).
    """
    quote, speaker, source = item["quote"], item["speaker"], item["source"]
    url = html.escape(str(quote["url"]))
    if quote["passage"]:
        said = quote_in_context(quote["passage"])
    else:
        said = f'<mark class="quote">{html.escape(str(quote["text"]))}</mark>'
    role = f", {html.escape(str(speaker['role']))}" if speaker["role"] else ""
    stance = EVIDENCE_STANCES[item["stance"]]
    translated = " (translated)" if quote["is_translation"] else ""
    venue = f", {html.escape(str(quote['said_venue']))}" if quote["said_venue"] else ""
    said_on = f", {time_tag(quote['said_on'], quote['said_precision'])}" if quote["said_on"] else ""
    printed = ""
    if source["publisher"] or source["published_on"]:
        comma = ", " if source["publisher"] and source["published_on"] else ""
        on = time_tag(source["published_on"], source["published_precision"]) if source["published_on"] else ""
        printed = f" ({html.escape(str(source['publisher']))}{comma}{on})"
    title = html.escape(str(source["title"]))
    note = f'<br><span class="note">{html.escape(str(item["note"]))}</span>' if item["note"] else ""
    return mark_safe(  # noqa: S308
        f'\n<figure class="evidence" id="attribution-{item["id"]}">\n'
        f'  <blockquote class="quote-in-context" cite="{url}">\n'
        f"    <p>{said}</p>\n"
        "  </blockquote>\n"
        "  <figcaption>\n"
        f'    <a href="{html.escape(str(speaker["url"]))}">{html.escape(str(speaker["name"]))}</a>{role}\n'
        f"    {stance}\n"
        f"    — {html.escape(str(quote['kind']).lower())}{translated}{venue}{said_on};\n"
        f'    printed in <a href="{html.escape(str(source["url"]))}">{title}</a>{printed}.\n'
        f'    <a class="quote-link" href="{url}">Read the quote in its source'
        f'<span class="visually-hidden"> ({title})</span></a>\n'
        f"    {note}\n"
        "  </figcaption>\n"
        "</figure>\n"
    )


@register.simple_tag
def quote_in_context(passage):
    """The quote marked inside the sentences around it, every character escaped.

    `passage` is a pages.Passage (prefix, exact, suffix, whether the source starts or ends there).
    """
    if passage is None:
        return ""
    prefix, suffix = formatting.trim_passage(passage.prefix, passage.suffix, passage.at_start, passage.at_end)
    # Plain strings read from the database: html.escape() each, as format_html() did.
    prefix, exact, suffix = html.escape(prefix), html.escape(passage.exact), html.escape(suffix)
    return mark_safe(f'{prefix}<mark class="quote">{exact}</mark>{suffix}')  # noqa: S308


@register.simple_tag
def annotated_text(text, spans):
    """A source's full text with every quote highlighted, as marks a link can point at (#quote-<id>).

    `spans` are (start, end, quote id). Overlapping quotes are cut into pieces, each marked with the
    quotes covering it; a quote's first piece carries its id (or, where several quotes begin at the
    same character, an empty anchor for each).
    """

    # Written as strings, escaped once each: a format_html() per piece was most of a source page's
    # rendering (≈ 80 per page). Keys are quote ids (integers): nothing in them to escape.
    def piece(segment, covering, starting):
        segment = escape(segment)
        if not covering:
            return segment
        classes = " ".join(f"q-{key}" for key in covering)
        covered_by = " ".join(str(key) for key in covering)
        if len(starting) == 1:
            return f'<mark id="quote-{starting[0]}" class="quote {classes}" data-quotes="{covered_by}">{segment}</mark>'
        anchors = "".join(f'<span id="quote-{key}" class="quote-anchor"></span>' for key in starting)
        return f'{anchors}<mark class="quote {classes}" data-quotes="{covered_by}">{segment}</mark>'

    return mark_safe("".join(piece(*segment) for segment in formatting.annotate(text, spans)))  # noqa: S308


def _text(value):
    """`{{ value }}` of a plain value: str(), escaped with html.escape() (as Django's escape() does)."""
    return html.escape(str(value))


def _rationale(text):
    """`{{ text|linebreaks }}` in its <div>."""
    return f'<div class="rationale">{linebreaks(text, autoescape=True)}</div>'


def _rating_scale(review, rating_scale):
    """What snippets/rating_scale.html wrote for `review`, its file's last newline included."""
    shown = review["verdict"] or {}
    if shown.get("name"):
        name = f'<strong class="verdict-badge verdict-{_text(review["rating_value"])}">{_text(shown["name"])}</strong>'
    else:
        name = f'<strong class="verdict-badge verdict-other">{_text(shown.get("label", ""))}</strong>'
    written = f'<p class="verdict-name">{name}</p>\n'
    rating = review["rating_value"]
    if rating and rating != "unverifiable":
        steps = "".join(
            f'<li class="current step-{_text(value)}" aria-current="true">{_text(label)}</li>'
            if value == rating
            else f'<li class="step-{_text(value)}">{_text(label)}</li>'
            for value, label in rating_scale
        )
        written += (
            f'\n<ol class="rating-scale" aria-label="The verdict on the scale from False to True">\n  {steps}\n</ol>\n'
        )
    return written + "\n"


def _related_claims(related, heading):
    """What snippets/related_claims.html wrote for one side of the claim, its last newline included."""
    if not related:
        return "\n"
    entries = []
    for entry in related:
        claim = entry["claim"]
        note = f'<p class="note">{_text(entry["note"])}</p>' if entry["note"] else ""
        evidence = "".join(evidence_item(item) for item in entry["evidence"]) or (
            '<p class="empty">No published quotation carries it yet.</p>'
        )
        entries.append(
            f'\n  <li class="related-claim" data-claim="{claim["id"]}">\n'
            f'    <p class="related-claim-title"><a href="{_text(claim["url"])}">{_text(claim["text"])}</a> '
            f"{verdict_badge(claim['verdict'])}</p>\n"
            f"    {note}\n"
            f"    {evidence}\n"
            "  </li>\n"
        )
    return f'\n<h3>{_text(heading)}</h3>\n<ul class="related-claims">\n{"".join(entries)}\n</ul>\n\n'


def _byline(verdict):
    if verdict["publisher_name"]:
        publisher = _text(verdict["publisher_name"])
        if verdict["publisher_url"]:
            publisher = f'<a href="{_text(verdict["publisher_url"])}">{publisher}</a>'
        fact_check = f' (<a href="{_text(verdict["url"])}">their fact-check</a>)' if verdict["url"] else ""
        by = f"Published by {publisher}{fact_check}"
    else:
        by = f"Reviewed by {_text(verdict['reviewer'] or 'a reviewer')}"
    when = f", {time_tag(verdict['published_at'])}" if verdict["published_at"] else ""
    return by + when


def _verdict_section(claim, verdict, rating_scale):
    if not verdict:
        why = ""
        if claim.review_status == "in_review":
            why = " A reviewer is working on it."
        elif claim.is_disputed:
            why = " This claim is disputed and waits for a reviewer."
        return f'\n    <p class="not-reviewed">Not yet reviewed.{why}</p>\n    '
    shown = verdict["verdict"] or {}
    label = ""
    if shown.get("label") and shown["label"] != shown["name"]:
        label = f'<p class="publisher-label">The publisher’s verdict: <strong>{_text(shown["label"])}</strong></p>'
    rationale = _rationale(verdict["rationale"]) if verdict["rationale"] else ""
    cited = ""
    if verdict["evidence_sources"] or verdict["evidence_quotes"]:
        sources = "".join(
            f'<li><a href="{_text(source["url"])}">{_text(source["title"])}</a></li>'
            for source in verdict["evidence_sources"]
        )
        quotes = "".join(
            f'<li>{_text(quote["speaker"])}: <a href="{_text(quote["url"])}">“{_text(quote["text"])}”</a></li>'
            for quote in verdict["evidence_quotes"]
        )
        cited = (
            "\n      <h3>Evidence</h3>\n"
            '      <ul class="evidence-list">\n'
            f"        {sources}\n"
            f"        {quotes}\n"
            "      </ul>\n      "
        )
    return (
        f'\n    <div id="review-{verdict["id"]}" class="review">\n'
        f"      {_rating_scale(verdict, rating_scale)}\n"
        f"      {label}\n"
        f"      {rationale}\n"
        f"      {cited}\n"
        '      <p class="byline">\n'
        f"        {_byline(verdict)}.\n"
        "      </p>\n"
        "    </div>\n    "
    )


def _earlier_review(review):
    published = f"published {time_tag(review['published_at'])}" if review["published_at"] else ""
    superseded = ", superseded when the claim was reopened" if review["status"] == "superseded" else ""
    rationale = _rationale(review["rationale"]) if review["rationale"] else ""
    return (
        f'\n      <li id="review-{review["id"]}">{verdict_badge(review["verdict"])} '
        f"{published}{superseded}.{rationale}</li>\n    "
    )


def _claim_api_path(view, claim):
    """The path of the API's `view` of `claim` (detail, claimreview, history), under the script prefix."""
    before, after = path_parts(f"api:claim-{view}", "pk")
    return html.escape(f"{before}{claim.pk}{after}")


@register.simple_tag(takes_context=True)
def claim_article(context):
    """The claim page's <article>, from what pages.claim_page() and views.claim() put in the context.

    Was claim.html's content block with two {% include %}s (rating_scale.html, related_claims.html
    four times): ≈ 60 nodes a page, most of its rendering. Writes what they wrote, newlines and
    indentation included, each string escaped with html.escape() as {{ }} did; ids (ints) as str()
    writes them, as {{ }} did with no thousands separator set.
    """
    claim, verdict, sides = context["claim"], context["verdict"], context["sides"]
    disputed = '<span class="tag tag-disputed">Disputed</span>' if claim.is_disputed else ""
    in_review = '<span class="tag">In review</span>' if claim.review_status == "in_review" else ""
    topics = "".join(
        f'<a class="tag" href="{_text(topic["url"])}">{_text(topic["name"])}</a>' for topic in context["topics"]
    )
    evidence = "".join(evidence_item(item) + "\n    " for item in context["evidence"]) or (
        '<p class="empty">No published quotation carries this claim yet.</p>'
    )
    both_sides = ""
    if context["has_sides"]:
        both_sides = (
            '\n  <section aria-labelledby="sides-heading">\n'
            '    <h2 id="sides-heading">Both sides</h2>\n'
            f"    {_related_claims(sides['disputed_by'], 'Claims that dispute it')}\n"
            f"    {_related_claims(sides['disputes'], 'Claims it disputes')}\n"
            f"    {_related_claims(sides['supported_by'], 'Claims that support it')}\n"
            f"    {_related_claims(sides['supports'], 'Claims it supports')}\n"
            "  </section>\n  "
        )
    svg = ""
    if context["graph_svg"]:
        svg = (
            '\n  <section aria-labelledby="graph-heading">\n'
            '    <h2 id="graph-heading">The dispute around this claim</h2>\n'
            '    <figure class="dispute-graph-figure">\n'
            f"      {conditional_escape(context['graph_svg'])}\n"
            "      <figcaption>Claims up to two steps away: red dashed arrows dispute, green arrows support. "
            "Each circle links to its claim.</figcaption>\n"
            "    </figure>\n"
            "  </section>\n  "
        )
    earlier = ""
    if context["earlier_reviews"]:
        earlier = (
            '\n  <section aria-labelledby="earlier-heading">\n'
            '    <h2 id="earlier-heading">Earlier verdicts</h2>\n'
            '    <ul class="earlier-reviews">\n    '
            f"{''.join(_earlier_review(review) for review in context['earlier_reviews'])}\n"
            "    </ul>\n"
            "  </section>\n  "
        )
    events = "".join(f"<li>{_text(event['label'])} {time_tag(event['at'])}</li>" for event in context["history"])
    changed = f"<li>Last changed {time_tag(claim.updated_at)}</li>" if claim.version > 1 else ""
    claimreview = (
        f', <a href="{_claim_api_path("claimreview", claim)}">its ClaimReview</a>' if context.get("json_ld") else ""
    )
    return mark_safe(  # noqa: S308
        f'\n<article class="claim" data-claim="{claim.pk}">\n'
        '  <header class="claim-header">\n'
        '    <p class="kicker">Claim</p>\n'
        f"    <h1>{_text(claim.text)}</h1>\n"
        '    <p class="claim-tags">\n'
        f"      {verdict_badge(verdict['verdict'] if verdict else None)}\n"
        f"      {disputed}\n"
        f"      {in_review}\n"
        f"      {topics}\n"
        "    </p>\n"
        "  </header>\n"
        "\n"
        '  <section class="verdict" aria-labelledby="verdict-heading">\n'
        '    <h2 id="verdict-heading">Verdict</h2>\n'
        f"    {_verdict_section(claim, verdict, context['rating_scale'])}\n"
        "  </section>\n"
        "\n"
        '  <section aria-labelledby="evidence-heading">\n'
        '    <h2 id="evidence-heading">Who made this claim</h2>\n'
        f"    {evidence}\n"
        "  </section>\n"
        "\n"
        f"  {both_sides}\n"
        "\n"
        f"  {svg}\n"
        "\n"
        f"  {earlier}\n"
        "\n"
        '  <section aria-labelledby="history-heading">\n'
        '    <h2 id="history-heading">History</h2>\n'
        '    <ul class="history">\n'
        f"      <li>Created {time_tag(claim.created_at)}</li>\n"
        f"      {events}\n"
        f"      {changed}\n"
        "    </ul>\n"
        f'    <p class="machine-readable">Machine-readable: <a href="{_claim_api_path("detail", claim)}">this claim in '
        f'the API</a>{claimreview}, <a href="{_claim_api_path("history", claim)}">its full edit history</a>.</p>\n'
        "  </section>\n"
        "</article>\n"
    )


def claim_card_items(cards):
    """A non-empty list of cards (pages.claim_cards()) as a <ul>, each card an <article>."""
    items = []
    for card in cards:
        disputed = '<span class="tag tag-disputed">Disputed</span>' if card["is_disputed"] else ""
        speakers = ""
        if card["speakers"]:
            speakers = ", ".join(
                f'<a href="{_text(speaker["url"])}">{_text(speaker["name"])}</a>'
                + (f" ({_text(speaker['stance'])})" if speaker["stance"] != "asserts" else "")
                for speaker in card["speakers"]
            )
            speakers = f'<span class="claim-card-speakers">{speakers}</span>'
        items.append(
            '<li><article class="claim-card">\n'
            f'  <h3 class="claim-card-title"><a href="{_text(card["url"])}">{_text(card["text"])}</a></h3>\n'
            '  <p class="claim-card-meta">\n'
            f"    {verdict_badge(card['verdict'])}\n"
            f"    {disputed}\n"
            f"    {speakers}\n"
            "  </p>\n"
            "</article>\n</li>\n"
        )
    return f'\n<ul class="cards">\n{"".join(items)}\n</ul>\n\n'


def _search_results(kind, results):
    """One search section's results, as search.html's {% if %} on the kind wrote them."""
    if not results:
        return f'<p class="empty">No {_text(kind)} match.</p>\n  '
    if kind == "claims":
        return claim_card_items(results) + "\n  "
    if kind == "quotes":
        items = []
        for quote in results:
            if quote["said_on"]:
                day = f", {time_tag(quote['said_on'], quote['said_precision'])}"
            elif quote["source__published_on"]:
                day = f", {time_tag(quote['source__published_on'], quote['source__published_precision'])}"
            else:
                day = ""
            items.append(
                f'<li><a href="{_text(quote["url"])}">“{_text(Truncator(quote["text"]).chars(300))}”</a> — '
                f'<a href="{_text(quote["speaker_url"])}">{_text(quote["speaker__name"])}</a>, '
                f"in {_text(quote['source__title'])}{day}</li>"
            )
    elif kind == "speakers":
        items = [
            f'<li><a href="{_text(speaker["url"])}">{_text(speaker["name"])}</a>'
            + (f" — {_text(Truncator(speaker['description']).chars(160))}" if speaker["description"] else "")
            + "</li>"
            for speaker in results
        ]
    else:
        items = []
        for source in results:
            publisher = f" — {_text(source['publisher'])}" if source["publisher"] else ""
            day = ""
            if source["published_on"]:
                day = f", {time_tag(source['published_on'], source['published_precision'])}"
            items.append(f'<li><a href="{_text(source["url"])}">{_text(source["title"])}</a>{publisher}{day}</li>')
    return f'\n  <ul class="results">{"".join(items)}</ul>\n  '


@register.simple_tag
def claim_cards(cards, empty="Nothing here yet."):
    """{% claim_cards cards empty="…" %}: the cards of a list of claims (pages.claim_cards()), or `empty`
    in a paragraph when there are none. Written by one function, not a template included per card:
    the search page writes its claims' cards with it too."""
    if not cards:
        return mark_safe(f'\n<p class="empty">{conditional_escape(empty)}</p>\n\n')  # noqa: S308
    return mark_safe(claim_card_items(cards))  # noqa: S308


@register.simple_tag(takes_context=True)
def pagination(context):
    """{% pagination %}: links to the previous and next pages of a list, from the context's `page`,
    `has_next` and `extra_query` (the list's other query parameters)."""
    return mark_safe(_pagination(context["page"], context["has_next"], context["extra_query"]))  # noqa: S308


def _pagination(page, has_next, extra_query):
    """The pagination <nav> of page `page` of a list ({% pagination %})."""
    if not (page > 1 or has_next):
        return "\n"
    query = f"{conditional_escape(extra_query)}&amp;" if extra_query else ""
    previous = f'<li><a rel="prev" href="?{query}page={page - 1}">Previous page</a></li>' if page > 1 else ""
    following = f'<li><a rel="next" href="?{query}page={page + 1}">Next page</a></li>' if has_next else ""
    return (
        '\n<nav class="pagination" aria-label="Pages">\n'
        "  <ul>\n"
        f"    {previous}\n"
        f'    <li aria-current="page">Page {page}</li>\n'
        f"    {following}\n"
        "  </ul>\n"
        "</nav>\n\n"
    )


@register.simple_tag(takes_context=True)
def search_sections(context):
    """The search page's sections (pages.search()), from the view's context.

    Was search.html's {% for %} over the sections, with an {% include %} of the claim cards (a
    further include per card) and of the pagination: ≈ 8 ms of a 27 ms page. Writes what they
    wrote, newlines and indentation included, each string escaped with html.escape() as {{ }} did;
    the cards and the pagination as {% claim_cards %} and {% pagination %} write them on other pages.
    """
    q, kind, page = context["q"], context["kind"], context["page"]
    written = []
    for section in context["sections"] or ():
        name = section["kind"]
        if kind:
            more = "\n    " + _pagination(page, section["has_next"], context["extra_query"]) + "\n  "
        elif section["has_next"]:
            more = f'<p><a href="?q={_text(url_quote(q, safe="/"))}&amp;kind={_text(name)}">More {_text(name)}</a></p>'
        else:
            more = ""
        written.append(
            f'\n<section class="search-section" aria-labelledby="results-{_text(name)}">\n'
            f'  <h2 id="results-{_text(name)}">{_text(capfirst(name))}</h2>\n'
            f"  {_search_results(name, section['results'])}\n"
            f"  {more}\n"
            "</section>\n"
        )
    return mark_safe("".join(written))  # noqa: S308
