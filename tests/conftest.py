import os

import pytest
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_runtest_setup(item):
    """PostgreSQL-only tests run in the PostgreSQL pass; they never pass by skipping in CI's PostgreSQL pass."""
    if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
        if IN_CI and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("PostgreSQL was asked for (DATABASE_URL) but the connection is not PostgreSQL.")
        pytest.skip("needs PostgreSQL: runs in the PostgreSQL pass (DATABASE_URL=postgres://…)")


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "correct horse battery staple")
