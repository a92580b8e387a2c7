"""CSV for list endpoints (`?format=csv`): one row per result, nested fields flattened.

Nested objects become dotted columns (`speaker.name`); lists of plain values are joined with "; ";
lists of objects are written as JSON in one cell. Cells that a spreadsheet would run as a formula
are prefixed with an apostrophe (CSV injection).
"""

import csv
import io
import json

from rest_framework.renderers import BaseRenderer

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
