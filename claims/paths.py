"""The paths of named views, reverse()d once per view, URLconf and script prefix, for the API's
links and the site's pages and templates alike.

reverse() costs ≈ 15–70 µs, and a page or a list of links asks for the same few views hundreds of
times. What a path depends on besides the view is the URLconf the request is served by (a
middleware may set `request.urlconf`; Django then makes it the thread's, get_urlconf()) and the
script prefix the deployment serves under (get_script_prefix()): both are part of the memo's key,
so that a request under another prefix or URLconf never reads a path reversed for another.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

# Stands in for a view's one argument: reverse() checks it against the pattern's converter (it
# passes `slug` and `str`, not `int`) and has nothing in it to quote, so it reads back as given.
PLACEHOLDER = "0placeholder0"


@functools.lru_cache(maxsize=512)
def _path_parts(view_name, kwarg, urlconf, script_prefix):
    # `script_prefix` is not passed on: reverse() reads the thread's, which is the one named here.
    if kwarg is None:
        return reverse(view_name, urlconf=urlconf), ""
    before, after = reverse(view_name, urlconf=urlconf, kwargs={kwarg: PLACEHOLDER}).rsplit(PLACEHOLDER, 1)
    return before, after


def path_parts(view_name, kwarg=None):
    """(before, after): the path of `view_name` is before + value + after for its keyword argument
    `kwarg`, or `before` alone (after is "") for a view without arguments. The value is written as
    given: a caller passes what needs no quoting (a slug), or quotes it as reverse() would."""
    return _path_parts(view_name, kwarg, get_urlconf(), get_script_prefix())
