"""DRF's token and session authentication, each asked at less cost where the request cannot carry
what it looks for."""

from django.utils.functional import SimpleLazyObject, empty
from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's, passing over a request without an Authorization header as DRF does, at less cost.

    DRF reads the header from `request.headers`, which Django builds on first use by turning every
    HTTP_* name of the environ into a header name (≈ 20 Python calls of a ≈ 1,100-call API read);
    on an anonymous read nothing else asks for it. Without the header DRF's answer is None (no
    credentials: the next authenticator is asked); with one, DRF's own code reads and checks it.
    """

    def authenticate(self, request):
        if "HTTP_AUTHORIZATION" not in request._request.META:  # what request.headers["Authorization"] reads
            return None
        return super().authenticate(request)


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's, answering a request without a session as DRF does, without loading the user.

    DRF asks Django's request for its user; Django's AuthenticationMiddleware left a lazy object
    there that, once read, looks the user's key up in the session (auth.get_user(): ≈ 25 Python
    calls of a ≈ 1,100-call API read). A request without a session key (no session cookie) and
    nothing yet in its session has no user to find: Django would answer AnonymousUser, and DRF
    then None (not active: no credentials, no CSRF check). Here that None is answered directly, and
    the session marked as read, as Django's lookup marks it (SessionMiddleware then adds
    `Vary: Cookie`, as before). Any other request (a session cookie, even a stale one; a user set
    otherwise) goes through DRF's and Django's code. DRF puts its AnonymousUser on Django's request
    after the last authenticator, so nothing later reads the lazy object.
    """

    def authenticate(self, request):
        django_request = request._request
        user = getattr(django_request, "user", None)
        session = getattr(django_request, "session", None)
        if (
            isinstance(user, SimpleLazyObject)
            and user._wrapped is empty
            and session is not None
            and session.session_key is None
            and not getattr(session, "_session_cache", None)
        ):
            session.accessed = True  # what reading request.user does (auth.get_user() reads the session)
            return None
        return super().authenticate(request)
