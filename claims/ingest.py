"""Ingesting an article: archive its text once, extract its quotations as drafts, then review them.

Services shared by `manage.py import_source`, `POST /api/sources/` and the admin's draft actions:
`source_import` (archive + extract), `drafts_approve`, `drafts_reject`, `drafts_reassign`.
The pure work (finding quotations, proposing speakers) is in `claims.extraction`.
"""

import copy
import datetime
import functools
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from . import extraction
from .models import DatePrecision, Quote, Source, Speaker, Status
from .text import fold
from .validators import validate_no_control_characters

UNATTRIBUTED_SLUG = "unattributed"
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(value):
    """'2019', '2019-11' or '2019-11-05' → (date, precision); the missing parts are never invented."""
    match = _PARTIAL_DATE.match((value or "").strip())
    if not match:
        raise ValidationError(
            {"published": ValidationError("Give the date as YYYY, YYYY-MM or YYYY-MM-DD.", code="invalid_date")}
        )
    year, month, day = match.groups()
    try:
        parsed = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValidationError({"published": ValidationError(str(error), code="invalid_date")}) from error
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    return parsed, precision


@dataclass
class ImportResult:
    source: Source
    created: bool  # False when the same text was already archived: nothing was written
    quotes: list = field(default_factory=list)  # the draft Quotes written (or that would be, in a dry run)
    new_speakers: list = field(default_factory=list)
    found: int = 0
    known: int = 0  # attributed to speakers already in the record
    new: int = 0  # attributed to speakers proposed as new drafts
    unattributed: int = 0
    dry_run: bool = False

    @property
    def summary(self):
        return {
            "quotations found": self.found,
            "attributed to known speakers": self.known,
            "attributed to new speakers": self.new,
            "unattributed": self.unattributed,
        }


def known_speakers():
    """Every approved speaker, with aliases and role titles, as the plain data the extractor reads.

    Drafts are left out: a speaker an earlier import proposed (rightly or not) is not yet part of the
    record, and matching new quotations against it would let one bad proposal take the next
    article's quotations too.
    """
    speakers = Speaker.objects.filter(status=Status.APPROVED).prefetch_related("aliases", "roles")
    return [
        extraction.KnownSpeaker(
            key=speaker.slug,
            name=speaker.name,
            kind="person" if speaker.kind == Speaker.Kind.PERSON else speaker.kind,
            aliases=tuple(alias.name for alias in speaker.aliases.all()),
            titles=tuple(str(role) for role in speaker.roles.all()),
        )
        for speaker in speakers
        if speaker.slug != UNATTRIBUTED_SLUG
    ]


def _unique_slug(model, text, limit=190):
    base = slugify(text)[:limit].strip("-") or model._meta.model_name
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _saved(instance, user):
    instance._history_user = user  # simple_history records who wrote the row, outside a request too
    instance.full_clean()
    instance.save()
    return instance


