"""What every public page shares is rendered once: base.html's invariant frame once per process for
each script prefix (and what it reads: settings, the static manifest), no context processor per page;
pages stay the same whoever reads them."""

import pytest
from django.template import engines
from django.test import Client
from django.urls import get_script_prefix, reverse, set_script_prefix
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.site.templatetags import site_tags
from tests import factories

pytestmark = pytest.mark.django_db

PREFIXES = ["/", "/sahel/", "/a&b<c>/"]


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    """Pages rendered for every request, not replayed from the read cache (on PostgreSQL)."""
    settings.API_READ_CACHE_SECONDS = 0


def get(path, prefix="/", client=None):
    """The page at `path` served under the script prefix `prefix`, as a WSGI server passes it (the test
    client leaves the prefix as it finds it)."""
    set_script_prefix(prefix)
    try:
        response = (client or Client()).get(path, SCRIPT_NAME=prefix.rstrip("/"))
    finally:
        set_script_prefix("/")
    assert response.status_code == 200, path
    return response


@pytest.fixture
def counted_path_parts(monkeypatch):
    """The calls of base.html's link tags (fixed_url) to claims.paths.path_parts."""
    calls = []
    original = site_tags.path_parts

    def counting(*args):
        calls.append(args)
        return original(*args)

    monkeypatch.setattr(site_tags, "path_parts", counting)
    return calls


def test_the_frame_of_a_page_is_rendered_once_per_script_prefix(counted_path_parts):
    get("/about/")
    get("/accessibility/", "/sahel/")
    counted_path_parts.clear()
    get("/about/")
    get("/accessibility/")
    get("/about/", "/sahel/")
    assert counted_path_parts == []  # base.html's nine links were each reversed once per prefix


@pytest.mark.parametrize("prefix", PREFIXES)
def test_the_frame_follows_the_script_prefix_it_is_served_under(prefix):
    # Each prefix's frame after another's, in one process: none is served the other's links.
    for served in [*PREFIXES, prefix]:
        body = get("/about/", served).content.decode()
    set_script_prefix(prefix)
    try:
        names = ("home", "verdicts", "topics", "about", "search", "accessibility", "verdict-feed")
        links = {name: escape(reverse(f"site:{name}")) for name in names}
    finally:
        set_script_prefix("/")
    for name, link in links.items():
        assert f'href="{link}"' in body or f'action="{link}"' in body, name


def test_the_frame_follows_the_static_settings(settings):
    get("/about/")
    settings.STATIC_URL = "https://cdn.example.org/sahel/"
    assert 'href="https://cdn.example.org/sahel/site/site.css"' in get("/about/").content.decode()


def test_what_an_invariant_block_encloses_is_written_as_rendered_first():
    template = engines["django"].from_string(
        "{% load site_tags %}{% invariant %}<a href=\"{% fixed_url 'site:home' %}\">{{ name }}</a>{% endinvariant %}"
    )
    assert template.render({"name": "first"}) == '<a href="/">first</a>'
    assert template.render({"name": "second"}) == '<a href="/">first</a>'  # hence: no context variable inside
    set_script_prefix("/sahel/")
    try:
        assert template.render({"name": "third"}) == '<a href="/sahel/">third</a>'
    finally:
        set_script_prefix("/")


def test_a_page_reads_what_its_invariant_blocks_vary_with_once(monkeypatch):
    """The URLconf, script prefix and language the blocks' texts are kept by are read once per
    render, not once per block (base.html has five), and afresh for the next render."""
    template = engines["django"].from_string(
        "{% load site_tags %}"
        + "{% invariant %}<a href=\"{% fixed_url 'site:home' %}\">home</a>{% endinvariant %}{{ name }}" * 3
    )
    read = []
    monkeypatch.setattr(site_tags, "get_script_prefix", lambda: read.append("prefix") or get_script_prefix())
    assert template.render({"name": "!"}) == '<a href="/">home</a>!' * 3
    assert read == ["prefix"]
    set_script_prefix("/sahel/")
    try:
        assert template.render({"name": "?"}) == '<a href="/sahel/">home</a>?' * 3
    finally:
        set_script_prefix("/")
    assert read == ["prefix", "prefix"]


calls_of_a_context_processor = []


def counting_context_processor(request):
    calls_of_a_context_processor.append(request.path)
    return {}


def test_pages_are_rendered_without_context_processors(settings, reviewer):
    """They read nothing of the request, its user or its messages: pages are the same for everyone."""
    engine = settings.TEMPLATES[0]
    processors = [*engine["OPTIONS"]["context_processors"], f"{__name__}.counting_context_processor"]
    settings.TEMPLATES = [{**engine, "OPTIONS": {**engine["OPTIONS"], "context_processors": processors}}]
    attribution = factories.attribution()
    calls_of_a_context_processor.clear()
    for path in ("/", "/about/", f"/claims/{attribution.claim.slug}/", f"/speakers/{attribution.quote.speaker.slug}/"):
        get(path)
    assert calls_of_a_context_processor == []


@pytest.fixture
def reviewer(working_groups):
    return factories.user(groups=["reviewers"], is_staff=True)


def test_a_signed_in_curator_is_served_the_page_a_reader_is(reviewer):
    attribution = factories.attribution()
    signed_in = Client()
    signed_in.force_login(reviewer)
    for path in ("/", "/about/", f"/claims/{attribution.claim.slug}/", f"/speakers/{attribution.quote.speaker.slug}/"):
        anonymous, curator = get(path), get(path, client=signed_in)
        assert curator.content == anonymous.content
        assert sorted(curator.items()) == sorted(anonymous.items())


# base.html's <head> lines as they were, each value a {{ }}.
OLD_PAGE_HEAD = """<title>{{ page_title }} · {{ site_name }}</title>
<meta name="description" content="{{ page_description }}">
<link rel="canonical" href="{{ canonical_url }}">
<meta property="og:site_name" content="{{ site_name }}">
<meta property="og:title" content="{{ page_title }}">
<meta property="og:description" content="{{ page_description }}">
<meta property="og:url" content="{{ canonical_url }}">
<meta property="og:type" content="{{ og_type }}">"""


@pytest.mark.parametrize(
    "title",
    ["Plain", 'Quotes "double" & \'single\' <b>', mark_safe("<em>safe</em> &amp;"), "Maïga · 2019", ""],
)
def test_page_head_writes_what_its_variables_wrote(title):
    context = {
        "page_title": title,
        "site_name": "Sahel Claims",
        "page_description": f"About {title}",
        "canonical_url": "https://example.org/claims/a?page=2&x=<y>",
        "og_type": "article",
    }
    new = engines["django"].from_string("{% load site_tags %}{% page_head %}").render(context)
    assert new == engines["django"].from_string(OLD_PAGE_HEAD).render(context)
    partial = {"page_title": title}  # a value the context lacks is written as nothing, as {{ }} wrote it
    assert engines["django"].from_string("{% load site_tags %}{% page_head %}").render(partial) == (
        engines["django"].from_string(OLD_PAGE_HEAD).render(partial)
    )


def test_extends_does_not_walk_inside_the_invariant_blocks_of_base_html():
    """{% extends %} searches its root template's node tree for {% block %}s on every page."""
    from django.template.base import Node

    base = engines["django"].engine.get_template("site/base.html")
    walked = base.nodelist.get_nodes_by_type(Node)
    invariant = [node for node in walked if isinstance(node, site_tags.InvariantNode)]
    assert len(invariant) >= 3
    assert not [inner for block in invariant for inner in block.nodelist if inner in walked]
