"""CSV export (`?format=csv` on any list): every matching row, streamed, with flat columns.

A list answers CSV with all the rows its filters and ordering select, not one page: they are read
in chunks of CHUNK_SIZE, each chunk represented as the JSON list represents a page (the same fast
paths and prefetches, so a fixed number of queries per chunk) and written as it is ready. At most
API_CSV_MAX_ROWS rows are written; the response says so in its headers:

- `X-Export-Rows`: the rows written;
- `X-Export-Truncated`: `true` when more rows matched than the cap;
- `X-Export-Row-Cap`: the cap (and `X-Export-Note` in words when it applied).

Columns are the serializer's fields, walked: a nested object's fields become `speaker_slug`,
`speaker_name`…; a list of values or of objects is one column per leaf, its values joined with "; ".
No cell holds JSON.
"""

import csv

from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.drainage import get_override
from rest_framework import serializers

from ..querysets import count_up_to
from .renderers import cell, flatten
from .serializers import LinkedMixin

CHUNK_SIZE = 500


class _Echo:
    def write(self, value):
        return value


def _nested(serializer, field):
    """The serializer describing `field`'s value, when it is an object (or a list of objects)."""
    if isinstance(field, serializers.ListSerializer):
        field = field.child
    if isinstance(field, serializers.ManyRelatedField):
        field = field.child_relation
    if isinstance(field, LinkedMixin):
        return field.ref_serializer(context=serializer.context)
    if isinstance(field, serializers.BaseSerializer):
        return field
    if isinstance(field, serializers.SerializerMethodField):
        # drf-spectacular's @extend_schema_field names what the method returns.
        annotation = get_override(getattr(serializer, field.method_name, None), "field")
        if isinstance(annotation, serializers.ListSerializer):
            annotation = annotation.child
        if isinstance(annotation, serializers.BaseSerializer):
            return annotation
    return None


def columns(serializer, prefix=""):
    """The CSV columns of `serializer`'s representation, in its fields' order."""
    names = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        nested = _nested(serializer, field)
        if nested is None:
            names.append(f"{prefix}{name}")
        else:
            names.extend(columns(nested, f"{prefix}{name}_"))
    return names


def _chunks(rows):
    chunk = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def csv_response(view, rows, represent):
    """All of `rows` (a filtered, ordered queryset) as CSV, each chunk represented by `represent(chunk)`."""
    cap = settings.API_CSV_MAX_ROWS
    matched = count_up_to(rows.values("pk"), cap)
    truncated = matched > cap
    header = columns(view.get_serializer())
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for chunk in _chunks(rows[:cap]):
            for row in represent(chunk):
                flat = flatten(row)
                yield writer.writerow([cell(flat.get(column)) for column in header])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["X-Export-Rows"] = str(min(matched, cap))
    response["X-Export-Truncated"] = "true" if truncated else "false"
    response["X-Export-Row-Cap"] = str(cap)
    if truncated:
        response["X-Export-Note"] = (
            f"More than {cap} rows matched; the first {cap} are written. Narrow the filters to export the rest."
        )
    return response
