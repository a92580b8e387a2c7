"""Request parsers that answer 400, never 500, for a body built to exhaust the parser.

A body of a few thousand nested `[` makes Python's JSON decoder raise RecursionError (not the
ValueError DRF turns into 400): an anonymous client could turn any write, or the token sign-in,
into a 500. No document of this API nests deeper than a handful of levels, so anything past
MAX_DEPTH is refused too, before a serializer walks it.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


def _too_deep(data, limit=MAX_DEPTH):
    """Whether `data` (parsed JSON) nests lists/objects deeper than `limit`; iterative, so it cannot recurse."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.", code="too_deep") from None
        if _too_deep(data):
            raise ParseError(f"JSON parse error - nested deeper than {MAX_DEPTH} levels.", code="too_deep")
        return data
