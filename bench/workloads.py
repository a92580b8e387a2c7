"""The six benchmark workloads: the API path of each, and the equivalent SQL Datasette runs.

Used by run.sh (through `python bench/workloads.py api|datasette ID`), floor.py and report.py.
The Datasette SQL returns the same content as the API page: the same rows, in the same order
(quotes in the model's default order: by source, newest source first, then by offset),
with the same related fields (speakers, counter-claim counts), nested as JSON where the API nests.
"""

import json
import os
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

DESCRIPTIONS = {
    "W0": "a page of 50 quotes",
    "W1": "50 newest claims, with attributions' speakers and counter-claim counts",
    "W2": f"?q={SEARCH_WORD} over quotes, 50 results",
    "W3": "a page of the disputed queue",
    "W4": "one claim's detail",
    "W5": f"page {DEEP_PAGE} of claims (API: by cursor)",
}


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
}


def datasette_path(workload, claim_id, database="corpus"):
    suffix = "".join(f"&_json={column}" for column in NESTED.get(workload, []))
    if workload == "W4":
        suffix += f"&id={claim_id}"
    return f"/{database}/{workload.lower()}.json?_shape=array{suffix}"


def datasette_metadata(database="corpus"):
    """Datasette's metadata: one canned query per workload (`/corpus/w0.json?_shape=array`)."""
    queries = {
        workload.lower(): {"title": DESCRIPTIONS[workload], "sql": sql} for workload, sql in DATASETTE_SQL.items()
    }
    return {"databases": {database: {"queries": queries}}}


if __name__ == "__main__":
    if sys.argv[1] == "follow":  # follow BASE_URL PATH PAGES
        print(follow_next(sys.argv[2], sys.argv[3], int(sys.argv[4])))
    elif sys.argv[1] == "metadata":
        print(json.dumps(datasette_metadata(), indent=2))
    else:
        target, workload, claim_id = sys.argv[1], sys.argv[2], sys.argv[3]
        print(api_path(workload, claim_id) if target == "api" else datasette_path(workload, claim_id))
