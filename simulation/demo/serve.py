"""``veerkracht demo``: serve the class demo on 127.0.0.1 and say where it is.

Starts ``solara run`` on the page in a child process, waits until the server answers, prints
the address (and opens a browser with ``--open``), and stops the server on Ctrl+C.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import webbrowser
from pathlib import Path

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
PAGE = Path(__file__).with_name("page.py")
START_TIMEOUT_SECONDS = 120
ANNOUNCEMENT = "veerkracht demo: the class demo is at"
# Warnings the server prints that a teacher can do nothing about: Mesa's page trips Solara's
# hook check, and a local http page gets lax cookies.
QUIET = "ignore::UserWarning:solara.validate_hooks,ignore::UserWarning:solara.server.starlette"


def port_number(text: str) -> int:
    """A TCP port from the command line, or an error naming the value and what is allowed."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port={text!r} is not allowed: expected a whole number from 1 to 65535")
    return port


def port_is_free(port: int) -> bool:
    """Whether nothing listens on ``HOST:port`` yet."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((HOST, port)) != 0


def is_ready(url: str) -> bool:
    """Whether the server at ``url`` answers its readiness check."""
    try:
        with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def stop_on_terminate(signal_number: int, frame) -> None:
    """Turn SIGTERM into a normal exit, so that the server process is stopped too."""
    sys.exit(0)


def serve(port: int, open_browser: bool) -> int:
    """Run the page's server until it stops, Ctrl+C or SIGTERM; return the exit code."""
    signal.signal(signal.SIGTERM, stop_on_terminate)
    url = f"http://{HOST}:{port}"
    command = [sys.executable, "-m", "solara", "run", str(PAGE), "--host", HOST, "--port", str(port)]
    environment = {**os.environ, "PYTHONWARNINGS": QUIET}
    # Its own "server is starting" line would only repeat ours; its errors go to stderr.
    server = subprocess.Popen([*command, "--no-open", "--production"], env=environment, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not is_ready(url):
            if server.poll() is not None:
                print(
                    f"veerkracht demo: error: the server stopped (exit code {server.returncode}); "
                    "its error is printed above",
                    file=sys.stderr,
                )
                return 1
            if time.monotonic() > deadline:
                print(f"veerkracht demo: error: no answer from {url} in {START_TIMEOUT_SECONDS} s", file=sys.stderr)
                return 1
            time.sleep(0.2)
        print(f"{ANNOUNCEMENT} {url}  (Ctrl+C stops it)", flush=True)
        if open_browser:
            webbrowser.open(url)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait()


def main(argv: list[str] | None = None) -> None:
    """Entry point of ``veerkracht demo``."""
    parser = argparse.ArgumentParser(
        prog="veerkracht demo",
        description="Serve the class demo (a page in the browser) on 127.0.0.1.",
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})"
    )
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")
    args = parser.parse_args(argv)
    if not port_is_free(args.port):
        parser.exit(2, f"veerkracht demo: error: --port={args.port} is in use: choose another port with --port\n")
    sys.exit(serve(args.port, args.open))
