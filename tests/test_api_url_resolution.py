"""Resolving an API path: each resource's routes sit behind one test of its prefix (claims/api/urls.py).

Grouped, a path must resolve to exactly what the router's flat list of patterns resolves it to (view,
arguments, route, name), every name must reverse to the same URL, and a path is no longer tried against
the other resources' regular expressions.
"""

import types

import pytest
from django.urls import NoReverseMatch, get_resolver, include, path, resolve, reverse

from claims.api import urls as api_urls

PATHS = [
    "/api/",
    "/api/.json",
    "/api/relations/",
    "/api/relations.json",
    "/api/relations.csv",
    "/api/relations/7/",
    "/api/relations/7.json",
    "/api/claims/",
    "/api/claims/disputed/",
    "/api/claims/disputed.csv",
    "/api/claims/5/",
    "/api/claims/5/history/",
    "/api/claims/5/claimreview.json",
    "/api/claims/slug-not-a-key/",
    "/api/speakers/some-one/",
    "/api/speakers/some-one/quotes/",
    "/api/sources/a-source/",
    "/api/quotes/3/",
    "/api/attributions/",
    "/api/reviews/2/",
    "/api/auth/token/",
    "/api/claimsx/",
    "/api/claims",
    "/api/relations/7/extra/",
    "/api/nothing-here/",
]


def flat_urlconf():
    """The root URLconf with the API's router patterns listed flat, as the router gives them."""
    from sahel import urls as root_urls

    api = [api_urls.urlpatterns[0], *api_urls.router.urls, api_urls.urlpatterns[-1]]
    module = types.ModuleType("flat_urls")
    module.urlpatterns = [
        path("api/", include((api, "api"), namespace="api")) if str(pattern.pattern) == "api/" else pattern
        for pattern in root_urls.urlpatterns
    ]
    return module


FLAT = flat_urlconf()


def _described(match):
    return (match.func, match.args, match.kwargs, match.url_name, match.route, match.view_name, match.namespaces)


@pytest.mark.parametrize("requested", PATHS)
def test_an_api_path_resolves_as_the_routers_flat_patterns_resolve_it(requested):
    assert _described(resolve(requested)) == _described(resolve(requested, urlconf=FLAT))


def _reversed(name, kwargs, urlconf=None):
    try:
        return reverse(name, kwargs=kwargs, urlconf=urlconf)
    except NoReverseMatch:
        return None


def test_every_api_route_reverses_as_before():
    names = {pattern.name for pattern in api_urls.router.urls}
    reversed_somewhere = 0
    for name in names:
        for kwargs in ({}, {"pk": 5}, {"slug": "some-one"}, {"format": "json"}, {"pk": 5, "format": "json"}):
            url = _reversed(f"api:{name}", kwargs)
            assert url == _reversed(f"api:{name}", kwargs, FLAT)
            reversed_somewhere += url is not None
    assert reversed_somewhere > len(names)  # every name reversed, most of them with and without a format


def test_an_api_path_is_not_tried_against_other_resources_patterns():
    match = get_resolver().resolve("/api/relations/")
    tried_leaves = [str(chain[-1].pattern) for chain in match.tried]
    others = [prefix for prefix, _, _ in api_urls.router.registry if prefix != "relations"]
    assert not [leaf for leaf in tried_leaves if leaf.startswith(tuple(f"^{prefix}" for prefix in others))]


def test_an_api_path_is_matched_against_its_own_resources_patterns_only(monkeypatch):
    matched_against = []
    for pattern in api_urls.router.urls:
        monkeypatch.setattr(pattern, "resolve", _recording(pattern, matched_against))
    for requested, prefix in (("/api/relations/", "relations"), ("/api/reviews/2.json", "reviews")):
        matched_against.clear()
        resolve(requested)
        assert matched_against and all(regex.startswith(f"^{prefix}") for regex in matched_against)


def _recording(pattern, matched_against):
    resolve_pattern = pattern.resolve

    def recorded(path):
        matched_against.append(str(pattern.pattern))
        return resolve_pattern(path)

    return recorded


def test_an_api_path_is_not_tried_against_the_admin():
    match = get_resolver().resolve("/api/relations/")
    assert not [chain for chain in match.tried if str(chain[0].pattern) == "admin/"]
    assert resolve("/admin/").app_name == "admin"
