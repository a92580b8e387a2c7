"""Checks on what comes in from outside, shared by the models (so the admin), the API and the importers.

Each is a plain Django validator: it raises ValidationError with a message a person understands and
a machine-readable `code`. Attached to model fields, it runs in the admin's forms and in DRF's
ModelSerializers; importers call the same functions (or `full_clean()`) before saving.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible

# C0 control characters and DEL, except tab, newline and carriage return, which real text carries.
# NUL in particular: PostgreSQL cannot store it and answered with a traceback.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def find_control_character(value):
    """The first refused control character in `value` as (offset, character), or None."""
    if not isinstance(value, str):
        return None
    match = CONTROL_CHARACTERS.search(value)
    return (match.start(), match.group()) if match else None


def validate_no_control_characters(value):
    found = find_control_character(value)
    if found is not None:
        offset, character = found
        name = "NUL" if character == "\x00" else f"U+{ord(character):04X}"
        raise ValidationError(
            "This text contains a control character (%(name)s at position %(offset)s); "
            "remove it (only tab, newline and carriage return are allowed).",
            code="control_character",
            params={"name": name, "offset": offset},
        )


HTTP_SCHEMES = ("http", "https")


@deconstructible
class HttpURLValidator:
    """An absolute http(s) URL: `javascript:`, `data:`, `ftp:` and the like are refused.

    A URL shown as a link (the admin, the public pages, ClaimReview consumers) must never run code
    or leave the web when clicked. Not a URLValidator subclass on purpose: DRF drops those from a
    model field's validators (it has its own, which allows ftp).
    """

    message = "Enter an http:// or https:// address."
    code = "invalid_url_scheme"

    def __call__(self, value):
        if not value:
            return
        if not isinstance(value, str) or value.split(":", 1)[0].strip().lower() not in HTTP_SCHEMES:
            raise ValidationError(self.message, code=self.code, params={"value": value})
        URLValidator(schemes=list(HTTP_SCHEMES), message=self.message, code=self.code)(value)

    def __eq__(self, other):
        return isinstance(other, HttpURLValidator)

    def __hash__(self):
        return hash(HttpURLValidator)


validate_http_url = HttpURLValidator()


def latest_today():
    """Today's date where it is latest on Earth (UTC+14): a source dated 'today' in Kiribati is not refused.

    Anything after that is a date that has not happened yet anywhere, so it is a typing error or invented.
    """
    return (timezone.now() + datetime.timedelta(hours=14)).date()


def validate_not_in_future(value):
    """Refuse a date (or datetime) after today: what was said or published cannot be dated tomorrow."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day > latest_today():
        raise ValidationError(
            "%(value)s is in the future; give the date it actually happened (or leave it empty if unknown).",
            code="date_in_future",
            params={"value": day.isoformat()},
        )
