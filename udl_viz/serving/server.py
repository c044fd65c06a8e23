"""A class server: N ``streamlit run app.py`` processes on loopback ports with nginx in front.

Every process gets the same cookie secret (so XSRF tokens and uploads stay valid when a session
moves to another process), a ready file it writes once its warm-up is over, and its own address
(``$UDL_VIZ_REPLICA``). nginx only starts once every process answers ``/_stcore/health`` and has
warmed up. A process that dies is started again on a new port; nginx sends it no sessions (the
``down`` flag, then a reload) until it has warmed up.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from udl_viz.serving.nginx import ROOT, NginxLayout, render

HEALTH = "/_stcore/health"
#: Runs the dashboard's script (home.py) once in a headless session: "error" if it raises.
SCRIPT_CHECK = "/_stcore/script-health-check"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def _die_with_parent() -> None:
    """In a child before exec (Linux): get SIGTERM when serve itself dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def script_check(url: str) -> str:
    """Run home.py once in a headless session: "ok", "error" (it raised) or "timeout"/"unavailable"."""
    try:
        with urllib.request.urlopen(url + SCRIPT_CHECK, timeout=90) as response:
            return response.read().decode().strip()
    except urllib.error.HTTPError as exc:
        return exc.read().decode().strip()
    except OSError:
        return "unavailable"


@dataclass
class Replica:
    """One ``streamlit run app.py`` process."""

    index: int
    port: int
    ready_file: Path
    log: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0
    #: "starting" (no health yet), "warming", "serving" (nginx sends it sessions) or "failed" (home.py raised).
    state: str = "starting"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.address}"


