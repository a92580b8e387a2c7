"""The benchmark workloads: the API path of each, and the equivalent SQL Datasette runs.

Used by run.sh (through `python bench/workloads.py api|datasette|tuned ID`), floor.py and report.py.

Datasette runs two sets of canned queries over the same SQLite export:
- `DATASETTE_SQL` (W0–W5, "canned"): the queries this bench first shipped. They return the same
  related fields as the API, nested as JSON, but W0 and W2 sort quotes through a join no index
  serves (by source date) and search with LIKE: seconds per request.
- `TUNED_SQL` (W0–W7, "as its users set it up"): what a Datasette user would publish. The export
  gets the indexes PostgreSQL has (migrations 0003 and 0004) and FTS5 tables on quote text, claim
  text and speaker names (`sqlite-utils enable-fts`, bench/datasette_setup.sh); quotes in the API's
  own order (by source, then offset: the index on (source_id, start)); search by FTS5 MATCH; the
  review queue on the stored `is_disputed` and `has_verdict` flags and their partial index (the
  export's schema is the migrated one); deep pages by keyset (as
  Datasette's own table pages do); canned queries never count.

W6–W8 read random pages: run.sh writes a file of paths (`paths` below, a fixed seed) and wrk's
bench/paths.lua picks one at random per request.
"""

import json
import os
import random
import sys
from urllib.parse import urlsplit
from urllib.request import urlopen

PAGE_SIZE = 50
DEEP_PAGE = 500
SEARCH_WORD = "blockade"

QUOTE_COLUMNS = """
    q.id, q.text, q.start, q."end", q.kind, q.said_on, q.said_precision, q.language, q.is_translation,
    q.has_editorial_marks, sp.id AS speaker_id, sp.slug AS speaker_slug, sp.name AS speaker_name,
    so.id AS source_id, so.slug AS source_slug, so.title AS source_title
"""
QUOTE_JOINS = (
    "claims_quote q JOIN claims_speaker sp ON sp.id = q.speaker_id JOIN claims_source so ON so.id = q.source_id"
)

CLAIM_COLUMNS = """
    c.id, c.slug, c.text, c.review_status, c.created_at,
    (SELECT json_group_array(json_object('speaker', sp.name, 'speaker_slug', sp.slug, 'stance', a.stance,
                                         'quote', a.quote_id))
       FROM claims_attribution a JOIN claims_quote q ON q.id = a.quote_id
       JOIN claims_speaker sp ON sp.id = q.speaker_id WHERE a.claim_id = c.id) AS attributions,
    (SELECT count(*) FROM claims_claimrelation r WHERE r.to_claim_id = c.id AND r.kind = 'disputes') AS counter_claims
"""

