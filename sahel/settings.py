"""Settings for Sahel Claims.

Everything that differs between a laptop and production comes from the environment, read here
and nowhere else. The defaults are the production-safe ones: DEBUG off, a SECRET_KEY required,
no hosts allowed. `make run` exports the friendly local values.
"""

import datetime
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# Required to serve with DEBUG off: sahel/serving.py refuses to start the web application
# without it. Offline commands (makemigrations, verify_quotes) sign nothing and run without one.
SECRET_KEY = os.environ.get("SECRET_KEY", "") or ("django-insecure-local-development-only" if DEBUG else "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "claims",
    "claims.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, its header built once from CONTENT_SECURITY_POLICY below, not on every response.
    "claims.middleware.ContentSecurityPolicyMiddleware",
    "claims.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag (when a view set none) and 304 for If-None-Match / If-Modified-Since on GET: saves bandwidth.
    # Django's, its preconditions evaluated only when the request sends one.
    "claims.middleware.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, its storage made only when messages are used (the admin), not on every API read.
    "claims.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "claims.middleware.DatabaseUnavailableMiddleware",
    # Answers a sign-in refused by django-axes (a locked-out account or address) with claims.signin's page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sahel.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "sahel" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "sahel.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Reuse connections, but check them before use so a restarted PostgreSQL server
        # costs one failed request at most, not a dead worker.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that needs no round trip while the connection is well.
    DATABASES["default"]["ENGINE"] = "sahel.postgresql"
    # A request that cannot reach the database fails fast instead of hanging a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
    # No JIT: the planner's high cost estimates for the claims' correlated subqueries make PostgreSQL
    # compile them, which costs 150–450 ms per statement for queries that run in 1–60 ms (bench/RESULTS.md).
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_DATABASE_NAME", "test_sahel")

# Streaming replicas of the primary for anonymous reads (claims/db_router.py), comma-separated; one is
# chosen per request. None: everything reads and writes "default", as before.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS"), start=1):
    replica = dj_database_url.parse(
        url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    # Tests run against the primary's test database: a replica is a mirror there, not a database to create.
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["claims.db_router.ReplicaRouter"]
    # Last, so that its process_view runs after every other one (it may run the view itself).
    MIDDLEWARE.append("claims.db_router.ReplicaRoutingMiddleware")
# A replica whose replay is further behind than this (seconds) is skipped: the bound on a reader's staleness.
DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "5"))
# How long one look at a replica's lag (or at it being down) is trusted, per app server process.
DATABASE_REPLICA_CHECK_SECONDS = float(os.environ.get("DATABASE_REPLICA_CHECK_SECONDS", "1"))
# Name the database that served a request's reads in an X-Database header (with replicas only).
DATABASE_ROUTE_HEADER = env_bool("DATABASE_ROUTE_HEADER", DEBUG)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Failed sign-ins (the admin's login page, POST /api/auth/token/) are counted by django-axes in the
# database (shared by every app server), per account and per client address separately. Once either
# reaches AXES_FAILURE_LIMIT failures within AXES_COOLOFF_MINUTES, it is locked out for that long,
# even with the right password: 429 (claims/signin.py). A failure during the lockout starts it again.
# An administrator unlocks an account at once with `manage.py axes_reset_username NAME`.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=float(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "claims.signin.lockout_response"
AXES_CLIENT_IP_CALLABLE = "claims.signin.client_address"
# Reverse proxies in front of the app servers (a load balancer: 1; a CDN before it: 2). Their addresses
# are not the clients': the client's is read from X-Forwarded-For, counted from the right (one rule,
# claims.signin.client_address, for django-axes' lockouts and DRF's rate limits alike).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# Dates in words ("5 November 2019"), ISO in form inputs: 05/11/2019 reads as 11 May to half the world.
FORMAT_MODULE_PATH = ["sahel.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `manage.py check` run without collectstatic; serve from the finders there.
WHITENOISE_USE_FINDERS = True
# Files served at the site's root (/favicon.ico), which browsers ask for on every page.
WHITENOISE_ROOT = BASE_DIR / "sahel" / "root"

# Request bodies larger than this are refused before they are read whole.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))

# The longest text an import accepts, in characters: extraction is linear (about 5 MB in under 30 s),
# but a bigger file is more likely a mistake (a database dump, a PDF's bytes) than an article.
IMPORT_MAX_CHARACTERS = int(os.environ.get("IMPORT_MAX_CHARACTERS", 8_000_000))

# Production hardening; `make run` turns DEBUG on, which relaxes what needs HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (django-csp). Scripts come from this site's own files
# only: no inline <script>, no event-handler attributes, no javascript: URLs, no eval — an injected
# script does not run even if some text slips through unescaped. JSON data blocks
# (<script type="application/ld+json">) are not scripts and are unaffected. Inline styles stay
# allowed: Django's admin, DRF's browsable API and Swagger UI still write style attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

CACHES = {
    # Rate-limit counters (DRF's throttles).
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Rendered anonymous API reads, replayed while the database has committed nothing since
    # (claims/api/read_cache.py). Per process; the least recently used go first past MAX_ENTRIES.
    "api_reads": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "api-reads",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("API_READ_CACHE_ENTRIES", "500"))},
    },
}
# Several app servers side by side share their rate-limit counts (and sessions' cache) through Redis,
# e.g. REDIS_URL=redis://127.0.0.1:6379/0. Sessions stay in the database, read through that cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "sahel"),  # one Redis, several deployments
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# How long a replayable read is kept at most (it is never replayed once the data has changed); 0: never.
API_READ_CACHE_SECONDS = int(os.environ.get("API_READ_CACHE_SECONDS", "600"))
# Built reads' statements PREPAREd once per PostgreSQL connection (claims/api/statements.py); off
# behind a pooler in transaction mode (PgBouncer), where a connection's prepared statements do not follow it.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)

