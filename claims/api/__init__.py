"""The REST API: read-only for everybody, writes for curators and reviewers (Django REST framework)."""
