"""Django's messages (the admin's "was added successfully") work as Django's own middleware makes them work.

claims.middleware.MessageMiddleware makes the storage only when a view or template first uses it, not
on every request (an API read uses none): the cookies a response sets must stay Django's.
"""

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware as DjangosMessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from claims.middleware import MessageMiddleware

pytestmark = pytest.mark.django_db


def _add(request):
    messages.success(request, "Saved.")


def _read(request):
    return [str(message) for message in messages.get_messages(request)]


def _through(middleware_class, view_does, cookies):
    request = RequestFactory().get("/admin/")
    request.COOKIES.update(cookies)
    SessionMiddleware(lambda request: None).process_request(request)
    seen = []

    def view(request):
        seen.append(view_does(request) if view_does else None)
        return HttpResponse("page")

    response = middleware_class(view)(request)
    return seen[0], response.cookies.output(), response.get("Vary")


def _stored_cookie():
    """The messages cookie Django's middleware writes for one message."""
    request = RequestFactory().get("/admin/")
    SessionMiddleware(lambda request: None).process_request(request)
    response = DjangosMessageMiddleware(lambda request: (_add(request), HttpResponse())[1])(request)
    return {"messages": response.cookies["messages"].value}


@pytest.mark.parametrize(
    "view_does, carrying",
    [(None, False), (None, True), (_add, False), (_add, True), (_read, False), (_read, True)],
    ids=["unused", "unused, a message waiting", "added", "added to one waiting", "read none", "read one"],
)
def test_what_a_response_stores_is_what_djangos_middleware_stores(view_does, carrying):
    cookies = _stored_cookie() if carrying else {}
    ours = _through(MessageMiddleware, view_does, cookies)
    djangos = _through(DjangosMessageMiddleware, view_does, cookies)
    assert ours == djangos
    if view_does is _read:
        assert ours[0] == (["Saved."] if carrying else [])


def test_an_api_read_sets_no_message_cookie(client):
    response = client.get("/api/claims/")
    assert response.status_code == 200
    assert "messages" not in response.cookies


def test_the_admin_shows_its_message_on_the_page_after_a_save(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:auth_group_add"), {"name": "editors"}, follow=True)
    assert response.redirect_chain
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and shown[0].endswith("editors</a>” was added successfully."), shown
    assert "was added successfully" in response.content.decode()
    assert "messages" not in client.get(reverse("admin:index")).cookies  # shown once, then gone
