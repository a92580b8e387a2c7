"""The site's cheaper template tags write what the old ones wrote: time_tag and quote_in_context as
format_html() wrote them, fixed_url and the claim page's topic links as {% url %} wrote them, under
any script prefix (one that needs escaping included); verdict_badge as its old snippet did."""

from datetime import date, datetime

import pytest
from django.template import engines
from django.test import Client
from django.urls import set_script_prefix
from django.utils.html import format_html

from claims.models import Rating
from claims.site import formatting, pages
from claims.site.templatetags.site_tags import quote_in_context, time_tag, verdict_badge
from tests import factories

PREFIXES = ["/", "/sahel/", "/a&b<c>/"]


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
