"""DRF's content negotiation, its choice remembered per renderers, format and Accept header."""

from rest_framework.negotiation import DefaultContentNegotiation

# Accept headers longer than this are negotiated afresh every time, and no more combinations than
# this are kept: what a client writes cannot grow the process's memory.
REMEMBERED_HEADER_LENGTH = 512
REMEMBERED_CHOICES = 256

# {(renderer classes, format, Accept header): (the chosen renderer's position, media type)}: one per
# process, shared by every view (DRF makes a negotiator per request).
CHOICES = {}


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, computed once per (renderer classes, format, Accept header).

    Parsing the Accept header into media types and matching them against each renderer cost ≈ 40 µs
    of every request, for the same few headers each time (a browser's, curl's, none at all). DRF's
    choice depends on nothing else: the `.json` suffix or `?format=` narrows the renderers, and the
    header's media types, in order of precedence, pick one of them and the media type accepted. So
    the renderer's position in the view's list and that media type are remembered for the same
    inputs; a refusal (406, or 404 for an unknown format) is not remembered, and is raised by DRF's
    code each time.
    """

    def __init__(self):
        self.choices = CHOICES

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "*/*")  # what request.headers["Accept"] reads, without building them
        if len(accept) > REMEMBERED_HEADER_LENGTH:
            return super().select_renderer(request, renderers, format_suffix)
        format = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        key = (tuple(type(renderer) for renderer in renderers), format, accept)
        choice = self.choices.get(key)
        if choice is None:
            renderer, media_type = super().select_renderer(request, renderers, format_suffix)
            choice = (next(i for i, listed in enumerate(renderers) if listed is renderer), media_type)
            if len(self.choices) >= REMEMBERED_CHOICES:
                self.choices.clear()
            self.choices[key] = choice
        position, media_type = choice
        return renderers[position], media_type