def source_import(
    *,
    text,
    title,
    publisher="",
    url="",
    published=None,
    author="",
    language=None,
    kind=Source.Kind.ARTICLE,
    user=None,
    extract=True,
    dry_run=False,
    progress=None,
):
    """Archive `text` as a source and write its quotations as draft quotes; one transaction.

    The same text imported again returns the source already archived and writes nothing. A
    different text under a URL already archived is refused (ValidationError on "url"): an archive
    is evidence and is never overwritten silently. `published` is "YYYY[-MM[-DD]]" or a date.
    `language` ("en", "fr") picks the extraction rules and is stored on the source; when not given it
    is detected from the text. `progress(done, total, stage)` is called while quotations are found
    ("extracting"), checked ("checking") and written ("writing", once per batch); `dry_run` rolls
    everything back.
    """
    if not text or not text.strip():
        raise ValidationError({"text": ValidationError("The text to archive is empty.", code="empty_text")})
    if len(text) > settings.IMPORT_MAX_CHARACTERS:
        raise ValidationError(
            {
                "text": ValidationError(
                    f"The text is {len(text):,} characters long; an import takes at most "
                    f"{settings.IMPORT_MAX_CHARACTERS:,} (setting IMPORT_MAX_CHARACTERS). "
                    "Split the document, or raise the limit if it really is one article.",
                    code="text_too_long",
                )
            }
        )
    try:
        validate_no_control_characters(text)
    except ValidationError as error:
        raise ValidationError({"text": error}) from error
    language = language or extraction.detect_language(text)
    checksum = Source.checksum(text)
    existing = Source.objects.filter(sha256=checksum).first()
    if existing is not None:
        return ImportResult(source=existing, created=False, dry_run=dry_run)
    if url:
        clash = Source.objects.filter(url=url).exclude(sha256=checksum).first()
        if clash is not None:
            raise ValidationError(
                {
                    "url": ValidationError(
                        f"{url} is already archived as “{clash.slug}” with a different text "
                        f"(SHA-256 {clash.sha256[:12]}…); an archived text is never overwritten. "
                        "Import the new version under its own URL, or correct the archived source by hand.",
                        code="url_has_other_text",
                    )
                }
            )
    if isinstance(published, datetime.date):
        published_on, precision = published, DatePrecision.DAY
    elif published:
        published_on, precision = parse_partial_date(published)
    else:
        published_on, precision = None, ""

    with transaction.atomic():
        source = Source(
            title=title,
            slug=_unique_slug(Source, title),
            kind=kind,
            publisher=publisher,
            author=author,
            url=url,
            language=language,
            published_on=published_on,
            published_precision=precision,
            text=text,
            sha256=checksum,  # the signal sets it on save; full_clean checks the constraint before that
        )
        _saved(source, user)
        result = ImportResult(source=source, created=True, dry_run=dry_run)
        if extract:
            _write_drafts(result, text, language, user, progress)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write_drafts(result, text, language, user, progress):
    """Write the extracted quotations as draft quotes, with their new draft speakers, in bulk.

    Each row is validated in Python first, as full_clean() would (fields, anchoring at its offsets),
    but without its per-row queries: the speakers and the source are the objects in hand, a span is
    unique among this import's quotes (the source is new, so no other quote is in it) and slugs are
    unique among the speakers' slugs, read once. The new speakers go in with simple_history's
    bulk_create_with_history; the quotes, tens of thousands in a large article, with _insert_drafts.
    Either way each row gets one "+" history record, as a save() would write it, and the queries do
    not grow with the number of quotations beyond a few per batch.
    """
    extracting = None if progress is None else (lambda done, total: progress(done, total, "extracting"))
    extractions = extraction.extract(text, known_speakers(), language, progress=extracting)
    result.found = len(extractions)
    known = Speaker.objects.in_bulk(
        {item.proposal.speaker_key for item in extractions if item.proposal.speaker_key}, field_name="slug"
    )
    taken_slugs = set(Speaker.objects.order_by().values_list("slug", flat=True))
    new_speakers = {}
    unattributed = None
    spans = set()
    # Every draft is a copy of `shared` (a Model.__init__ per quotation was a tenth of a large import)
    # with the fields of `varying` and its speaker set. full_clean() checks the shared values on the
    # first draft; on the others the fields that differ, and clean() (anchoring) in full.
    shared = Quote(source=result.source, language=language, status=Status.DRAFT)
    checked = None
    for done, item in enumerate(extractions, start=1):
        proposal, quotation = item.proposal, item.quotation
        if proposal.speaker_key:
            speaker = known[proposal.speaker_key]
            result.known += 1
        elif proposal.new_name:
            key = fold(proposal.new_name)
            if key not in new_speakers:
                new_speakers[key] = _new_draft_speaker(proposal, taken_slugs)
                result.new_speakers.append(new_speakers[key])
            speaker = new_speakers[key]
            result.new += 1
        else:
            if unattributed is None:
                unattributed = _unattributed_speaker(user)  # found or created once, not once per quotation
            speaker = unattributed
            result.unattributed += 1
        varying = {
            "text": quotation.text,
            "start": quotation.start,
            "end": quotation.end,
            "kind": quotation.kind,
            "is_truncated": quotation.truncated,
            "extraction_confidence": proposal.confidence,
            "extraction_cue": proposal.cue,
        }
        quote = copy.copy(shared)
        quote.speaker = speaker
        for name, value in varying.items():
            setattr(quote, name, value)
        _validate_draft(quote, spans, exclude=checked)
        if checked is None:
            checked = [field.name for field in Quote._meta.concrete_fields if field.name not in varying]
        result.quotes.append(quote)
        if progress is not None:
            progress(done, len(extractions), "checking")
    _bulk_saved(result.new_speakers, Speaker, user)
    _insert_drafts(result.quotes, result.source, user, progress)


DRAFT_BATCH = 5000  # quotes per batch of inserts: a progress line each
_RELATIONS = ["speaker", "source", "origin"]  # checked by holding the objects, not by a query each


def _validate_draft(quote, spans, exclude=None):
    """What full_clean() checks of an imported draft quote, without a query per quote.

    `exclude`: fields already checked on an earlier draft holding the same values.
    """
    quote.full_clean(exclude=exclude or _RELATIONS, validate_unique=False, validate_constraints=False)
    # The constraints, in Python: quote_offsets_valid (anchoring has checked 0 <= start < end) and
    # quote_unique_span_per_source (among this import's quotes: its source is new).
    if (quote.start, quote.end) in spans:
        raise ValidationError(
            {"start": ValidationError(f"Two quotations share the span {quote.start}–{quote.end}.", code="unique")}
        )
    spans.add((quote.start, quote.end))
    quote.derive_fields()  # what the pre_save signal does; bulk_create sends no signals