@dataclass
class ClassServer:
    """Start with ``start()``, stop with ``stop()`` (also on error: it stops what it started)."""

    replicas: int
    port: int
    host: str = "127.0.0.1"
    nginx: str = "nginx"
    ready_timeout: float = 300.0
    say: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))
    run_dir: Path = field(init=False)
    members: list[Replica] = field(init=False, default_factory=list)
    nginx_proc: subprocess.Popen | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.run_dir = Path(tempfile.mkdtemp(prefix="udl_viz_serve_"))
        if os.geteuid() == 0:  # nginx's workers then run as nobody: they must reach their temporary folders
            self.run_dir.chmod(0o711)  # (else large responses, such as streamlit's chart code, come cut short)
        self._secret = secrets.token_hex(32)
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # no process is started again while stop() runs

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}" if ":" not in host else f"http://[{host}]:{self.port}"

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"

    def describe(self) -> dict:
        """The JSON line ``serve`` prints: where to connect and which processes it started."""
        return {"url": self.url, "nginx_pid": self.nginx_proc.pid if self.nginx_proc else None,
                "replica_pids": [r.proc.pid for r in self.members if r.proc],
                "replicas": [{"pid": r.proc.pid if r.proc else None, "address": r.address} for r in self.members],
                "config": str(self.config), "access_log": str(self.access_log)}

    # -- start ------------------------------------------------------------------------------
    def start(self) -> None:
        try:
            for i in range(self.replicas):
                replica = Replica(i, free_port(), self.run_dir / f"ready-{i}.json", self.run_dir / f"replica-{i}.log")
                self.members.append(replica)
                self._launch(replica)
            self._wait_ready(self.members)
            self._start_nginx()
        except BaseException:
            self.stop()
            raise

    def _launch(self, replica: Replica) -> None:
        replica.ready_file.unlink(missing_ok=True)
        env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": self._secret,
               "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
               "UDL_VIZ_READY_FILE": str(replica.ready_file), "UDL_VIZ_REPLICA": replica.address}
        env.pop("UDL_VIZ_WARMUP", None)
        with replica.log.open("ab") as log:
            replica.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                 "--server.address", "127.0.0.1", "--server.port", str(replica.port),
                 "--server.fileWatcherType", "none", "--server.scriptHealthCheckEnabled", "true"],
                cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches only us; we stop the processes in order
                preexec_fn=_die_with_parent)

    def _wait_ready(self, replicas: list[Replica]) -> None:
        """Wait until each process answers its health check and has warmed up."""
        deadline = time.monotonic() + self.ready_timeout
        while True:
            for replica in replicas:
                if replica.proc.poll() is not None:
                    tail = replica.log.read_text(errors="replace")[-1500:]
                    raise RuntimeError(f"process {replica.index} (port {replica.port}) exited with code "
                                       f"{replica.proc.returncode}:\n{tail}")
                self._advance(replica)
                if replica.state == "failed":
                    tail = replica.log.read_text(errors="replace")[-1500:]
                    raise RuntimeError(f"home.py failed to run in process {replica.index}:\n{tail}")
            pending = [r.index for r in replicas if r.state != "serving"]
            if not pending:
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"processes {pending} were not ready after {self.ready_timeout:g} s")
            time.sleep(0.2)

    def _advance(self, replica: Replica) -> None:
        """One step of a live process towards "serving": health, a run of home.py, then the warm-up's end."""
        if replica.state == "starting" and http_ok(replica.url + HEALTH):
            # The warm-up started with the server; "error" means home.py raised.
            replica.state = "failed" if script_check(replica.url) == "error" else "warming"
        elif replica.state == "warming" and replica.ready_file.exists():
            record = json.loads(replica.ready_file.read_text() or "{}")
            if record.get("error"):
                self.say(f"process {replica.index}: warm-up failed ({record['error']}); serving anyway")
            replica.state = "serving"

    def _write_config(self) -> NginxLayout:
        """Render nginx.conf: every process, those not serving yet marked ``down`` (unless none serves)."""
        layout = NginxLayout(run_dir=str(self.run_dir), error_log=str(self.run_dir / "nginx.error.log"),
                             access_log=str(self.access_log))
        listen = f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"
        serving = any(r.state == "serving" for r in self.members)
        down = {r.address for r in self.members if serving and r.state != "serving"}
        self.config.write_text(render(listen, [r.address for r in self.members], layout, down=down))
        return layout

    @property
    def config(self) -> Path:
        return self.run_dir / "nginx.conf"

    def _start_nginx(self) -> None:
        layout = self._write_config()
        check = subprocess.run([self.nginx, "-t", "-q", "-p", str(self.run_dir), "-c", str(self.config),
                                "-e", layout.error_log], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration: {check.stderr.strip()}")
        self.nginx_proc = subprocess.Popen(
            [self.nginx, "-p", str(self.run_dir), "-c", str(self.config), "-e", layout.error_log,
             "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
            preexec_fn=_die_with_parent)
        deadline = time.monotonic() + 20
        while not http_ok(self.url + HEALTH):
            if self.nginx_proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start: {self.nginx_proc.stderr.read().decode().strip()[-1500:]}")
            time.sleep(0.1)

    def _reroute(self) -> None:
        """Give nginx the current set of serving processes (a graceful reload: open sessions stay)."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._write_config()
            self.nginx_proc.send_signal(signal.SIGHUP)

    # -- run --------------------------------------------------------------------------------
    def watch(self, interval: float = 2.0) -> None:
        """Health-check every process until ``stop()``: start again any that exited, and send it
        sessions again once it has warmed up."""
        while not self._stopping.wait(interval):
            if self.nginx_proc.poll() is not None:
                raise RuntimeError(f"nginx exited with code {self.nginx_proc.returncode}")
            for replica in self.members:
                self._tend(replica)

    def _tend(self, replica: Replica) -> None:
        code = replica.proc.poll()
        if code is not None:
            self.say(f"process {replica.index} (pid {replica.proc.pid}, port {replica.port}) exited with "
                     f"code {code}; its sessions continue on the others; starting it again on a new port")
            with self._lock:
                if self._stopping.is_set():
                    return
                # A new address: a session that reaches the new process can tell it is not the one
                # that served its page (see udl_viz.ui.replica), even if it comes back to this slot.
                replica.port = free_port()
                replica.state = "starting"
                replica.restarts += 1
                self._launch(replica)
            self._reroute()
            self.say(f"process {replica.index} started again as pid {replica.proc.pid} on port {replica.port}; "
                     "it gets sessions once it has warmed up")
        elif replica.state in ("starting", "warming"):
            self._advance(replica)
            if replica.state == "serving":
                self._reroute()
                self.say(f"process {replica.index} (pid {replica.proc.pid}) has warmed up; nginx sends it sessions")
            elif replica.state == "failed":
                self.say(f"process {replica.index}: home.py failed to run; nginx keeps it out "
                         f"(see {replica.log})")

    # -- stop -------------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop nginx (gracefully), then every process; remove the run folder."""
        self._stopping.set()
        with self._lock:  # a restart under way finishes first; none starts after this
            pass
        nginx_running = self.nginx_proc is not None and self.nginx_proc.poll() is None
        if nginx_running:
            self.nginx_proc.send_signal(signal.SIGQUIT)  # no new connections; open ones end with their process
        for replica in self.members:
            if replica.proc is not None and replica.proc.poll() is None:
                replica.proc.terminate()
        if nginx_running:
            _wait_or_kill(self.nginx_proc, 10, group=True)
        for replica in self.members:
            if replica.proc is not None:
                _wait_or_kill(replica.proc, 15)
        shutil.rmtree(self.run_dir, ignore_errors=True)


def _wait_or_kill(proc: subprocess.Popen, seconds: float, group: bool = False) -> None:
    """Wait for ``proc`` to exit; kill it after ``seconds`` (with ``group``: its whole process group)."""
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        if group:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # nginx's workers too (it leads its own group)
        proc.kill()
        proc.wait()
