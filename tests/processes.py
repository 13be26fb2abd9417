"""build.py in a process of its own (--watch, --serve), its output read line by line, the
preview's address, and an HTTP server that records what it is asked: what the live and
safety tests start and read."""

import contextlib
import http.server
import queue
import signal
import socket
import subprocess
import threading
import time
import urllib.request

import pytest


class Running:
    """A command (build.py --watch or --serve) in a process of its own, its output read line by line."""

    def __init__(self, command, cwd=None):
        self.process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip('\n'))

    def wait_for(self, prefix, timeout=240):
        """Every line up to and including the first that starts with prefix."""
        seen, deadline = [], time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f'no line starting {prefix!r} in {timeout} s; saw {seen}') from None
            seen.append(line)
            if line.startswith(prefix):
                return seen

    def quiet(self, seconds):
        """Assert nothing is printed for a while."""
        with pytest.raises(queue.Empty):
            print(self.lines.get(timeout=seconds))

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=30)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.reader.join(timeout=5)
        self.process.stdout.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@contextlib.contextmanager
def recording_server():
    """An HTTP server on 127.0.0.1 that records every request it gets: (its address, the requests)."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'body { color: red }')

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f'http://127.0.0.1:{httpd.server_address[1]}', requests
    finally:
        httpd.shutdown()
        httpd.server_close()
