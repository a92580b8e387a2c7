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
