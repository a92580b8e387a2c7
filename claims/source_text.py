"""An archived source's full text as HTML, its quotes highlighted, ready for quoting by selection.

The text is cut into segments at every quote boundary; each segment is one element carrying
`data-start`, its offset in the source text in Python string indices (Unicode code points), so the
page's script (static/claims/admin/quote-by-selection.js) turns a selection into offsets without
re-counting the whole text, and a browser's UTF-16 counting never leaks into the stored offsets.
The text itself is shown verbatim (white-space: pre-wrap): it is the evidence, and what is
selected must be exactly what is stored.
"""

from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator


def segments(text, spans):
    """[(start, end, [indexes of the spans covering text[start:end]])] covering the whole `text`.

    `spans` are (start, end) pairs; a carriage return is a segment of its own, since HTML parsing
    turns it into a line feed (or drops it) and the count within a segment must stay exact.
    """
    cuts = {0, len(text)}
    for start, end in spans:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    position = text.find("\r")
    while position != -1:
        cuts.update((position, position + 1))
        position = text.find("\r", position + 1)
    bounds = sorted(cuts)
    return [
        (start, end, [index for index, (s, e) in enumerate(spans) if s <= start and end <= e])
        for start, end in zip(bounds, bounds[1:], strict=False)
        if end > start
    ]


def render(source, quotes, *, add_url):
    """The HTML of `source`'s text with `quotes` (anchored ones, speaker loaded) marked."""
    text = source.text
    quotes = list(quotes)
    parts = []
    for start, end, covering in segments(text, [(quote.start, quote.end) for quote in quotes]):
        piece = text[start:end]
        if piece == "\r":
            parts.append(format_html('<span data-start="{}" data-cr="1"></span>', start))
        elif covering:
            marked = [quotes[index] for index in covering]
            parts.append(
                format_html(
                    '<mark data-start="{}" data-quotes="{}" class="{}" title="{}">{}</mark>',
                    start,
                    " ".join(str(quote.pk) for quote in marked),
                    "overlap" if len(marked) > 1 else "",
                    "\n".join(f"{quote.speaker}: {Truncator(quote.text).chars(80)}" for quote in marked),
                    piece,
                )
            )
        else:
            parts.append(format_html('<span data-start="{}">{}</span>', start, piece))
    body = format_html_join("", "{}", ((part,) for part in parts))
    return format_html(
        '<p class="help source-text-help" id="source-text-help">Highlighted: the {} quote{} anchored in this text '
        "(hover for the speaker). Select a passage and choose “Quote this…” to add a quote.</p>"
        '<div class="source-text" id="source-text" data-source="{}" data-length="{}" data-add-url="{}" '
        'tabindex="0" aria-describedby="source-text-help">{}</div>'
        '<button type="button" class="button quote-this" id="quote-this" aria-live="polite">Quote this…</button>',
        len(quotes),
        "" if len(quotes) == 1 else "s",
        source.pk,
        len(text),
        add_url,
        body,
    )
