"""Renderers: JSON through orjson, and CSV for list endpoints.

CSV for list endpoints (`?format=csv`): one row per result, nested fields flattened.

Nested objects become dotted columns (`speaker.name`); lists of plain values are joined with "; ";
lists of objects are written as JSON in one cell. Cells that a spreadsheet would run as a formula
are prefixed with an apostrophe (CSV injection).
"""

import csv
import io
import json

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def flatten(row, prefix=""):
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            if all(not isinstance(item, (dict, list)) for item in value):
                flat[name] = "; ".join("" if item is None else str(item) for item in value)
            else:
                flat[name] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            flat[name] = value
    return flat


def _cell(value):
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
            writer.writerow([_cell(row.get(column)) for column in columns])
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
