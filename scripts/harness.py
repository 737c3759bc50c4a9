"""What scripts/fuzz_api.py, race_servers.py and bench.py share: a fresh
database with the demo data, and real gunicorn servers on production settings.

    with Stack("fuzz") as stack:
        stack.prepare()                      # database, migrate, static, demo
        base = stack.start_server(port=8611)
        ...

Everything lives under artifacts/<name>/ (logs, static files, media) and in a
PostgreSQL database `dh_prod_<name>` (dropped and created afresh) when
PostgreSQL answers on DATABASE_ADMIN_URL, else in an SQLite file. Every
process started here is stopped on exit, by its own process id.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_BASE = os.environ.get("HARNESS_REDIS", "redis://127.0.0.1:6379")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def redis_available(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except Exception:
        return False


class Stack:
    def __init__(
        self, name: str, *, redis_db: int, require_postgres: bool = False, env: dict | None = None
    ):
        self.name = name
        self.dir = ROOT / "artifacts" / name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.processes: list[subprocess.Popen] = []
        self.postgres = postgres_available()
        if require_postgres and not self.postgres:
            raise SystemExit(f"{name}: PostgreSQL is required and does not answer on {ADMIN_URL}")
        self.db_name = f"dh_prod_{name.replace('-', '_')}"
        if self.postgres:
            base = ADMIN_URL.rsplit("/", 1)[0]
            database_url = f"{base}/{self.db_name}"
        else:
            database_url = f"sqlite:///{self.dir / 'db.sqlite3'}"
        redis_url = f"{REDIS_BASE}/{redis_db}"
        self.redis_url = redis_url if redis_available(redis_url) else ""
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": self.redis_url,
            "CACHE_KEY_PREFIX": f"dh-{name}",
            # Plain HTTP on the loopback: no TLS proxy in front here.
            "SECURE_SSL_REDIRECT": "false",
            "TRUSTED_PROXIES": "0",
            "EMAIL_URL": "consolemail://",
            "STATIC_ROOT": str(self.dir / "static"),
            "MEDIA_ROOT": str(self.dir / "media"),
            "REQUEST_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }

    # --- lifecycle -------------------------------------------------------------------

    def __enter__(self) -> Stack:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        return self

    def __exit__(self, *exc) -> None:
        self.stop_all()

    def prepare(self, *, demo: bool = True) -> None:
        started = time.perf_counter()
        if self.postgres:
            import psycopg

            with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.db_name}"')
        else:
            (self.dir / "db.sqlite3").unlink(missing_ok=True)
        if self.redis_url:
            import redis

            redis.Redis.from_url(self.redis_url).flushdb()
        shutil.rmtree(self.dir / "media", ignore_errors=True)
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        if demo:
            self.manage("load_demo")
        log(
            f"{self.name}: {'PostgreSQL ' + self.db_name if self.postgres else 'SQLite'}"
            f"{', Redis ' + self.redis_url if self.redis_url else ', no Redis'}; ready in "
            f"{time.perf_counter() - started:.1f}s"
        )

    def manage(self, *args: str, capture: bool = False) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise SystemExit(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def django(self, code: str) -> object:
        """Runs ``code`` in a Django process; whatever it assigns to ``result``
        comes back (as JSON)."""
        program = (
            "import django, json\ndjango.setup()\nresult = None\n"
            + code
            + "\nprint('\\n__RESULT__' + json.dumps(result, default=str))\n"
        )
        result = subprocess.run(
            [PYTHON, "-c", program],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            raise SystemExit(f"Django snippet failed:\n{result.stdout}\n{result.stderr}")
        return json.loads(result.stdout.rsplit("__RESULT__", 1)[1])

    def start_server(
        self, *, port: int, workers: int = 3, threads: int = 1, env: dict | None = None
    ) -> str:
        logfile = open(self.dir / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed with the process)
        args = [
            GUNICORN,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--backlog",
            "4096",
            "--keep-alive",
            "30",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ]
        if threads:
            # gthread even with one thread: it keeps connections alive (the
            # sync worker closes each one after a single request).
            args += ["--worker-class", "gthread", "--threads", str(threads)]
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **(env or {})},
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(
                    f"gunicorn on {port} exited:\n{(self.dir / f'gunicorn-{port}.log').read_text()}"
                )
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        log(
                            f"{self.name}: gunicorn on {base} ({workers} workers × {threads} threads)"
                        )
                        return base
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn on {port} did not become healthy")

    def start_worker(self, *, background: bool = False) -> None:
        """`manage.py db_worker`: sends what the servers queued (e-mails).

        ``background``: it takes only the CPU the app servers leave. Scheduled
        SCHED_IDLE (`chrt --idle 0`; systemd: CPUSchedulingPolicy=idle), and
        its session's autogroup at nice 19, since on this kernel a nice value
        only counts inside its autogroup. A nice value alone was not enough: in
        some order rounds the worker at nice 19 still took a third of the CPU
        (the kernel wakes a server process or a PostgreSQL backend onto a CPU
        that runs only SCHED_IDLE work as onto an idle one; a niced process
        does not count as idle), at SCHED_IDLE it takes 5-17%."""
        logfile = open(self.dir / "worker.log", "w")  # noqa: SIM115 (closed with the process)
        command = [PYTHON, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        command += ["--interval", "0.2"]
        process = subprocess.Popen(
            ["chrt", "--idle", "0", "nice", "-n", "19", *command] if background else command,
            cwd=ROOT,
            env=self.env,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        if background:  # without autogroups (no such file) the policy alone counts
            with contextlib.suppress(OSError):
                Path(f"/proc/{process.pid}/autogroup").write_text("19")
        log(f"{self.name}: task worker started" + (" (SCHED_IDLE)" if background else ""))

    def sql(self, statement: str) -> None:
        """Runs one SQL statement on the stack's PostgreSQL database (nothing on SQLite)."""
        if self.postgres:
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as conn:
                conn.execute(statement)

    def tasks(self) -> dict[str, int]:
        """How many queued tasks are in each status (READY, RUNNING, SUCCESSFUL, FAILED)."""
        return self.django(
            "from django.db.models import Count\n"
            "from django_tasks_db.models import DBTaskResult\n"
            "result = dict(DBTaskResult.objects.values_list('status').annotate(n=Count('id')))"
        )

    def wait_for_tasks(self, *, timeout: float = 300) -> tuple[dict[str, int], float]:
        """Waits until the worker has run every queued task; returns the counts
        by status and the seconds it took."""
        started = time.monotonic()
        while True:
            counts = self.tasks()
            waiting = counts.get("READY", 0) + counts.get("RUNNING", 0)
            if not waiting or time.monotonic() - started > timeout:
                return counts, time.monotonic() - started
            time.sleep(0.5)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def server_errors(self) -> list[str]:
        """Tracebacks and 5xx lines the servers logged."""
        found = []
        for path in self.dir.glob("gunicorn-*.log"):
            for line in path.read_text(errors="replace").splitlines():
                if '"level": "ERROR"' in line or "Traceback" in line:
                    found.append(f"{path.name}: {line[:500]}")
        return found


def http_json(
    method: str, url: str, *, token: str | None = None, body=None, headers=None, timeout=30
):
    """(status, parsed body or text) with the standard library only."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


# Users with tokens, made straight in the database: the token endpoint is
# (rightly) throttled per address, and every client here shares 127.0.0.1.
MAKE_USERS = """
from django.contrib.auth import get_user_model
from accounts import services
User = get_user_model()
result = {}
for name in NAMES:
    user, _ = User.objects.get_or_create(username=name, defaults={"email": name + "@example.org"})
    result[name] = services.token_issue(user=user, name="scripts/harness.py").key
"""


def make_users(stack: Stack, names: list[str]) -> dict[str, str]:
    return stack.django(f"NAMES = {names!r}\n" + MAKE_USERS)
