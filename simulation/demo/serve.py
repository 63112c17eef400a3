"""``veerkracht demo``: serve the class demo and say where it is.

Starts ``solara run`` on the page in a child process, waits until the server answers, prints
the address (and opens a browser with ``--open``), and stops the server on Ctrl+C. It listens
on 127.0.0.1 (this computer only) unless ``--host`` says otherwise: ``--host 0.0.0.0`` opens it
to the network, and the address students can type is printed too.
"""

from __future__ import annotations

import argparse
import importlib.util
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
EVERYWHERE = "0.0.0.0"
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


def host_address(text: str) -> str:
    """An IPv4 address to listen on, or an error naming the value and what is allowed."""
    try:
        valid = text.count(".") == 3 and bool(socket.inet_aton(text))
    except OSError:
        valid = False
    if not valid:
        raise argparse.ArgumentTypeError(
            f"--host={text!r} is not allowed: expected an IPv4 address such as {HOST} (this computer only) "
            f"or {EVERYWHERE} (every network this computer is on)"
        )
    return text


def port_is_free(host: str, port: int) -> bool:
    """Whether ``port`` can be listened on at ``host``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(
            socket.SOL_SOCKET, socket.SO_REUSEADDR, 1
        )  # as the server does: a port just freed counts as free
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def network_address() -> str | None:
    """This computer's address on its network (the one a student's laptop would use), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))  # no packet is sent: this only picks the outgoing interface
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


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


def serve(host: str, port: int, open_browser: bool) -> int:
    """Run the page's server until it stops, Ctrl+C or SIGTERM; return the exit code."""
    signal.signal(signal.SIGTERM, stop_on_terminate)
    url = f"http://{HOST if host == EVERYWHERE else host}:{port}"
    command = [sys.executable, "-m", "solara", "run", str(PAGE), "--host", host, "--port", str(port)]
    # No "runs on Solara" banner: it covers the figures at a projector's 1280x720.
    environment = {**os.environ, "PYTHONWARNINGS": QUIET, "SOLARA_THEME_SHOW_BANNER": "False"}
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
        if host != HOST:
            address = network_address() if host == EVERYWHERE else host
            where = f"http://{address}:{port}" if address else f"this computer's network address, port {port}"
            print(f"veerkracht demo: students on the same network can open {where}", flush=True)
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
        description="Serve the class demo (a page in the browser); on 127.0.0.1 (this computer only) by default.",
    )
    parser.add_argument(
        "--host",
        type=host_address,
        default=HOST,
        help=f"address to listen on (default {HOST}: this computer only; {EVERYWHERE}: every network it is on, "
        "so that students can open the page from their laptops)",
    )
    parser.add_argument(
        "--port", type=port_number, default=DEFAULT_PORT, help=f"port to serve on (default {DEFAULT_PORT})"
    )
    parser.add_argument("--open", action="store_true", help="open the page in the default browser")
    args = parser.parse_args(argv)
    if importlib.util.find_spec("solara") is None:
        parser.exit(
            2, "veerkracht demo: error: the class demo needs its extra: pip install -e '.[demo]' (make demo does it)\n"
        )
    if not port_is_free(args.host, args.port):
        parser.exit(
            2,
            f"veerkracht demo: error: --port={args.port} cannot be used on {args.host} (in use, or not this "
            "computer's address): choose another with --port or --host\n",
        )
    sys.exit(serve(args.host, args.port, args.open))