# The most rows a CSV export (`?format=csv` on a list) writes; its headers say when it was reached.
API_CSV_MAX_ROWS = int(os.environ.get("API_CSV_MAX_ROWS", "100000"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "claims.api.authentication.TokenAuthentication",
        "claims.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claims.api.permissions.ModelPermissionsOrAnonReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "claims.api.renderers.ORJSONRenderer",
        "claims.api.renderers.BrowsableAPIRenderer",
        "claims.api.renderers.CSVRenderer",
    ],
    # DRF's choice of renderer, remembered per renderers, format and Accept header.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "claims.api.negotiation.ContentNegotiation",
    # JSON that nests past a few dozen levels is a 400, not a RecursionError (claims/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "claims.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "claims.api.pagination.Pagination",
    "EXCEPTION_HANDLER": "claims.api.exceptions.exception_handler",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "claims.api.throttling.AnonRateThrottle",  # clients named as django-axes names them (TRUSTED_PROXIES)
        "claims.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "600/minute"),
        "user": os.environ.get("THROTTLE_USER", "3000/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Sahel Claims API",
    "DESCRIPTION": (
        "Who said what about the war in Mali and the Sahel: speakers, sources, verbatim quotes, "
        "claims, the claims that dispute them, and reviewers' verdicts."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request and response bodies as separate components: a link to a claim is read as {id, href, text}
    # and written as the claim's id (claims/api/schema.py, LinkedFieldExtension).
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One named enum per choice set, shared wherever the choices recur.
    "ENUM_NAME_OVERRIDES": {
        "SpeakerKindEnum": "claims.models.Speaker.Kind",
        "SourceKindEnum": "claims.models.Source.Kind",
        "QuoteKindEnum": "claims.models.Quote.Kind",
        "RelationKindEnum": "claims.models.ClaimRelation.Kind",
        "CurationStatusEnum": "claims.models.Status",
        "VerdictStatusEnum": "claims.models.Review.Status",
        "ClaimReviewStatusEnum": "claims.models.Claim.ReviewStatus",
        "DatePrecisionEnum": "claims.models.DatePrecision",
    },
}

# Where the public site is served (scheme, host and port, no path): canonical links, the sitemap, the
# feed, and the `url` of every ClaimReview this site publishes point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long browsers and CDNs may keep a public page before asking again (ETag / Last-Modified).
SITE_CACHE_SECONDS = int(os.environ.get("SITE_CACHE_SECONDS", "60"))

# The organisation that publishes this site's verdicts (schema.org ClaimReview `author`).
CLAIMREVIEW_PUBLISHER = {
    "name": os.environ.get("CLAIMREVIEW_PUBLISHER_NAME", "Sahel Claims"),
    "url": os.environ.get("CLAIMREVIEW_PUBLISHER_URL", f"{SITE_URL}/"),
}

# Other fact-checkers' rating labels read as verdicts on import, beyond the built-in ones
# (claims.claimreview.RATING_SYNONYMS), as a JSON object of label → false, mostly_false, mixed,
# mostly_true, true or unverifiable: '{"Needs context": "mixed"}'. A label mapped nowhere is kept
# as the publisher's wording, reported, and does not mark its claim reviewed.
try:
    CLAIMREVIEW_RATING_LABELS = json.loads(os.environ.get("CLAIMREVIEW_RATING_LABELS") or "{}")
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"CLAIMREVIEW_RATING_LABELS is not a JSON object: {error}") from error

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Off only while restoring a backup: the backup carries the history itself, and recording the
# restore would write it a second time.
SIMPLE_HISTORY_ENABLED = env_bool("SIMPLE_HISTORY_ENABLED", True)
