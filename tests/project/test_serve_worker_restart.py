"""`make run` stays up when its task worker dies: the worker is started again (later each time
while it keeps dying), the site goes on answering, and /healthz tells an admin what happened."""

import http.cookiejar
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from documents.management.commands import serve
from tests.project import test_serve
from tests.project.test_serve import STARTUP_LIMIT_SECONDS, free_port, start_serve, stop, wait_for

fresh_database_url = test_serve.fresh_database_url  # the fixture, shared

RESTART_LIMIT_SECONDS = 60


def worker_pids(server: subprocess.Popen) -> set[int]:
    found = subprocess.run(
        ["pgrep", "-f", "manage.py db_worker", "-s", str(server.pid)],
        capture_output=True,
        text=True,
    ).stdout
    return {int(pid) for pid in found.split()}


def new_worker(server: subprocess.Popen, dead: int) -> int:
    deadline = time.monotonic() + RESTART_LIMIT_SECONDS
    while time.monotonic() < deadline:
        pids = worker_pids(server) - {dead}
        if pids:
            return pids.pop()
        assert server.poll() is None, "serve stopped when its worker died"
        time.sleep(0.2)
    pytest.fail("no new worker was started")


def output_until_serving(server: subprocess.Popen) -> str:
    lines = []
    while not lines or "Serving http" not in lines[-1]:
        line = server.stdout.readline()
        if not line:
            pytest.fail("serve stopped before serving:\n" + "".join(lines))
        lines.append(line)
    return "".join(lines)


def admin_session(base: str, password: str) -> urllib.request.OpenerDirector:
    """Log in through the login page, as a person does."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/accounts/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    form = {"csrfmiddlewaretoken": token, "username": "admin", "password": password}
    opener.open(f"{base}/accounts/login/", urllib.parse.urlencode(form).encode(), timeout=10)
    return opener


def test_a_killed_worker_is_started_again_and_the_site_stays_up(fresh_database_url, tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_serve(fresh_database_url, tmp_path, port)
    password_file = None
    try:
        started = output_until_serving(server)
        # Its output may be kept in a log: the password is in a file of the user's own instead.
        password_file = Path(re.search(r"password: in (\S+) \(readable by you only", started)[1])
        password = password_file.read_text().strip()
        assert password not in started
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        wait_for(f"{base}/healthz", STARTUP_LIMIT_SECONDS, server)
        (first,) = worker_pids(server)

        os.kill(first, signal.SIGKILL)
        second = new_worker(server, first)
        status, home = wait_for(f"{base}/", 10)
        assert status == 200 and "FOIA Email Archive" in home
        # Killed again at once: a worker that keeps dying waits longer each time.
        os.kill(second, signal.SIGKILL)
        new_worker(server, second)

        status, public = wait_for(f"{base}/healthz", 10)
        assert status == 200 and json.loads(public) == {"ok": True}  # no paths, no counts
        deadline = time.monotonic() + RESTART_LIMIT_SECONDS
        while True:
            with admin_session(base, password).open(f"{base}/healthz", timeout=10) as answer:
                report = json.loads(answer.read())
            if report["worker"]["state"] == "running" or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert report["worker"]["state"] == "running"
        assert report["worker"]["restarts"] == 2
        assert report["database"]["ok"] and "search_index" in report
    finally:
        output, _ = stop(server, signal.SIGTERM, group=False)
        if password_file:
            password_file.unlink(missing_ok=True)
    assert server.returncode == 0, output
    deaths = [line for line in output.splitlines() if "The task worker" in line]
    assert len(deaths) == 2, output  # one line each, no traceback
    assert "was killed by SIGKILL" in deaths[0] and "again in 1 s (restart 1)" in deaths[0]
    assert "again in 2 s (restart 2)" in deaths[1]
    assert "Stopped." in output


class Clock:
    now = 1000.0

    def monotonic(self) -> float:
        return self.now


def test_a_worker_that_keeps_dying_waits_longer_each_time_up_to_a_cap(tmp_path, monkeypatch):
    clock = Clock()
    monkeypatch.setattr(serve.time, "monotonic", clock.monotonic)
    logged = []
    env = os.environ | {"WORKER_STATE_FILE": str(tmp_path / "worker.json")}
    worker = serve.WorkerSupervisor(
        [sys.executable, "-c", "raise SystemExit(3)"], env, logged.append
    )
    worker.start()
    waits = []
    for _ in range(9):
        worker.process.wait(timeout=30)
        worker.keep_running()  # notices the death
        state = json.loads((tmp_path / "worker.json").read_text())
        assert state["state"] == "restarting" and worker.process is None
        waits.append(int(re.search(r"again in (\d+) s", logged[-1])[1]))
        clock.now = worker.restart_at
        worker.keep_running()  # starts the next one
        assert json.loads((tmp_path / "worker.json").read_text())["state"] == "running"
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert "exited with status 3" in logged[0]
    # One that ran a good while before dying is not crash-looping: it waits 1 s again.
    worker.process.wait(timeout=30)
    clock.now += serve.WORKER_STABLE_SECONDS
    worker.keep_running()
    assert "again in 1 s (restart 10)" in logged[-1]
    assert json.loads((tmp_path / "worker.json").read_text())["restarts"] == 10
