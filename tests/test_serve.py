"""``python -m udl_viz serve``: arguments, the nginx config, and 2 processes + nginx on loopback."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from udl_viz.serving.nginx import NginxLayout, deploy_config, find_nginx, render, upload_limit_mb
from udl_viz.serving.server import free_port

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("args, named", [(["--replicas", "0"], "--replicas"), (["--replicas", "1e9"], "--replicas"),
                                         (["--port", "70000"], "--port"), (["--port", "nan"], "--port"),
                                         (["--host", "example.com"], "--host")])
def test_bad_arguments_are_one_line_and_exit_2(args, named, capsys):
    from udl_viz.cli import build_parser

    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["serve", *args])
    out, err = capsys.readouterr()
    assert done.value.code == 2 and out == ""
    assert err.strip().splitlines()[-1].startswith(f"python -m udl_viz serve: error: argument {named}")


def test_a_port_in_use_is_refused_before_any_work(capsys):
    import socket

    from udl_viz.cli import build_parser

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        args = build_parser().parse_args(["serve", "--port", str(taken.getsockname()[1])])
        assert args.func(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "argument --port" in err and "in use" in err


def test_serve_imports_neither_torch_nor_streamlit():
    code = ("import argparse, sys; from udl_viz.cli import serve; import udl_viz.serving.server; "
            "p = argparse.ArgumentParser(); serve.register(p.add_subparsers()); "
            "print(sorted(m for m in ('torch', 'streamlit') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_missing_nginx_says_how_to_install_it(monkeypatch, capsys):
    from udl_viz.cli import build_parser
    from udl_viz.serving import nginx

    monkeypatch.setattr(nginx, "find_nginx", lambda: None)
    args = build_parser().parse_args(["serve", "--port", str(free_port())])
    assert args.func(args) == 1
    out, err = capsys.readouterr()
    assert "apt-get install nginx" in err
    assert json.loads(out)["error"].startswith("nginx was not found")


def test_config_proxies_websockets_sticks_sessions_and_takes_the_upload_limit(tmp_path):
    config = tmp_path / "streamlit.toml"
    config.write_text("[server]\nmaxUploadSize = 37\n")
    assert upload_limit_mb(config) == 37
    text = render("127.0.0.1:9000", ["127.0.0.1:1", "127.0.0.1:2"],
                  NginxLayout(str(tmp_path), "stderr", str(tmp_path / "a.log")), upload_mb=upload_limit_mb(config))
    assert "client_max_body_size 37m;" in text and "listen 127.0.0.1:9000;" in text
    assert "hash $udl_viz_route consistent;" in text
    assert "server 127.0.0.1:1 max_fails=1" in text and "server 127.0.0.1:2 max_fails=1" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "location /_stcore/stream" in text
    assert "@@" not in text


def test_deploy_config_is_the_template_rendered():
    assert (ROOT / "deploy" / "nginx.conf").read_text() == deploy_config()
    assert f"client_max_body_size {upload_limit_mb()}m;" in deploy_config()


def cookies_of(opener) -> dict[str, str]:
    return {c.name: c.value for h in opener.handlers if isinstance(h, urllib.request.HTTPCookieProcessor)
            for c in h.cookiejar}


def get(opener, url: str):
    with opener.open(url, timeout=30) as response:
        return response.status, response.read()


def test_two_processes_behind_nginx_health_sticky_cookie_and_clean_shutdown(tmp_path):
    if find_nginx() is None:
        pytest.skip("nginx is not installed (apt-get install nginx)")
    port = free_port()
    env = {**os.environ, "UDL_VIZ_CACHE": str(tmp_path / "cache"), "UDL_VIZ_WARMUP": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "udl_viz", "serve", "--replicas", "2", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line, proc.stderr.read()
        info = json.loads(line)
        assert info["url"] == f"http://127.0.0.1:{port}" and len(info["replica_pids"]) == 2
        started = [info["nginx_pid"], *info["replica_pids"]]

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        assert get(opener, info["url"] + "/_stcore/health") == (200, b"ok")
        status, page = get(opener, info["url"] + "/")
        assert status == 200 and b"<html" in page.lower()
        cookies = cookies_of(opener)
        assert cookies["udl_viz_served_by"] in [r["address"] for r in info["replicas"]]
        for _ in range(5):  # the route cookie keeps this browser on its process
            get(opener, info["url"] + "/")
            again = cookies_of(opener)
            assert again["udl_viz_served_by"] == cookies["udl_viz_served_by"]
            assert again["udl_viz_route"] == cookies["udl_viz_route"]
        # Files a page fetches after its HTML leave the cookie naming the page's process alone.
        with opener.open(info["url"] + "/favicon.png", timeout=30) as response:
            assert response.status == 200 and "udl_viz_served_by" not in str(response.headers)

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        time.sleep(0.5)
        for pid in started:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        assert not Path(info["config"]).exists()  # its run folder is gone too
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_kubernetes_ingress_takes_the_same_upload_limit_and_probes_health():
    manifest = (ROOT / "deploy" / "kubernetes" / "udl-viz.yaml").read_text()
    assert f'proxy-body-size: "{upload_limit_mb()}m"' in manifest
    assert "path: /_stcore/health" in manifest and 'affinity: "cookie"' in manifest


def test_script_check_tells_an_app_error_from_a_running_app():
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from udl_viz.serving.server import script_check

    class Streamlit(BaseHTTPRequestHandler):
        answer = (503, b"error")

        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(self.answer[0])
            self.end_headers()
            self.wfile.write(self.answer[1])

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Streamlit) as fake:
        threading.Thread(target=fake.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{fake.server_address[1]}"
        assert script_check(url) == "error"
        Streamlit.answer = (200, b"ok")
        assert script_check(url) == "ok"
        fake.shutdown()
    assert script_check(url) == "unavailable"
