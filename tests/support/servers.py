"""Real web servers for the hosting tests (issue 15): Debian's nginx and Apache, each run by
the test as an unprivileged process on a free loopback port, serving a built site with the
configuration `handbook build` generates — the nginx `server` block of HOSTING.md
(`hosting.nginx_server_block`) with the site's `_headers.nginx.conf`, or Apache reading the
site's `.htaccess` files. Each is started and stopped by the test; nothing is left running.

Without the server on the machine the tests are skipped with the reason; in CI (`CI=true`,
where .ci/run installs both) that is a failure, like the browser tests.

    with nginx_server(site, tmp_path) as base:   # "http://127.0.0.1:PORT"
        ...
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from faasst_handbook.publish import hosting

from .browser import in_ci
from .paths import LANGUAGES

NGINX = "/usr/sbin/nginx"
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = Path("/usr/lib/apache2/modules")
# What the site's .htaccess files use, and what serving files needs.
APACHE_NEEDS = ["mpm_event", "authz_core", "mime", "dir", "headers", "deflate", "filter", "alias"]
LANGUAGE_ROOTS = ["" if n == 0 else f"{lang}/" for n, lang in enumerate(LANGUAGES)]


def require(program: str, package: str) -> None:
    if Path(program).is_file():
        return
    message = f"{program} is missing (Debian's `{package}` package: `apt-get install {package}`)"
    if in_ci():
        pytest.fail(f"hosting test cannot run in CI: {message}", pytrace=False)
    pytest.skip(f"hosting test skipped: {message}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped at start (exit {process.returncode}):\n"
                        f"{log.read_text(errors='replace') if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    pytest.fail(f"the server did not listen on {port} within {timeout} s")


@contextlib.contextmanager
def running(command: list[str], port: int, log: Path, stop: int) -> Iterator[str]:
    """Start `command` in its own process group; yield the base URL; stop it with `stop`
    (the server's graceful signal), then kill what is left of its own group."""
    with open(log.with_suffix(".out"), "w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_for_port(port, process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, stop)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --- nginx -------------------------------------------------------------------------------------

def nginx_config(site: Path, work: Path, port: int) -> str:
    """A whole nginx.conf around the documented server block: in the foreground, its pid, temp
    files and logs in `work`, as the current user (as root, workers stay root: the test's
    folders are readable by root only)."""
    server = hosting.nginx_server_block(str(site), LANGUAGE_ROOTS, listen=f"127.0.0.1:{port}",
                                        server_name="127.0.0.1")
    temp = "\n".join(f"    {name}_temp_path {work}/{name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""
    return (f"daemon off;\n{user}worker_processes 1;\npid {work}/nginx.pid;\n"
            f"error_log {work}/error.log warn;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n"
            f"    default_type application/octet-stream;\n"
            f"    access_log {work}/access.log;\n{temp}\n    sendfile on;\n"
            + "\n".join("    " + line if line else "" for line in server.splitlines())
            + "\n}\n")


@contextlib.contextmanager
def nginx_server(site: Path, work: Path) -> Iterator[str]:
    require(NGINX, "nginx")
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = work / "nginx.conf"
    config.write_text(nginx_config(Path(site).resolve(), work, port), encoding="utf-8")
    checked = subprocess.run([NGINX, "-t", "-p", str(work), "-c", str(config), "-e",
                              str(work / "error.log")], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    with running([NGINX, "-p", str(work), "-c", str(config), "-e", str(work / "error.log")],
                 port, work / "error.log", signal.SIGQUIT) as base:
        yield base


# --- Apache ------------------------------------------------------------------------------------

def apache_config(site: Path, work: Path, port: int) -> str:
    """A minimal httpd.conf: the site's folder with `AllowOverride FileInfo`, so that its
    `.htaccess` files do the rest, as HOSTING.md says."""
    modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
                        for name in APACHE_NEEDS)
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    return (f'ServerRoot "{work}"\n{modules}\n{user}Listen 127.0.0.1:{port}\n'
            f"ServerName 127.0.0.1\nPidFile {work}/httpd.pid\nDefaultRuntimeDir {work}\n"
            f"Mutex file:{work} default\nErrorLog {work}/error.log\nLogLevel warn\n"
            f"TypesConfig /etc/mime.types\nDocumentRoot \"{site}\"\nDirectoryIndex index.html\n"
            f'<Directory "/">\n  AllowOverride None\n  Require all denied\n</Directory>\n'
            f'<Directory "{site}">\n  AllowOverride FileInfo\n  Require all granted\n'
            f"</Directory>\n")


def readable_copy(site: Path) -> Path:
    """Apache refuses to serve as root: its workers run as www-data, who cannot enter the
    tests' private temporary folders. As root, serve a copy in a folder they can read."""
    if os.geteuid() != 0:
        return site
    folder = Path(tempfile.mkdtemp(prefix="handbook-apache-"))
    folder.chmod(0o755)
    copy = folder / "site"
    shutil.copytree(site, copy)
    for path in [copy, *copy.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IRGRP | stat.S_IROTH
                   | (stat.S_IXGRP | stat.S_IXOTH if path.is_dir() else 0))
    return copy


@contextlib.contextmanager
def apache_server(site: Path, work: Path) -> Iterator[str]:
    require(APACHE, "apache2")
    work.mkdir(parents=True, exist_ok=True)
    served = readable_copy(Path(site).resolve())
    port = free_port()
    config = work / "httpd.conf"
    config.write_text(apache_config(served, work, port), encoding="utf-8")
    if os.geteuid() == 0:  # its lock and pid files, for the workers too
        work.chmod(0o755)
    try:
        with running([APACHE, "-f", str(config), "-DFOREGROUND"], port, work / "error.log",
                     signal.SIGTERM) as base:
            yield base
    finally:
        if served != Path(site).resolve():
            shutil.rmtree(served.parent, ignore_errors=True)