def _bulk_saved(instances, model, user):
    """bulk_create `instances` (a few hundred at most: new speakers) with one history record each."""
    for instance in instances:
        instance._history_user = user
    bulk_create_with_history(instances, model, default_user=user)


# Column types whose checked Python values (str, int, float, bool, None) the database drivers take
# as they are; any other type goes through the field's get_db_prep_save().
_AS_IS = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "FloatField", "ForeignKey",
    "IntegerField", "PositiveIntegerField", "SlugField", "TextField",
}  # fmt: skip


def _insert_drafts(quotes, source, user, progress):
    """INSERT the checked draft quotes of a new `source` and their "+" history records, in batches.

    The rows and history records bulk_create_with_history writes, but built here: Django's insert
    compiler prepares each value of each row on its own (2.5 million for a 5 MB article, most of
    the import's time), while these values are already checked and of their column's type. Per
    batch, three queries: the INSERT of the quotes (_insert), the SELECT of their ids, and their
    history records copied from the rows just written (INSERT … SELECT), so a record holds what
    the table holds, as a save()'s would. The caller's transaction holds them all.
    """
    using = router.db_for_write(Quote)
    connection = connections[using]
    now = timezone.now()  # auto_now(_add) and the history date: one instant for the whole import
    fields = [field for field in Quote._meta.concrete_fields if not field.primary_key]
    for quote in quotes:
        quote.speaker_id = quote.speaker.pk  # a new draft speaker had no pk yet when its quotes were built
        quote.created_at = quote.updated_at = now
    history = _history_copy(connection, user, now) if getattr(settings, "SIMPLE_HISTORY_ENABLED", True) else None
    written = 0  # the highest id among the quotes written so far: ids only grow, and the source is this import's
    for done in range(0, len(quotes), DRAFT_BATCH):
        batch = quotes[done : done + DRAFT_BATCH]
        _insert(connection, Quote, fields, [[getattr(quote, field.attname) for field in fields] for quote in batch])
        new = Quote.objects.using(using).filter(source=source, pk__gt=written).values_list("start", "end", "pk")
        ids = {(start, end): pk for start, end, pk in new}
        if len(ids) != len(batch):
            raise RuntimeError(f"{len(batch)} quotes written, {len(ids)} found after the last batch's.")
        for quote in batch:
            quote.pk = ids[quote.start, quote.end]
            quote._state.adding, quote._state.db = False, using
        if history is not None:
            sql, params = history
            with connection.cursor() as cursor:
                cursor.execute(sql, [*params, source.pk, written])
        written = max(ids.values())
        if progress is not None:
            progress(done + len(batch), len(quotes), "writing")


