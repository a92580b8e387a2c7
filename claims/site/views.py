"""The public site's pages: thin views over pages.py's selectors, cached by caching.public_page."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from ..claimreview import json_ld_for_html
from . import pages
from .caching import public_page, set_last_modified

SITE_NAME = "Sahel Claims"
DESCRIPTION = (
    "Who said what about the war in Mali and the Sahel, where it was said and reported, which claims "
    "dispute each other, and what reviewers concluded."
)


def page(request, template, context, *, title, description=DESCRIPTION, og_type="website", status=200):
    """Render a page with what base.html needs: its title, description and canonical address.

    Rendered without the request: its context processors (request, user, perms, messages, csrf_token)
    gave the templates nothing they read (pages are the same for every reader), and a RequestContext
    cost ≈ 0.14 ms of every page's Python.
    """
    canonical = settings.SITE_URL + request.path
    if context.get("page", 1) > 1:
        canonical += f"?page={context['page']}"
    html = get_template(template).render(
        {
            # base.html's search box and the pagination snippet read these on every page: a variable
            # the context lacks costs Django an exception and a debug log call each time.
            "q": "",
            "extra_query": "",
            **context,
            "site_name": SITE_NAME,
            "page_title": title,
            "page_description": description,
            "canonical_url": canonical,
            "og_type": og_type,
        }
    )
    return HttpResponse(html, status=status)


def _excerpt(text, length=200):
    return text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"


@require_safe
@public_page
def home(request):
    return page(request, "site/home.html", pages.home(), title="Claims and verdicts on the war in the Sahel")


@require_safe
@public_page
def claim(request, slug):
    data = pages.claim_page(slug)
    if data["claimreview"]:
        # claimreview JSON-LD, escaped so no text in the record can end the <script> element.
        data["json_ld"] = mark_safe(json_ld_for_html(data["claimreview"]))  # noqa: S308
    data["graph_svg"] = mark_safe(data["graph_svg"])  # noqa: S308 (graph.dispute_svg escapes all it writes)
    verdict = data["verdict"]
    description = (
        f"{verdict['verdict']['name'] or verdict['verdict']['label']}: {_excerpt(data['claim'].text)}"
        if verdict and verdict["verdict"]
        else f"Not yet reviewed: {_excerpt(data['claim'].text)}"
    )
    response = page(
        request,
        "site/claim.html",
        data,
        title=_excerpt(data["claim"].text, 90),
        description=description,
        og_type="article",
    )
    return set_last_modified(response, data["last_modified"])


@require_safe
@public_page
def speaker(request, slug):
    data = pages.speaker_page(slug, pages.page_number(request.GET.get("page")))
    person = data["speaker"]
    description = _excerpt(person.description) if person.description else f"Statements by {person.name} in the record."
    response = page(request, "site/speaker.html", data, title=person.name, description=description, og_type="profile")
    return set_last_modified(response, data["last_modified"])


@require_safe
@public_page
def source(request, slug):
    data = pages.source_page(slug)
    document = data["source"]
    description = f"{document.get_kind_display()}" + (f", {document.publisher}" if document.publisher else "")
    response = page(request, "site/source.html", data, title=document.title, description=description, og_type="article")
    return set_last_modified(response, data["last_modified"])


@require_safe
@public_page
def search(request):
    term = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    context = {"q": term, "kind": kind, "kinds": pages.SEARCH_KINDS, "page": 1, "sections": None}
    if kind and kind not in pages.SEARCH_KINDS:
        context["error"] = f"“kind” must be one of {', '.join(pages.SEARCH_KINDS)}."
        return page(request, "site/search.html", context, title="Search", status=400)
    if len(term) > pages.MAX_QUERY_LENGTH:
        context["error"] = f"The search “q” is {len(term)} characters long; the limit is {pages.MAX_QUERY_LENGTH}."
        context["q"] = ""
        return page(request, "site/search.html", context, title="Search", status=400)
    if term:
        context["page"] = pages.page_number(request.GET.get("page"))
        context["sections"] = pages.search(term, kind, context["page"])
        context["extra_query"] = urlencode({"q": term, "kind": kind})
    title = f"Search: {term}" if term else "Search"
    return page(request, "site/search.html", context, title=title)


@require_safe
@public_page
def topics(request):
    return page(request, "site/topic_list.html", {"topics": pages.topics_with_counts()}, title="Topics")


@require_safe
@public_page
def topic(request, slug):
    data = pages.topic_page(slug, pages.page_number(request.GET.get("page")))
    return page(request, "site/topic.html", data, title=f"Topic: {data['topic'].name}")


@require_safe
@public_page
def verdicts(request, rating=""):
    data = pages.verdicts_page(rating, pages.page_number(request.GET.get("page")))
    title = f"Verdicts: {data['rating_name']}" if rating else "Verdicts"
    return page(request, "site/verdict_list.html", data, title=title)


@require_safe
@public_page
def accessibility(request):
    return page(request, "site/accessibility.html", {}, title="Accessibility statement")


@require_safe
@public_page
def about(request):
    return page(request, "site/about.html", {}, title="About the record")


@require_safe
@public_page
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}{reverse('site:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