DATASETTE_SQL = {
    "W0": f"SELECT {QUOTE_COLUMNS} FROM {QUOTE_JOINS} WHERE q.status = 'approved' "
    f"ORDER BY so.published_on DESC, so.title, q.start, q.id LIMIT {PAGE_SIZE}",
    "W1": f"SELECT {CLAIM_COLUMNS} FROM claims_claim c ORDER BY c.created_at DESC, c.id DESC LIMIT {PAGE_SIZE}",
    "W2": f"SELECT {QUOTE_COLUMNS} FROM {QUOTE_JOINS} WHERE q.status = 'approved' AND ("
    f"q.search_document LIKE '% {SEARCH_WORD}%' OR q.speaker_id IN "
    f"(SELECT id FROM claims_speaker WHERE search_document LIKE '% {SEARCH_WORD}%')) "
    f"ORDER BY so.published_on DESC, so.title, q.start, q.id LIMIT {PAGE_SIZE}",
    "W3": f"SELECT {CLAIM_COLUMNS} FROM claims_claim c WHERE c.review_status <> 'reviewed' AND ("
    "EXISTS (SELECT 1 FROM claims_claimrelation r WHERE r.kind = 'disputes' AND r.to_claim_id = c.id) OR "
    "EXISTS (SELECT 1 FROM claims_claimrelation r WHERE r.kind = 'disputes' AND r.from_claim_id = c.id)) "
    f"ORDER BY c.created_at, c.id LIMIT {PAGE_SIZE}",
    "W4": """
SELECT c.id, c.slug, c.text, c.review_status, c.created_at, c.version,
  (SELECT json_group_array(json_object('id', a.id, 'stance', a.stance, 'quote', json_object(
       'id', q.id, 'text', q.text, 'start', q.start, 'end', q."end", 'kind', q.kind, 'said_on', q.said_on,
       'speaker', json_object('id', sp.id, 'slug', sp.slug, 'name', sp.name),
       'source', json_object('id', so.id, 'slug', so.slug, 'title', so.title, 'published_on', so.published_on))))
     FROM claims_attribution a JOIN claims_quote q ON q.id = a.quote_id
     JOIN claims_speaker sp ON sp.id = q.speaker_id JOIN claims_source so ON so.id = q.source_id
     WHERE a.claim_id = c.id) AS attributions,
  (SELECT json_group_array(json_object('id', o.id, 'slug', o.slug, 'text', o.text, 'kind', r.kind))
     FROM claims_claimrelation r JOIN claims_claim o ON o.id = r.from_claim_id WHERE r.to_claim_id = c.id)
     AS related_from,
  (SELECT json_group_array(json_object('id', o.id, 'slug', o.slug, 'text', o.text, 'kind', r.kind))
     FROM claims_claimrelation r JOIN claims_claim o ON o.id = r.to_claim_id WHERE r.from_claim_id = c.id)
     AS related_to,
  (SELECT json_group_array(json_object('rating', v.rating, 'rationale', v.rationale, 'published_at', v.published_at))
     FROM claims_review v WHERE v.claim_id = c.id AND v.status = 'published') AS reviews,
  (SELECT json_group_array(t.slug) FROM claims_claim_topics ct JOIN claims_topic t ON t.id = ct.topic_id
     WHERE ct.claim_id = c.id) AS topics
FROM claims_claim c WHERE c.id = :id
""",
    "W5": f"SELECT {CLAIM_COLUMNS} FROM claims_claim c ORDER BY c.created_at DESC, c.id DESC "
    f"LIMIT {PAGE_SIZE} OFFSET {(DEEP_PAGE - 1) * PAGE_SIZE}",
}

# W0–W7 as a Datasette user would write them (see the module docstring). Same columns as above.
TUNED_SQL = {
    "W0": f"SELECT {QUOTE_COLUMNS} FROM {QUOTE_JOINS} WHERE q.status = 'approved' AND sp.status = 'approved' "
    f"ORDER BY q.source_id, q.start, q.id LIMIT {PAGE_SIZE}",
    "W1": DATASETTE_SQL["W1"],
    # FTS5 finds the matches (a third of the quotes for this word); the page walks the API's order on
    # its index, as SQLite's planner otherwise sorts every match (seconds): INDEXED BY says so.
    "W2": f"SELECT {QUOTE_COLUMNS} FROM claims_quote q INDEXED BY claims_quot_source__08938d_idx "
    "JOIN claims_speaker sp ON sp.id = q.speaker_id JOIN claims_source so ON so.id = q.source_id "
    "WHERE q.status = 'approved' AND sp.status = 'approved' AND q.id IN ("
    "SELECT rowid FROM claims_quote_fts WHERE claims_quote_fts MATCH :q UNION "
    "SELECT id FROM claims_quote WHERE speaker_id IN "
    "(SELECT rowid FROM claims_speaker_fts WHERE claims_speaker_fts MATCH :q)) "
    f"ORDER BY q.source_id, q.start, q.id LIMIT {PAGE_SIZE}",
    "W3": f"SELECT {CLAIM_COLUMNS} FROM claims_claim c WHERE c.is_disputed AND c.review_status <> 'reviewed' "
    f"AND NOT c.has_verdict ORDER BY c.created_at, c.id LIMIT {PAGE_SIZE}",
    "W4": DATASETTE_SQL["W4"],
    "W5": f"SELECT {CLAIM_COLUMNS} FROM claims_claim c WHERE (c.created_at, c.id) < (:created_at, :id) "
    f"ORDER BY c.created_at DESC, c.id DESC LIMIT {PAGE_SIZE}",
    "W6": DATASETTE_SQL["W4"],
    "W7": """
SELECT s.id, s.slug, s.name, s.kind, s.description, s.wikidata_id, s.status, s.created_at, s.updated_at, s.version,
  (SELECT json_group_array(a.name) FROM claims_speakeralias a WHERE a.speaker_id = s.id) AS aliases,
  (SELECT json_group_array(json_object('title', r.title, 'organisation', r.organisation,
       'start_date', r.start_date, 'end_date', r.end_date)) FROM claims_role r WHERE r.speaker_id = s.id) AS roles,
  (SELECT count(*) FROM claims_quote q WHERE q.speaker_id = s.id) AS quote_count,
  (SELECT count(DISTINCT a.claim_id) FROM claims_attribution a JOIN claims_quote q ON q.id = a.quote_id
     WHERE q.speaker_id = s.id) AS claim_count
FROM claims_speaker s WHERE s.slug = :slug AND s.status = 'approved'
""",
}

