"""The public site: the published record as server-rendered pages (home, claims, speakers, sources, search)."""
