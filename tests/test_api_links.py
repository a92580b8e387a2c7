"""Resource links are built from one reverse() per view, and equal what reverse() gives for each."""

import pytest
from rest_framework.reverse import reverse
from rest_framework.test import APIRequestFactory

from claims.api.serializers import href_template


@pytest.mark.parametrize("value", ["choguel-maiga", "42", 42, "a b", "goïta", "50%", "jama’at", "x~y_z"])
def test_a_link_equals_the_reversed_url_whatever_the_characters(value):
    request = APIRequestFactory().get("/api/")
    expected = reverse("api:speaker-detail", kwargs={"slug": value}, request=request)
    assert href_template(request, "api:speaker-detail", "slug")(value) == expected


def test_links_follow_the_script_prefix_a_deployment_serves_the_api_under(db):
    from django.test import Client
    from django.test.utils import override_script_prefix

    from tests import factories

    claim = factories.claim()
    for prefix in ("/", "/sahel/", "/"):  # each read after another one under another prefix
        with override_script_prefix(prefix):
            for path in (f"/api/claims/{claim.pk}/", "/api/claims/"):
                body = Client().get(path).json()
                href = body["href"] if "href" in body else body["results"][0]["href"]
                assert href == f"http://testserver{prefix}api/claims/{claim.pk}/"


def test_every_memo_of_reverse_follows_the_urlconf_and_the_script_prefix_it_is_read_under():
    """The API's links, the site's links and base.html's fixed links all come from one memo of
    reverse() (claims/paths.py): read under each URLconf and script prefix in turn, after reads under
    the others, each equals reverse() there (fails if either leaves the memo's key)."""
    from django.urls import reverse as django_reverse
    from django.urls import set_script_prefix, set_urlconf
    from django.utils.html import escape

    from claims.site import pages
    from claims.site.templatetags.site_tags import fixed_url

    request = APIRequestFactory().get("/api/")
    read_under = [(None, "/"), ("tests.urls_elsewhere", "/"), (None, "/sahel/"), ("tests.urls_elsewhere", "/sahel/")]
    paths = set()
    for urlconf, prefix in read_under * 2:
        set_urlconf(urlconf)
        set_script_prefix(prefix)
        try:
            claim = django_reverse("site:claim", args=["a-claim"])
            assert pages.site_url("site:claim", "a-claim") == claim
            assert pages.site_link("site:speaker")("x_1") == django_reverse("site:speaker", args=["x_1"])
            assert fixed_url("site:verdict-feed") == escape(django_reverse("site:verdict-feed"))
            speaker = request.build_absolute_uri(django_reverse("api:speaker-detail", kwargs={"slug": "goïta"}))
            assert href_template(request, "api:speaker-detail", "slug")("goïta") == speaker
            paths.add(claim)
        finally:
            set_urlconf(None)
            set_script_prefix("/")
    assert paths == {f"{prefix}{mount}claims/a-claim/" for prefix in ("/", "/sahel/") for mount in ("", "elsewhere/")}


def test_a_link_follows_the_host_and_the_scheme_of_each_request(db, settings):
    """Links are built once per scheme, host and path (serializers.href_parts): a request with another
    Host or X-Forwarded-Proto, after one without, gets its own (fails if either leaves the memo's key)."""
    from django.test import Client

    from tests import factories

    settings.ALLOWED_HOSTS = ["testserver", "example.org", "example.org:8080"]
    claim = factories.claim()
    requests = [("testserver", None), ("example.org", None), ("example.org:8080", "https"), ("testserver", None)]
    for host, proto in requests:
        headers = {"X-Forwarded-Proto": proto} if proto else {}
        body = Client().get("/api/claims/", headers=headers, HTTP_HOST=host).json()
        scheme = proto or "http"
        assert body["results"][0]["href"] == f"{scheme}://{host}/api/claims/{claim.pk}/"


def test_the_links_memo_keeps_no_more_than_its_bound(settings):
    from claims.api import serializers

    settings.ALLOWED_HOSTS = ["*"]
    for number in range(serializers.ABSOLUTE_PARTS_KEPT + 10):
        request = APIRequestFactory().get("/api/", HTTP_HOST=f"host{number}.example")
        assert href_template(request, "api:claim-detail", "pk")(7) == f"http://host{number}.example/api/claims/7/"
        assert len(serializers.ABSOLUTE_PARTS) <= serializers.ABSOLUTE_PARTS_KEPT