DESCRIPTIONS = {
    "W0": "a page of 50 quotes",
    "W1": "50 newest claims, with attributions' speakers and counter-claim counts",
    "W2": f"?q={SEARCH_WORD} over quotes, 50 results",
    "W3": "a page of the disputed queue",
    "W4": "one claim's detail",
    "W5": f"page {DEEP_PAGE} of claims (API: by cursor)",
    "W6": "the long tail: a random claim's detail, over all the claims",
    "W7": "a random speaker's page",
}
# W8 has no Datasette counterpart (Datasette serves an immutable file): readers on W1, W4 and W6
# while bench/writer.py commits edits through the API.
MIXED = "W8"
MIXED_DESCRIPTION = "readers on W1, W4 and W6 while a writer commits 5 edits/s through the API"


def api_path(workload, claim_id):
    return {
        "W0": f"/api/quotes/?page_size={PAGE_SIZE}",
        "W1": f"/api/claims/?page_size={PAGE_SIZE}",
        "W2": f"/api/quotes/?q={SEARCH_WORD}&page_size={PAGE_SIZE}",
        "W3": f"/api/claims/disputed/?page_size={PAGE_SIZE}",
        "W4": f"/api/claims/{claim_id}/",
        # The API's deep pages are read with a cursor (keyset pagination): run.sh follows `next` from the
        # first cursor page DEEP_PAGE - 1 times, as a client would, and exports the path it reached.
        "W5": os.environ.get("W5_PATH") or f"/api/claims/?page={DEEP_PAGE}&page_size={PAGE_SIZE}",
        "W6": f"/api/claims/{claim_id}/",
        "W7": f"/api/speakers/{claim_id}/",  # a slug here
    }[workload]


def follow_next(base_url, path, pages):
    """The path of the `pages`-th page, reached by following `next` links from `path` (page 1)."""
    for _ in range(pages - 1):
        with urlopen(base_url + path) as response:
            path = _path_of(json.load(response)["next"])
    return path


