"""The OpenAPI schema generates without warnings and documents every endpoint, header and error."""

import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))  # raises on any warning
    return yaml.safe_load(path.read_text())


def test_schema_lists_every_resource(schema):
    for resource in ["speakers", "sources", "quotes", "claims", "relations", "attributions", "reviews"]:
        assert f"/api/{resource}/" in schema["paths"]
        assert any(path.startswith(f"/api/{resource}/{{") for path in schema["paths"])
    assert "/api/claims/disputed/" in schema["paths"]
    assert "/api/speakers/{slug}/quotes/" in schema["paths"]


def test_schema_documents_filters_and_errors(schema):
    claims = schema["paths"]["/api/claims/"]["get"]
    names = {parameter["name"] for parameter in claims["parameters"]}
    assert {
        "q",
        "speaker",
        "topic",
        "source",
        "disputed",
        "review_status",
        "said_after",
        "ordering",
        "page_size",
    } <= names
    assert {"200", "400", "429"} <= set(claims["responses"])
    patch = schema["paths"]["/api/claims/{id}/"]["patch"]
    assert "If-Match" in {parameter["name"] for parameter in patch["parameters"]}
    assert {"200", "400", "401", "403", "404", "412"} <= set(patch["responses"])
    assert "ETag" in patch["responses"]["200"]["headers"]
    delete = schema["paths"]["/api/speakers/{slug}/"]["delete"]
    assert {"204", "401", "403", "404", "409", "412"} <= set(delete["responses"])


def test_schema_is_served_as_json(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Sahel Claims API"


def test_docs_page_serves_its_assets_locally(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [url for url in sources if url.startswith(("http:", "https:", "//"))]
    asset = next(url for url in sources if url.endswith(".js"))
    assert client.get(asset).status_code == 200


@pytest.mark.django_db
def test_a_claims_history_and_claimreview_are_documented_as_the_lists_they_return(schema, api):
    from tests import factories

    claim = factories.claim()
    for path in ("/api/claims/{id}/history/", "/api/claims/{id}/claimreview/"):
        content = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert content["schema"]["type"] == "array", path
        response = api.get(path.format(id=claim.pk), HTTP_ACCEPT="application/json")
        assert response.status_code == 200 and isinstance(response.json(), list), path
    entry = schema["components"]["schemas"]["HistoryEntry"]["properties"]
    assert set(api.get(f"/api/claims/{claim.pk}/history/").json()[0]) == set(entry)
