"""Two app servers against a real PostgreSQL primary and its streaming replica, on this machine.

The harness builds its own cluster (never the system one): `initdb` a primary on port 5520, load the
schema and the seed, `pg_basebackup -R` it into a second data directory (standby.signal,
primary_conninfo) started as a hot standby on 5521, then two app servers (granian, 8020 and 8021) with
DATABASE_REPLICA_URLS and a shared Redis cache. Everything it starts is stopped at the end, and its
Redis keys (under their own prefix) are deleted.

Requests go over plain HTTP with DEBUG off, as deployed behind a TLS-terminating balancer: the
secure cookies are sent by hand. Each response names the database its reads went to (X-Database,
DATABASE_ROUTE_HEADER=1). A failing run keeps the servers' logs when SAHEL_HARNESS_KEEP=1.
"""

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PRIMARY_PORT, REPLICA_PORT = 5520, 5521
APP_PORTS = (8020, 8021)
PASSWORD = "replica harness password 7c1e"

pytestmark = pytest.mark.postgres


def _unavailable(reason):
    if IN_CI:
        pytest.fail(reason)
    pytest.skip(reason)


def _postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _redis_up():
    import redis

    try:
        return redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


class Cluster:
    """A primary and its streaming replica in a temporary directory, run as the postgres user."""

    def __init__(self, bindir, workdir):
        self.bindir, self.workdir = bindir, workdir
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.primary, self.replica = workdir / "primary", workdir / "replica"

    def run(self, tool, *args):
        subprocess.run([*self.as_postgres, str(self.bindir / tool), *args], check=True, capture_output=True)

    def pg_ctl(self, datadir, action, *extra):
        self.run("pg_ctl", action, "-D", str(datadir), "-w", "-t", "60", "-l", str(datadir) + ".log", *extra)

    def start(self, datadir, port):
        options = f"-p {port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=32MB"
        self.pg_ctl(datadir, "start", "-o", options)

    def stop(self, datadir):
        self.pg_ctl(datadir, "stop", "-m", "fast")

    def create_primary(self):
        self.run("initdb", "-D", str(self.primary), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start(self.primary, PRIMARY_PORT)
        self.run("createdb", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres", "sahel")

    def create_replica(self):
        self.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres",
            "-D", str(self.replica), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        assert (self.replica / "standby.signal").exists()
        self.start(self.replica, REPLICA_PORT)

    def stop_all(self):
        for datadir in (self.replica, self.primary):
            if (datadir / "postmaster.pid").exists():
                subprocess.run(
                    [*self.as_postgres, str(self.bindir / "pg_ctl"), "stop", "-D", str(datadir), "-m", "immediate"],
                    capture_output=True,
                )


class Browser:
    """Cookies kept by hand (the servers mark them Secure, as deployed behind TLS), CSRF token included."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, *, data=None, form=None, headers=None):
        headers = dict(headers or {})
        body = None
        if data is not None:
            body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if "sessionid" not in self.cookies:
            # Each anonymous request its own address, as the trusted proxy (TRUSTED_PROXIES=1) reports
            # it: only the signed-in curator's count is under test.
            headers.setdefault("X-Forwarded-For", f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.1")
        if "csrftoken" in self.cookies and method != "GET":
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", body, headers, method=method)
        try:
            response = _NO_REDIRECTS.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        response.body = response.read()
        return response

    def get(self, port, path, **kwargs):
        return self.request(port, "GET", path, **kwargs)


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_NO_REDIRECTS = urllib.request.build_opener(_KeepRedirects)


def _served_by(response):
    return response.headers.get("X-Database")


def _wait_for(what, check, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def deployment():
    bindir = _postgres_bin()
    if bindir is None:
        _unavailable("PostgreSQL's server binaries (initdb, pg_basebackup) are not installed")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        _unavailable("running as root needs runuser to start PostgreSQL as the postgres user")
    if not _redis_up():
        _unavailable("Redis is not answering on 127.0.0.1:6379")

    workdir = Path(tempfile.mkdtemp(prefix="sahel-replica-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres", "postgres")
    cluster = Cluster(bindir, workdir)
    prefix = f"sahel-harness-{uuid.uuid4().hex[:12]}"
    primary_url = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/sahel"
    env = {
        **os.environ,
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/sahel",
        "DATABASE_REPLICA_MAX_LAG": "5",
        "DATABASE_ROUTE_HEADER": "1",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "CACHE_KEY_PREFIX": prefix,
        "DEBUG": "0",
        "SECRET_KEY": "replica-harness-" + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "THROTTLE_USER": "12/minute",
        "TRUSTED_PROXIES": "1",  # the harness plays the reverse proxy that writes X-Forwarded-For
        # Production settings, served from the static finders (tests.settings): no collectstatic needed.
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(ROOT),
        "CONN_MAX_AGE": "60",
    }
    servers = []
    try:
        cluster.create_primary()
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--no-input"], ["load_seed"]):
            subprocess.run([*manage, *command], env=env, check=True, capture_output=True, cwd=ROOT)
        subprocess.run(
            [*manage, "createsuperuser", "--no-input", "--username", "curator", "--email", "c@example.org"],
            env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        cluster.create_replica()
        granian = str(Path(sys.executable).parent / "granian")
        for port in APP_PORTS:
            log = open(workdir / f"server-{port}.log", "wb")  # noqa: SIM115 (closed with the process)
            serve = ["--interface", "wsgi", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)]
            servers.append(
                subprocess.Popen(
                    [granian, *serve, "sahel.wsgi:application"],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        for port in APP_PORTS:
            _wait_for(f"the app server on {port}", lambda port=port: _answers(port), timeout=60)
        yield {"cluster": cluster, "env": env, "workdir": workdir}
    finally:
        for server in servers:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
        cluster.stop_all()
        _forget_redis_keys(prefix)
        if os.environ.get("SAHEL_HARNESS_KEEP"):
            print(f"harness logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _answers(port):
    try:
        return Browser().get(port, "/api/").status == 200
    except OSError:
        return False


def _forget_redis_keys(prefix):
    import redis

    client = redis.Redis(host="127.0.0.1", port=6379, db=0)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)


def _sign_in(browser, port):
    page = browser.get(port, "/admin/login/")
    assert page.status == 200
    token = page.body.decode().split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    answer = browser.request(
        port,
        "POST",
        "/admin/login/?next=/admin/",
        form={"csrfmiddlewaretoken": token, "username": "curator", "password": PASSWORD, "next": "/admin/"},
    )
    assert answer.status == 302, answer.body[:500]
    assert "sessionid" in browser.cookies


def test_two_app_servers_read_from_the_replica_and_write_to_the_primary(deployment):
    first, second = APP_PORTS
    reader = Browser()

    # Anonymous reads are served by the replica, on either server.
    for port in APP_PORTS:
        answer = reader.get(port, "/api/speakers/?page_size=5")
        assert answer.status == 200
        assert _served_by(answer) == "replica1"
    listed_before = reader.get(first, "/api/speakers/?q=Goita")
    assert json.loads(listed_before.body)["count"] == 0
    assert reader.get(first, "/api/speakers/?q=Goita").body == listed_before.body  # replayed

    # A curator signs in on one server (its CSRF token came from the other) and writes on the other.
    curator = Browser()
    curator.get(second, "/admin/login/")
    _sign_in(curator, first)
    created = curator.request(
        second,
        "POST",
        "/api/speakers/",
        data={"name": "Assimi Goïta", "slug": "assimi-goita", "kind": "person"},
    )
    assert created.status == 201, created.body[:500]
    assert _served_by(created) == "default"
    speaker = json.loads(created.body)

    # Their next read, on either server, is served by the primary and shows their write.
    for port in APP_PORTS:
        mine = curator.get(port, f"/api/speakers/{speaker['slug']}/")
        assert mine.status == 200, mine.body[:300]
        assert _served_by(mine) == "default"
        assert json.loads(mine.body)["name"] == "Assimi Goïta"

    # An anonymous reader sees it once the replica has replayed it: the replayed list moved on too.
    def listed_on_replica():
        answer = reader.get(first, "/api/speakers/?q=Goita")
        return _served_by(answer) == "replica1" and json.loads(answer.body)["count"] == 1

    _wait_for("the replica to replay the curator's write", listed_on_replica, timeout=10)
    for port in APP_PORTS:
        answer = reader.get(port, f"/api/speakers/{speaker['slug']}/")
        assert (answer.status, _served_by(answer)) == (200, "replica1")


def _on_replica(deployment, sql):
    psql = str(deployment["cluster"].bindir / "psql")
    address = ["-h", "127.0.0.1", "-p", str(REPLICA_PORT), "-U", "postgres", "-d", "sahel"]
    subprocess.run([psql, *address, "-Atc", sql], check=True, capture_output=True)


def test_a_replica_lagging_past_the_bound_is_skipped_until_it_catches_up(deployment):
    curator = Browser()
    _sign_in(curator, APP_PORTS[0])
    _on_replica(deployment, "SELECT pg_wal_replay_pause()")
    try:
        created = curator.request(
            APP_PORTS[0], "POST", "/api/speakers/", data={"name": "Fatoumata Diallo", "slug": "f-d", "kind": "person"}
        )
        assert created.status == 201, created.body[:300]

        def served_by_primary_with_the_write():
            answer = Browser().get(APP_PORTS[1], "/api/speakers/f-d/")
            return answer.status == 200 and _served_by(answer) == "default"

        # DATABASE_REPLICA_MAX_LAG is 5 s: once its replay is that far behind, the replica is skipped.
        _wait_for("the lagging replica to be skipped", served_by_primary_with_the_write, timeout=15)
    finally:
        _on_replica(deployment, "SELECT pg_wal_replay_resume()")
    _wait_for(
        "the replica, caught up, to serve the write",
        lambda: _served_by(Browser().get(APP_PORTS[1], "/api/speakers/f-d/")) == "replica1",
        timeout=15,
    )


def test_with_the_replica_stopped_reads_fall_back_to_the_primary(deployment):
    cluster = deployment["cluster"]
    reader = Browser()
    cluster.stop(cluster.replica)
    try:
        answers = [reader.get(APP_PORTS[n % 2], "/api/claims/?page_size=3") for n in range(12)]
        assert [answer.status for answer in answers] == [200] * 12
        assert {_served_by(answer) for answer in answers[4:]} == {"default"}
    finally:
        cluster.start(cluster.replica, REPLICA_PORT)
    _wait_for(
        "reads to go back to the replica",
        lambda: all(_served_by(reader.get(port, "/api/claims/?page_size=3")) == "replica1" for port in APP_PORTS),
        timeout=20,
    )


def test_with_the_primary_stopped_reads_are_served_by_the_replica_and_writes_answer_503(deployment):
    cluster = deployment["cluster"]
    reader, curator = Browser(), Browser()
    _sign_in(curator, APP_PORTS[1])
    curator.get(APP_PORTS[1], "/api/speakers/")  # a CSRF token to write with
    cluster.stop(cluster.primary)
    try:
        for port in APP_PORTS:
            for path in ("/api/claims/?page_size=3", "/api/speakers/assimi-goita/", "/api/"):
                answer = reader.get(port, path)
                assert (answer.status, _served_by(answer)) == (200, "replica1"), (port, path, answer.body[:300])
            refused = curator.request(
                port, "POST", "/api/speakers/", data={"name": "Nobody", "slug": "nobody", "kind": "person"}
            )
            assert refused.status == 503
            assert json.loads(refused.body)["code"] == "database_unavailable"
    finally:
        cluster.start(cluster.primary, PRIMARY_PORT)


def test_throttles_are_counted_across_both_servers(deployment):
    curator = Browser()
    _sign_in(curator, APP_PORTS[0])
    statuses = [curator.get(APP_PORTS[n % 2], "/api/claims/?page_size=1").status for n in range(14)]
    # Last: it spends the curator's allowance. 12 a minute for signed-in users, counted in Redis:
    # each server alone would have allowed all 14.
    assert statuses.count(200) <= 12
    assert statuses[-1] == 429
