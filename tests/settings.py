"""Test settings: production settings, with only what a test client needs relaxed.

Tests run with DEBUG off, as production does; only a throwaway key and plain-HTTP requests are
allowed here.
"""

import os

os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from sahel.settings import *  # noqa: E402, F403

# Tests run without collectstatic, so without the hashed-name manifest production serves from.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405

# On SQLite, test against a file rather than shared-cache memory: the live server used by the
# browser tests answers requests in several threads, and each needs its own connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"/tmp/sahel-test-{os.getpid()}.sqlite3"}  # noqa: F405

# A replica alias mirroring the test database, for the router's tests (tests/test_db_router.py). No
# router or routing middleware is installed here: every other test reads and writes "default" only.
if not DATABASE_REPLICAS:  # noqa: F405
    DATABASES["replica1"] = {**DATABASES["default"], "ATOMIC_REQUESTS": False, "TEST": {"MIRROR": "default"}}  # noqa: F405

# Sign-in lockouts have their own tests (tests/test_signin_lockout.py), which turn django-axes on;
# elsewhere tests sign in as they need (Django's test client signs in without a request, which axes refuses).
AXES_ENABLED = False