def _path_of(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


# Columns holding nested JSON, which Datasette is asked to return as JSON rather than as strings.
NESTED = {
    "W1": ["attributions"],
    "W3": ["attributions"],
    "W4": ["attributions", "related_from", "related_to", "reviews", "topics"],
    "W5": ["attributions"],
    "W6": ["attributions", "related_from", "related_to", "reviews", "topics"],
    "W7": ["aliases", "roles"],
}


def datasette_path(workload, claim_id, database="corpus", tuned=False, cursor=None):
    """The canned query's JSON; `claim_id` is W4/W6's claim or W7's speaker slug, `cursor` W5's (created_at, id)."""
    suffix = "".join(f"&_json={column}" for column in NESTED.get(workload, []))
    if workload in ("W4", "W6"):
        suffix += f"&id={claim_id}"
    elif workload == "W7":
        suffix += f"&slug={claim_id}"
    elif workload == "W2" and tuned:
        suffix += f"&q={SEARCH_WORD}*"
    elif workload == "W5" and tuned:
        created_at, key = cursor
        suffix += f"&created_at={created_at.replace(' ', '%20').replace('+', '%2B')}&id={key}"
    name = f"tuned_{workload.lower()}" if tuned else workload.lower()
    return f"/{database}/{name}.json?_shape=array{suffix}"


def datasette_metadata(database="corpus"):
    """Datasette's metadata: the canned queries, `w0`… as first shipped and `tuned_w0`… as a user sets them up."""
    queries = {
        workload.lower(): {"title": f"{DESCRIPTIONS[workload]} (canned)", "sql": sql}
        for workload, sql in DATASETTE_SQL.items()
    }
    queries.update(
        {
            f"tuned_{workload.lower()}": {"title": DESCRIPTIONS[workload], "sql": sql}
            for workload, sql in TUNED_SQL.items()
        }
    )
    return {"databases": {database: {"queries": queries}}}


def random_paths(target, workload, count, seed=17):
    """`count` paths of a random workload (W6, W7, W8) for `target` (api or tuned), from the corpus in DATABASE_URL.

    Same seed, same paths: the API and Datasette read the same claims and speakers.
    """
    import psycopg2

    rng = random.Random(seed)
    with psycopg2.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        if workload == "W7":
            cursor.execute("SELECT slug FROM claims_speaker WHERE status = 'approved' ORDER BY id")
        else:
            cursor.execute("SELECT id FROM claims_claim ORDER BY id")
        keys = [row[0] for row in cursor.fetchall()]
    if workload == MIXED:  # readers on W1, W4 (one popular claim) and W6 (the long tail), in equal parts
        fixed = [api_path("W1", None), api_path("W4", os.environ["W4_CLAIM_ID"])]
        return [fixed[i % 3] if i % 3 < 2 else api_path("W6", rng.choice(keys)) for i in range(count)]
    picked = [rng.choice(keys) for _ in range(count)]
    if target == "api":
        return [api_path(workload, key) for key in picked]
    return [datasette_path(workload, key, tuned=True) for key in picked]


# The public site's pages (claims/site), read at random like W6/W7, and its search.
SITE_PAGES = {
    "claim": ("SELECT slug FROM claims_claim ORDER BY id", "/claims/{}/"),
    "speaker": ("SELECT slug FROM claims_speaker WHERE status = 'approved' ORDER BY id", "/speakers/{}/"),
    "source": ("SELECT slug FROM claims_source ORDER BY id", "/sources/{}/"),
}
SITE_SEARCH = f"/search/?q={SEARCH_WORD}"
SITE_DESCRIPTIONS = {
    "claim": ("a random claim's page", "W6"),
    "speaker": ("a random speaker's page", "W7"),
    "source": ("a random source's page", None),
    "search": (f"search `{SEARCH_WORD}`", "W2"),
}


def site_paths(page, count, seed=17):
    """`count` paths of random public pages of one kind (claim, speaker, source), a fixed seed."""
    import psycopg2

    query, pattern = SITE_PAGES[page]
    rng = random.Random(seed)
    with psycopg2.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute(query)
        slugs = [row[0] for row in cursor.fetchall()]
    return [pattern.format(rng.choice(slugs)) for _ in range(count)]


def keyset_of():
    """W5's position for Datasette's keyset query: the (created_at, id) of the claim just before page DEEP_PAGE."""
    import psycopg2

    offset = (DEEP_PAGE - 1) * PAGE_SIZE - 1
    with psycopg2.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT created_at AT TIME ZONE 'UTC', id FROM claims_claim "
            "ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
            [offset],
        )
        created_at, key = cursor.fetchone()
    return created_at.isoformat(sep=" "), key  # as bench/export_sqlite.py writes it


if __name__ == "__main__":
    if sys.argv[1] == "follow":  # follow BASE_URL PATH PAGES
        print(follow_next(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    elif sys.argv[1] == "metadata":
        print(json.dumps(datasette_metadata(), indent=2))
    elif sys.argv[1] == "paths" and sys.argv[2] == "site":  # paths site claim|speaker|source COUNT
        print("\n".join(site_paths(sys.argv[3], int(sys.argv[4]))))
    elif sys.argv[1] == "paths":  # paths api|tuned W6|W7|W8 COUNT
        print("\n".join(random_paths(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
    else:
        target, workload, claim_id = sys.argv[1], sys.argv[2], sys.argv[3]
        if target == "api":
            print(api_path(workload, claim_id))
        elif target == "tuned":
            print(datasette_path(workload, claim_id, tuned=True, cursor=keyset_of() if workload == "W5" else None))
        else:
            print(datasette_path(workload, claim_id))
