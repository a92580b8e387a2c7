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