def _history_copy(connection, user, now):
    """(sql, params) of the INSERT … SELECT writing a "+" history record of each quote of a source
    (params: these, then the source's id and the id the quotes to record are above)."""
    history = Quote.history.model
    tracked = {field.attname: Quote._meta.get_field(field.name).column for field in history.tracked_fields}
    given = {
        "history_date": now,
        "history_change_reason": None,  # what a save() records when no reason is given
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    fields = [field for field in history._meta.concrete_fields if not field.primary_key]
    unknown = [field.attname for field in fields if field.attname not in tracked | given]
    if unknown:  # a history field this writer would not fill: refuse rather than write it empty
        raise NotImplementedError(f"Import's history copy does not fill {unknown}.")
    quote_name = connection.ops.quote_name
    selected = [quote_name(tracked[field.attname]) if field.attname in tracked else "%s" for field in fields]
    params = [field.get_db_prep_save(given[field.attname], connection) for field in fields if field.attname in given]
    sql = (
        f"INSERT INTO {quote_name(history._meta.db_table)} ({', '.join(quote_name(field.column) for field in fields)}) "
        f"SELECT {', '.join(selected)} FROM {quote_name(Quote._meta.db_table)} "
        f"WHERE {quote_name(Quote._meta.get_field('source').column)} = %s AND {quote_name(Quote._meta.pk.column)} > %s"
    )
    return sql, params


def _insert(connection, model, fields, rows):
    """One INSERT of `rows` (lists of Python values in the order of `fields`) into `model`'s table:
    an executemany on SQLite, an INSERT … SELECT FROM unnest(one array per column) on PostgreSQL."""
    # Adapted once per distinct value (functools.cache): the timestamps are one value for every row.
    adapt = [
        (index, functools.cache(functools.partial(column.get_db_prep_save, connection=connection)))
        for index, column in enumerate(fields)
        if column.get_internal_type() not in _AS_IS
    ]
    for row in rows:
        for index, prepare in adapt:
            row[index] = prepare(row[index])
    quote_name = connection.ops.quote_name
    columns = ", ".join(quote_name(column.column) for column in fields)
    sql = f"INSERT INTO {quote_name(model._meta.db_table)} ({columns}) "
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A multi-row VALUES makes the server parse a constant per value (110,000 a batch);
            # an array per column, in PostgreSQL's text form, is one constant per column. Typed
            # without a length: a cast to varchar(16) would cut a longer value, the column refuses it.
            arrays = ", ".join(f"%s::{_WITHOUT_LENGTH.sub('', column.cast_db_type(connection))}[]" for column in fields)
            cursor.execute(
                sql + f"SELECT * FROM unnest({arrays})", [_pg_array(values) for values in zip(*rows, strict=True)]
            )
        else:  # one statement run for every row, on SQLite in C
            cursor.executemany(sql + "VALUES (" + ", ".join(["%s"] * len(fields)) + ")", rows)


_WITHOUT_LENGTH = re.compile(r"\(.*?\)")


def _pg_array(values):
    """`values` as a PostgreSQL array literal ('{"a","b",NULL}'), each element in its type's text form."""
    elements = []
    for value in values:
        if value is None:
            elements.append("NULL")
        elif isinstance(value, bool):
            elements.append("t" if value else "f")
        else:  # str() of an int, a float (repr: exact), a date or an aware datetime is what PostgreSQL reads
            elements.append('"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(elements) + "}"


def _free_slug(text, taken, limit=190):
    """_unique_slug against a set of the slugs already taken, which it extends."""
    base = slugify(text)[:limit].strip("-") or Speaker._meta.model_name
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _new_draft_speaker(proposal, taken_slugs):
    """An unsaved draft speaker for a proposed name, validated: _write_drafts saves them in bulk."""
    kind = Speaker.Kind.PERSON if proposal.new_kind == "person" else Speaker.Kind.ORGANISATION
    speaker = Speaker(
        name=proposal.new_name,
        slug=_free_slug(proposal.new_name, taken_slugs),
        kind=kind,
        status=Status.DRAFT,
        description="Proposed by the quotation importer; check before approving.",
    )
    # Unique slug: taken_slugs holds every slug in the table; the check constraint is on a blank wikidata_id.
    speaker.full_clean(validate_unique=False, validate_constraints=False)
    speaker.search_document = speaker.build_search_document(alias_names=[])  # the pre_save signal's work
    return speaker


def _unattributed_speaker(user):
    """Quotes need a speaker: those nobody could be proposed for wait under one draft placeholder."""
    speaker = Speaker.objects.filter(slug=UNATTRIBUTED_SLUG).first()
    if speaker is None:
        speaker = _saved(
            Speaker(
                name="Unattributed (to be identified)",
                slug=UNATTRIBUTED_SLUG,
                kind=Speaker.Kind.ORGANISATION,
                status=Status.DRAFT,
                description="Placeholder for imported quotations whose speaker is not yet identified.",
            ),
            user,
        )
    return speaker


# Reviewing drafts ---------------------------------------------------------------------------


@transaction.atomic
def drafts_approve(*, quotes, user=None):
    """Publish draft quotes, and the draft speakers they are attributed to. Returns how many quotes."""
    approved = 0
    for quote in quotes.select_related("speaker").filter(status=Status.DRAFT):
        if quote.speaker.slug == UNATTRIBUTED_SLUG:
            raise ValidationError(
                {"speaker": ValidationError(
                    f"“{quote}” has no speaker yet: reassign it before approving.", code="unattributed"
                )}
            )  # fmt: skip
        if quote.speaker.status == Status.DRAFT:
            quote.speaker.status = Status.APPROVED
            _saved(quote.speaker, user)
        quote.status = Status.APPROVED
        _saved(quote, user)
        approved += 1
    return approved


@transaction.atomic
def drafts_reject(*, quotes, user=None):
    """Delete draft quotes, except those a claim already cites. Returns (deleted, kept) counts.

    Draft speakers left without any quote go too: they were only the importer's proposals.
    """
    deleted = kept = 0
    orphan_candidates = set()
    for quote in quotes.filter(status=Status.DRAFT):
        if quote.attributions.exists():
            kept += 1
            continue
        orphan_candidates.add(quote.speaker_id)
        quote._history_user = user
        quote.delete()
        deleted += 1
    Speaker.objects.filter(pk__in=orphan_candidates, status=Status.DRAFT, quotes__isnull=True).delete()
    return deleted, kept


@transaction.atomic
def drafts_reassign(*, quotes, speaker, user=None):
    """Attribute the quotes to another speaker. Returns how many quotes changed."""
    changed = 0
    for quote in quotes.exclude(speaker=speaker):
        quote.speaker = speaker
        quote.extraction_cue = (quote.extraction_cue + " · reassigned by a curator").lstrip(" ·")[:300]
        _saved(quote, user)
        changed += 1
    return changed
