"""Renderers: JSON through orjson, and CSV for list endpoints.

CSV: lists are exported whole by claims/api/export.py; this renderer writes a single resource or an
error. Nested objects become `speaker_name` columns; lists (of values or of objects) are one column
per leaf, values joined with "; ": no cell holds JSON. Cells that a spreadsheet would run as a
formula are prefixed with an apostrophe (CSV injection).
"""

import csv
import io

import orjson
from django.urls import Resolver404, resolve
from rest_framework import renderers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _leaves(value, name, into):
    """Each leaf under `value` as `name_key…`, lists of anything collected into lists."""
    if isinstance(value, dict):
        for key, item in value.items():
            _leaves(item, f"{name}_{key}" if name else key, into)
    elif isinstance(value, list):
        collected = {}
        for item in value:
            leaves = flatten(item, name) if isinstance(item, (dict, list)) else {name: item}
            for leaf, leaf_value in leaves.items():
                collected.setdefault(leaf, []).append(leaf_value)
        if not value:
            into.setdefault(name, "")
        for leaf, values in collected.items():
            into[leaf] = "; ".join("" if item is None else str(item) for item in values)
    else:
        into[name] = value


def flatten(row, prefix=""):
    flat = {}
    _leaves(row, prefix, flat)
    return flat


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        flat_rows = [flatten(row) if isinstance(row, dict) else {"value": row} for row in rows]
        columns = []
        for row in flat_rows:
            columns.extend(column for column in row if column not in columns)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in flat_rows:
            writer.writerow([cell(row.get(column)) for column in columns])
        return buffer.getvalue().encode(self.charset)


class ORJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, encoded by orjson (several times faster on a page of nested results).

    Values orjson does not know (Decimal, lazy translations…) go through DRF's own encoder; a client
    asking for indentation gets DRF's renderer, which honours any indent.
    """

    _fallback = JSONEncoder().default

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type or "", renderer_context or {}):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            return orjson.dumps(data, default=self._fallback, option=orjson.OPT_NON_STR_KEYS)
        except TypeError:  # a key orjson cannot write (a lazy translation in an error body): DRF's encoder can
            return super().render(data, accepted_media_type, renderer_context)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, its breadcrumbs without the catch-all 404 (`/api/claims` is no page)."""

    def get_breadcrumbs(self, request):
        from .views import NotFoundView

        crumbs = []
        for name, url in super().get_breadcrumbs(request):
            try:
                view = resolve(url).func
            except Resolver404:
                continue
            if getattr(view, "cls", None) is not NotFoundView:
                crumbs.append((name, url))
        return crumbs
