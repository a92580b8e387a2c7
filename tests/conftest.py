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


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with no rate-limit counts and no stored API reads (a test may change settings)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield


@pytest.fixture
def api():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(params=["anonymous", "curator"])
def reader_client(request, working_groups):
    """An API client reading anonymously, then as a curator (who may see drafts)."""
    from rest_framework.test import APIClient

    from tests import factories

    client = APIClient()
    if request.param == "curator":
        client.force_authenticate(factories.user(groups=["curators"]))
    return client


@pytest.fixture
def working_groups(django_db_blocker):
    """The curators and reviewers groups, re-created if a transactional test flushed them.

    They come from a data migration, and transactional tests (browser, live server) flush every
    table after they run.
    """
    from importlib import import_module

    from django.apps import apps

    migration = import_module("claims.migrations.0010_group_permissions_by_job")
    with django_db_blocker.unblock():
        migration.give_each_group_its_job(apps, None)
