"""How the public site writes dates and cuts passages: plain functions, no Django, no database.

Dates are written unambiguously and only as precisely as they are known: "5 November 2019",
"November 2025" (the month alone is known), "2019". A day is never invented.
"""

import datetime

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def partial_date(value, precision="day"):
    """`value` (a date or datetime) written to its precision ("day", "month" or "year"); "" for None."""
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{MONTHS[value.month - 1]} {value.year:04d}"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year:04d}"


def iso_date(value, precision="day"):
    """The machine-readable form for <time datetime="…">, to the same precision."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def trim_passage(prefix, suffix, at_start, at_end):
    """The prefix and suffix around a quote cut at word boundaries, with "…" where the text goes on.

    `at_start` / `at_end` say whether the prefix begins the source / the suffix ends it (then nothing
    was cut on that side and no ellipsis is shown).
    """
    if not at_start and " " in prefix:
        prefix = "…" + prefix[prefix.index(" ") + 1 :]
    elif not at_start:
        prefix = "…" + prefix
    if not at_end and " " in suffix:
        suffix = suffix[: suffix.rindex(" ")] + "…"
    elif not at_end:
        suffix = suffix + "…"
    return prefix, suffix


def annotate(text, spans):
    """Cut `text` into segments at every quote boundary, for highlighting quotes that may overlap.

    `spans` are (start, end, key) triples. Returns a list of (segment_text, keys_covering, keys_starting):
    the keys of the quotes covering the segment, and of those that begin where it begins.
    """
    bounds = {0, len(text)}
    for start, end, _ in spans:
        bounds.update((start, end))
    cuts = sorted(bound for bound in bounds if 0 <= bound <= len(text))
    segments = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        if left == right:
            continue
        covering = [key for start, end, key in spans if start <= left and right <= end]
        starting = [key for start, _, key in spans if start == left]
        segments.append((text[left:right], covering, starting))
    return segments
