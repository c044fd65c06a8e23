"""The nginx configuration of a class server, rendered from ``nginx.conf.template``.

``python -m udl_viz.serving.nginx`` prints the configuration kept in ``deploy/nginx.conf``
(three processes on 8501-8503 behind port 80, Debian's paths).
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
#: streamlit's own default for server.maxUploadSize, in MB.
STREAMLIT_UPLOAD_MB = 200
#: How long nginx keeps an idle session WebSocket open (streamlit pings it well within this).
STREAM_TIMEOUT_S = 3600
INSTALL_HINT = "install it with: apt-get install nginx"


@dataclass(frozen=True)
class NginxLayout:
    """Where nginx keeps its pid, logs and temporary files."""

    run_dir: str
    error_log: str
    access_log: str


def upload_limit_mb(config: Path = STREAMLIT_CONFIG) -> int:
    """``server.maxUploadSize`` from the app's streamlit config (streamlit's default when unset)."""
    try:
        settings = tomllib.loads(config.read_text())
    except (OSError, tomllib.TOMLDecodeError):
        return STREAMLIT_UPLOAD_MB
    return int(settings.get("server", {}).get("maxUploadSize", STREAMLIT_UPLOAD_MB))


def render(listen: str, backends: list[str], layout: NginxLayout, upload_mb: int | None = None,
           down: Collection[str] = ()) -> str:
    """The configuration: nginx on ``listen`` (``host:port`` or a port) in front of ``backends``;
    those in ``down`` get no requests (kept in the list, so the others keep their sessions)."""
    servers = "\n".join(f"        server {address} max_fails=1 fail_timeout=10s{' down' * (address in down)};"
                         for address in backends)
    values = {"SERVERS": servers, "LISTEN": listen, "RUN_DIR": layout.run_dir, "ERROR_LOG": layout.error_log,
              "ACCESS_LOG": layout.access_log, "STREAM_TIMEOUT": str(STREAM_TIMEOUT_S),
              "UPLOAD_MB": str(upload_limit_mb() if upload_mb is None else upload_mb)}
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def find_nginx() -> str | None:
    """The nginx binary (on PATH or Debian's /usr/sbin), or None."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:/usr/local/nginx/sbin")


def deploy_config() -> str:
    """``deploy/nginx.conf``: three processes on 8501-8503 behind port 80, Debian's paths."""
    layout = NginxLayout(run_dir="/run/udl_viz", error_log="/var/log/nginx/udl_viz.error.log",
                         access_log="/var/log/nginx/udl_viz.access.log")
    return render("80", [f"127.0.0.1:{port}" for port in (8501, 8502, 8503)], layout)


if __name__ == "__main__":
    print(deploy_config(), end="")
