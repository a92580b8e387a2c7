"""The importer writes its drafts in bulk: the same rows and history as one save per quote, in few queries."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from claims import extraction, ingest
from claims.ingest import known_speakers, source_import
from claims.models import Quote, Source, Speaker, Status
from claims.text import fold
from tests import factories

pytestmark = pytest.mark.django_db

ARTICLE = (
    "“Gao is calm [again]” — minister’s words\n\n"
    "Some called it “a turning point”.\n\n"
    "“We will not leave Gao,” Amadou Koné said on Tuesday. Kone added: “The convoys are protected.”\n\n"
    "“Prices have tripled …,” Jane Doe, a trader in Mopti, told reporters. She added, “Nobody can afford fuel.”\n\n"
    "Protesters chanted “Out with the junta” outside the camp.\n\n"
    "The ministry said in a statement that it “regrets the losses”.\n\n"
    "Jane Doe said later: “We wait.” Her cousin, Amadou Doe, said: “So do we.”\n\n"
    "Ibrahim Touré warned: “The road to the north stays closed until"
)


def write_drafts_one_by_one(result, text, language, user, progress):
    """The importer before the bulk path: full_clean() and save() per quote and per new speaker."""
    extractions = extraction.extract(text, known_speakers(), language)
    speakers_by_slug = {speaker.slug: speaker for speaker in Speaker.objects.all()}
    new_speakers = {}
    result.found = len(extractions)
    for item in extractions:
        proposal, quotation = item.proposal, item.quotation
        if proposal.speaker_key:
            speaker = speakers_by_slug[proposal.speaker_key]
        elif proposal.new_name:
            key = fold(proposal.new_name)
            if key not in new_speakers:
                kind = Speaker.Kind.PERSON if proposal.new_kind == "person" else Speaker.Kind.ORGANISATION
                new_speakers[key] = ingest._saved(
                    Speaker(
                        name=proposal.new_name,
                        slug=ingest._unique_slug(Speaker, proposal.new_name),
                        kind=kind,
                        status=Status.DRAFT,
                        description="Proposed by the quotation importer; check before approving.",
                    ),
                    user,
                )
            speaker = new_speakers[key]
        else:
            speaker = ingest._unattributed_speaker(user)
        quote = Quote(
            speaker=speaker,
            source=result.source,
            text=quotation.text,
            start=quotation.start,
            end=quotation.end,
            kind=quotation.kind,
            language=language,
            status=Status.DRAFT,
            is_truncated=quotation.truncated,
            extraction_confidence=proposal.confidence,
            extraction_cue=proposal.cue,
        )
        result.quotes.append(ingest._saved(quote, user))


def _row(instance, fields, skip=("id", "created_at", "updated_at")):
    values = {}
    for field in fields:
        if field.name in skip:
            continue
        value = getattr(instance, field.attname)
        if field.name == "speaker":
            value = Speaker.objects.get(pk=value).slug
        elif field.name == "source":
            value = Source.objects.get(pk=value).sha256
        values[field.name] = value
    return values


def records():
    """Every speaker and quote, and every history record of them, without primary keys or times."""
    quotes = sorted((_row(q, Quote._meta.concrete_fields) for q in Quote.objects.all()), key=repr)
    speakers = sorted((_row(s, Speaker._meta.concrete_fields) for s in Speaker.objects.all()), key=repr)
    history = []
    for model in (Quote, Speaker):
        historical = model.history.model
        for record in historical.objects.all():
            row = _row(record, model.history.model.tracked_fields)
            row.update(model=model.__name__, type=record.history_type, user=record.history_user_id)
            row["change_reason"] = record.history_change_reason
            history.append(row)
    return quotes, speakers, sorted(history, key=repr)


def import_article(user, text=ARTICLE, title="Gao"):
    return source_import(text=text, title=title, publisher="Sahel Daily", user=user)


@pytest.mark.parametrize("batch", [ingest.DRAFT_BATCH, 4])  # one batch, and three: ids found per batch
def test_the_bulk_import_writes_the_same_records_and_history_as_one_save_per_quote(monkeypatch, batch):
    kone = factories.speaker(name="Amadou Koné", slug="amadou-kone")
    kone.aliases.create(name="Amadou Kone")
    # A draft from an earlier import is not proposed again: the new "Ibrahim Touré" takes the next slug.
    factories.speaker(name="Ibrahim Touré", slug="ibrahim-toure", status=Status.DRAFT)
    curator = factories.user()
    with transaction.atomic():
        monkeypatch.setattr(ingest, "_write_drafts", write_drafts_one_by_one)
        import_article(curator)
        one_by_one = records()
        transaction.set_rollback(True)
    monkeypatch.undo()

    monkeypatch.setattr(ingest, "DRAFT_BATCH", batch)
    result = import_article(curator)
    bulk = records()

    quotes, speakers, history = bulk
    assert len(quotes) == result.found == 11
    assert {q["speaker"] for q in quotes} >= {"amadou-kone", "jane-doe", "unattributed", "ibrahim-toure-2"}
    assert any(q["has_editorial_marks"] for q in quotes) and all(q["search_document"] for q in quotes)
    assert all(q["context_fingerprint"] for q in quotes if q["start"] is not None)
    assert [q["text"] for q in quotes if q["is_truncated"]] == ["The road to the north stays closed until"]
    assert (
        sum(row["type"] == "+" and row["user"] == curator.pk for row in history)
        == len(quotes) + len(result.new_speakers) + 1
    )  # and the unattributed placeholder
    assert bulk == one_by_one
    # The quotes handed back are the rows written, history included, as save() leaves them.
    for quote in result.quotes:
        assert not quote._state.adding
        stored = Quote.objects.get(pk=quote.pk)
        assert (stored.start, stored.end, stored.speaker_id, stored.created_at) == (
            quote.start, quote.end, quote.speaker_id, quote.created_at
        )  # fmt: skip
        assert list(stored.history.values_list("history_type", "history_user", "text")) == [
            ("+", curator.pk, quote.text)
        ]


def later_quotation_changed(monkeypatch, index, **changes):
    extract = extraction.extract

    def changed(*args, **kwargs):
        found = extract(*args, **kwargs)
        quotation, proposal = found[index].quotation, found[index].proposal
        found[index].quotation = extraction.Quotation(**{**vars(quotation), **changes.get("quotation", {})})
        found[index].proposal = extraction.Proposal(**{**vars(proposal), **changes.get("proposal", {})})
        return found

    monkeypatch.setattr(extraction, "extract", changed)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"quotation": {"kind": "rumour"}}, "kind"),  # not one of Quote.Kind
        ({"proposal": {"cue": "said " * 100}}, "extraction_cue"),  # longer than its 300 characters
        ({"quotation": {"text": "words nobody printed"}}, "start"),  # not what stands at its offsets
    ],
)
def test_every_imported_quote_is_checked_not_only_the_first(monkeypatch, changes, field):
    # The fields every draft shares are checked once; those that differ, and the anchoring, on each.
    later_quotation_changed(monkeypatch, 5, **changes)
    with pytest.raises(ValidationError) as refused:
        import_article(None)
    assert field in refused.value.message_dict
    assert not Source.objects.exists() and not Quote.objects.exists() and not Speaker.objects.exists()


def test_the_bulk_import_refuses_a_quote_that_does_not_stand_at_its_offsets(monkeypatch):
    extract = extraction.extract

    def shifted(*args, **kwargs):
        found = extract(*args, **kwargs)
        found[1].quotation = extraction.Quotation(**{**vars(found[1].quotation), "start": found[1].quotation.start + 1})
        return found

    monkeypatch.setattr(extraction, "extract", shifted)
    with pytest.raises(ValidationError) as refused:
        import_article(None)
    assert "start" in refused.value.message_dict
    assert not Source.objects.exists() and not Quote.objects.exists() and not Speaker.objects.exists()


NAMES = ["Awa Diallo", "Moussa Keita", "Jane Martin", "Pierre Sangare", "Oumar Cisse", "Nadia Toure", "Karim Haidara"]


def many_speakers_article(paragraphs):
    """One quotation per paragraph, every one by a new speaker, every third one by nobody known."""
    lines = []
    for n in range(paragraphs):
        if n % 3 == 2:
            lines.append(f"The talks went on.\n\nSome called it “turning point {n}”.")  # too far to inherit
        else:
            first, last = NAMES[n % len(NAMES)].split()
            lines.append(f"“The road {n} is open,” said {first} {last}{'ez' * (n // len(NAMES))}.")
    return "\n\n".join(lines)


def queries_to_import(text, title):
    with CaptureQueriesContext(connection) as queries:
        result = import_article(None, text, title)
    return len(queries), result


def test_the_import_makes_as_many_queries_for_thirty_quotations_as_for_six():
    # Thirty quotes are one batch (DRAFT_BATCH), written with one INSERT, whatever the backend.
    ingest._unattributed_speaker(None)  # the placeholder exists, as after any earlier import
    few, few_result = queries_to_import(many_speakers_article(6), "Few")
    many, many_result = queries_to_import(many_speakers_article(30), "Many")
    assert (few_result.found, many_result.found) == (6, 30)
    assert len(many_result.new_speakers) > len(few_result.new_speakers) >= 4
    assert many_result.unattributed > few_result.unattributed >= 2
    assert many == few
    assert many <= 30


def test_each_batch_of_quotes_costs_three_queries_whatever_its_size(monkeypatch):
    # Per batch: the quotes' INSERT (one executemany on SQLite, one multi-row INSERT on PostgreSQL),
    # the SELECT of their ids, the INSERT of their history records; never a query per quotation.
    ingest._unattributed_speaker(None)
    monkeypatch.setattr(ingest, "DRAFT_BATCH", 5)
    one_batch, one = queries_to_import(many_speakers_article(5), "Five")
    six_batches, six = queries_to_import(many_speakers_article(30), "Thirty")
    assert (one.found, six.found) == (5, 30)
    assert len(six.new_speakers) > len(one.new_speakers)  # written in one bulk insert, whatever their number
    assert six_batches - one_batch == 3 * 5


def test_quotations_with_backslashes_braces_and_straight_marks_are_stored_as_printed():
    # PostgreSQL takes a batch as one array literal per column: its quoting must not touch the words.
    text = (
        '“Paths like C:\\data\\x, sets like {a,b}, the word NULL and "inner" marks stay as printed,” '
        'said Awa Diallo.\n\nShe added: “Back\\slash \\" and \\\\ too.”'
    )
    result = import_article(None, text, "Marks")
    assert result.found == 2
    stored = list(Quote.objects.order_by("start").values_list("text", "start", "end", "search_document"))
    assert [row[0] for row in stored] == [text[start:end] for _, start, end, _ in stored]
    assert stored[0][0] == 'Paths like C:\\data\\x, sets like {a,b}, the word NULL and "inner" marks stay as printed,'
    assert [row[3] for row in stored] == [quote.search_document for quote in result.quotes]
    history = Quote.history.model.objects.order_by("start").values_list("text", flat=True)
    assert list(history) == [row[0] for row in stored]
