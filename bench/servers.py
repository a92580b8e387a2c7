"""Server models side by side: the same app, corpus and reads served by each, in alternated rounds.

Each model is started once (every read built: API_READ_CACHE_SECONDS=0, throttles out of the way,
DEBUG off) and measured with wrk at 8 connections, round after round, so the machine's drift falls
on every model alike. Besides req/s and p99, the CPU each request cost the server's processes and
PostgreSQL's backends is read from /proc: it moves far less with the machine's load than req/s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sahel_bench .venv/bin/python bench/servers.py \
        [--rounds 2] [--seconds 8] [--only granian]

A model whose server is not installed is left out with a note: requirements.txt has granian, the
server chosen this way; for gunicorn's models, `.venv/bin/pip install gunicorn==27.0.1` first.
Paths: the stack's ceiling, W0, W1, and random claim details and claim pages.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TICK = os.sysconf("SC_CLK_TCK")


def _gunicorn(workers, threads):
    # gthread even with one thread: the sync worker closes every connection after its response.
    options = f"--worker-class gthread --workers {workers} --threads {threads} --access-logfile /dev/null"
    return [str(BIN / "gunicorn"), "sahel.wsgi:application", *options.split(), "--bind", "127.0.0.1:{port}"]


def _granian(workers, threads):
    options = f"--interface wsgi --workers {workers} --blocking-threads {threads} --host 127.0.0.1"
    return [str(BIN / "granian"), *options.split(), "--port", "{port}", "sahel.wsgi:application"]


MODELS = {
    "gunicorn 2 workers x 4 threads": _gunicorn(2, 4),
    "gunicorn 4 workers x 2 threads": _gunicorn(4, 2),
    "gunicorn 8 workers x 1 thread": _gunicorn(8, 1),
    "granian 2 workers x 4 threads": _granian(2, 4),
    "granian 4 workers x 2 threads": _granian(4, 2),
    "granian 2 workers x 2 threads": _granian(2, 2),
    "granian 4 workers x 1 thread": _granian(4, 1),
}

FIXED_PATHS = {
    "stack ceiling": "/api/relations/?page_size=1",
    "W0": "/api/quotes/?page_size=50",
    "W1": "/api/claims/?page_size=50",
}
RANDOM_PATHS = {  # name: (query of the keys, path)
    "W6 random claim": ("SELECT id FROM claims_claim", "/api/claims/{}/"),
    "claim page": ("SELECT slug FROM claims_claim", "/claims/{}/"),
}


def _cpu_seconds(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _children(root):
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    tree, added = {root}, True
    while added:
        added = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= added
    return tree


def server_cpu(root):
    return sum(_cpu_seconds(pid) for pid in _children(root))


def database_backends(database):
    """{pid: CPU seconds} of PostgreSQL's backends serving `database`."""
    backends = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if command.startswith("postgres:") and f" {database} " in command:
                backends[int(entry.name)] = _cpu_seconds(int(entry.name))
    return backends


def database_cpu_since(database, before):
    """The CPU the backends serving `database` used since `before` (database_backends()): a backend that
    ended meanwhile is not counted, one that started counts whole."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in database_backends(database).items())


def wrk(url, seconds, script=None, paths=None):
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "--timeout", "10s", "--latency"]
    if script:
        command += ["-s", script]
    env = {**os.environ, "PATHS": paths} if paths else None
    output = subprocess.run([*command, url], capture_output=True, text=True, env=env, check=True).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return requests, float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), float(p99.group(1)) * scale, errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--only", default="", help="only the models whose name contains this")
    options = parser.parse_args()
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    env = {
        **os.environ,
        "API_READ_CACHE_SECONDS": "0",
        "THROTTLE_ANON": "100000000/second",
        "THROTTLE_USER": "100000000/second",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-secret"),
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    workdir = Path(tempfile.mkdtemp(prefix="servers-"))
    path_files = {}
    for name, (query, template) in RANDOM_PATHS.items():
        keys = subprocess.run(
            ["psql", os.environ["DATABASE_URL"], "-Atc", f"{query} ORDER BY random() LIMIT 20000"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        path_files[name] = workdir / f"{len(path_files)}.txt"
        path_files[name].write_text("".join(template.format(key) + "\n" for key in keys))

    servers = {}
    for index, (model, command) in enumerate(MODELS.items()):
        if options.only not in model:
            continue
        if not Path(command[0]).exists():
            print(f"{model}: {Path(command[0]).name} is not installed, left out")
            continue
        port = 8900 + index
        process = subprocess.Popen(  # noqa: S603
            [part.format(port=port) for part in command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / f"{port}.log", "wb"),  # noqa: SIM115
            start_new_session=True,
        )
        servers[model] = (process, f"http://127.0.0.1:{port}")
    try:
        for _, base in servers.values():
            for _ in range(100):
                try:
                    urlopen(base + "/api/", timeout=2).read()  # noqa: S310 (the loopback)
                    break
                except OSError:
                    time.sleep(0.2)
        results = {}
        for round_number in range(options.rounds):
            for name in [*FIXED_PATHS, *RANDOM_PATHS]:
                for model, (process, base) in servers.items():
                    script = str(ROOT / "bench/paths.lua") if name in RANDOM_PATHS else None
                    paths = str(path_files[name]) if name in RANDOM_PATHS else None
                    url = base + FIXED_PATHS[name] if name in FIXED_PATHS else base
                    wrk(url, 2, script, paths)  # warm-up
                    server_before, database_before = server_cpu(process.pid), database_backends(database)
                    requests, rate, p99, errors = wrk(url, options.seconds, script, paths)
                    server = (server_cpu(process.pid) - server_before) * 1000 / requests
                    postgres = database_cpu_since(database, database_before) * 1000 / requests
                    results.setdefault((name, model), []).append((rate, p99, server, postgres))
                    note = f" ({errors.group(1)} errors)" if errors else ""
                    print(
                        f"round {round_number + 1} {name} | {model}: {rate:.0f} req/s, p99 {p99:.0f} ms, "
                        f"CPU {server:.2f} ms server + {postgres:.2f} ms PostgreSQL{note}",
                        flush=True,
                    )
        print("\n| read | server model | req/s (each round) | p99 ms | CPU ms server + PostgreSQL |")
        print("|---|---|---|---|---|")
        for (name, model), rows in results.items():
            rates = " / ".join(f"{rate:.0f}" for rate, *_ in rows)
            p99s = " / ".join(f"{p99:.0f}" for _, p99, *_ in rows)
            server = sum(row[2] for row in rows) / len(rows)
            postgres = sum(row[3] for row in rows) / len(rows)
            print(f"| {name} | {model} | {rates} | {p99s} | {server:.2f} + {postgres:.2f} |")
    finally:
        for process, _ in servers.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
