"""The live preview: serves the outputs with a reload script, and tells open tabs to reload.

It serves; it never builds. Watch mode calls publish() after every build. It serves only
the handouts and fact sheets that the last good build recorded in its state file (every
edition's, under its own name; the default edition's handout at /, its PDF at /factsheet), to
127.0.0.1 only, and only to requests addressed to 127.0.0.1 or localhost (a page of
another site cannot reach it through DNS rebinding). Every page carries a restrictive
Content-Security-Policy; the reload script is allowed by a nonce. Only what is served
carries the script; the files in output/ never do. Every reply is nosniff and no-store (an
HTTP/0.9 request, whose reply could carry no headers, is refused), and a request's line and
headers must arrive whole within a deadline, however slowly they trickle in.
"""

import html
import io
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from .state import BuildState
from .write import output_path

if TYPE_CHECKING:
    import socket
    from collections.abc import Callable
    from http.server import ThreadingHTTPServer

    from _typeshed import WriteableBuffer

    class PreviewServer(ThreadingHTTPServer):
        """The preview's server: a ThreadingHTTPServer that holds its Preview, for its handlers."""

        preview: 'Preview'


MAX_STREAMS = 32  # open event streams; the next one is told 503
REQUEST_SECONDS = 10  # a request's line and headers must arrive within this time; each write too


class Deadline(io.RawIOBase):
    """A socket's reads, each given only the time left before `end` (time.monotonic());
    the socket's own timeout, for writes, is put back after each."""

    def __init__(self, sock: 'socket.socket') -> None:
        self.sock, self.end = sock, 0.0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: 'WriteableBuffer') -> int:
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError('the request did not arrive in time')
        timeout = self.sock.gettimeout()
        self.sock.settimeout(left)
        try:
            return self.sock.recv_into(buffer)
        finally:
            self.sock.settimeout(timeout)


class Preview:
    """The live preview server, on 127.0.0.1:port (0: any free port); a request's line and
    headers must arrive within deadline seconds."""

    error: str | None  # what every open tab shows: the last build's error, None after a good one

    SCRIPT = (
        '<script nonce="__NONCE__">(() => {\n'
        '  const events = new EventSource("/__events");\n'
        '  events.addEventListener("reload", () => location.reload());\n'
        '  events.addEventListener("failed", (event) => show(JSON.parse(event.data)));\n'
        '  function show(message) {\n'
        '    let box = document.getElementById("__build-error");\n'
        '    if (!box) { box = document.createElement("pre"); box.id = "__build-error";\n'
        '      box.style.cssText = "position:fixed;inset:auto 0 0 0;margin:0;padding:1rem;z-index:9;'
        'background:#7a1010;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;max-height:50vh;overflow:auto";\n'
        '      document.body.append(box); }\n'
        '    box.textContent = message;\n'
        '  }\n'
        '  if (__ERROR__) show(__ERROR__);\n'
        '})();</script>'
    )

    def __init__(self, out: Path, port: int, deadline: float = REQUEST_SECONDS) -> None:
        from http.server import ThreadingHTTPServer

        self.out, self.error, self.version, self.deadline = out, None, 0, deadline
        self.changed = threading.Condition()
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)
        self.server = cast('PreviewServer', ThreadingHTTPServer(('127.0.0.1', port), Handler))  # its preview: next line
        self.server.preview = self
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.address = f'http://127.0.0.1:{self.port}/'
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()  # stops within 50 ms

    def publish(self, error: str | None) -> None:
        """Tell every open tab: reload (error None), or show this error."""
        with self.changed:
            self.error, self.version = error, self.version + 1
            self.changed.notify_all()

    def pages(self, suffix: str) -> dict[str, Path]:
        """{URL path: file} of the outputs with this suffix that the last good build recorded
        (every edition's), as regular files inside the output folder; the first is the
        default edition's (the shortest name: isecg-15.html before isecg-15.fr.html)."""
        found: dict[str, Path] = {}
        for name in sorted(BuildState(self.out).outputs, key=lambda name: (len(name), name)):
            if '/' not in name and name.endswith(f'.{suffix}'):
                try:
                    path = output_path(self.out, name)
                except Exception:  # noqa: BLE001 - anything odd is simply not served
                    continue
                if path.is_file() and not path.is_symlink():
                    found['/' + quote(name)] = path
        return found

    def with_script(self, text: str, nonce: str) -> str:
        error = json.dumps(self.error).replace('<', '\\u003c')
        script = self.SCRIPT.replace('__ERROR__', error).replace('__NONCE__', nonce)
        return text.replace('</body>', script + '</body>') if '</body>' in text else text + script


class Handler(BaseHTTPRequestHandler):
    """One request to the preview: its server's `preview` (a Preview) says what to serve."""

    server: 'PreviewServer'
    raw_requestline: bytes  # set by handle_one_request; not in typeshed

    timeout = REQUEST_SECONDS
    # Replies to HTTP/0.9 go without headers: a request line with no version is refused
    # (parse_request), and one that fails before its version is read is not taken as 0.9.
    default_request_version = 'HTTP/1.0'
    error_content_type = 'text/plain; charset=utf-8'
    error_message_format = '%(code)d %(message)s\n'

    def log_message(self, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.rfile.close()
        self.reader = Deadline(self.connection)
        self.rfile = io.BufferedReader(self.reader)

    def handle_one_request(self) -> None:
        self.reader.end = time.monotonic() + self.server.preview.deadline
        super().handle_one_request()

    def parse_request(self) -> bool:
        words = str(self.raw_requestline, 'iso-8859-1').rstrip('\r\n').split()
        if len(words) == 2 or words[-1:] == ['HTTP/0.9']:
            # typeshed types command as str; http.server itself sets it to None before it parses a request line
            self.command, self.requestline, self.request_version = None, ' '.join(words), 'HTTP/1.0'  # type: ignore[assignment]
            self.send_error(505, 'HTTP/0.9 is not served')
            return False
        return super().parse_request()

    def end_headers(self) -> None:
        self.send_header('Cache-Control', 'no-store')
        self.send_header('X-Content-Type-Options', 'nosniff')
        super().end_headers()

    def send(self, body: bytes, kind: str, status: int = 200, nonce: str | None = None) -> None:
        self.send_response(status)
        self.send_header('Content-Type', kind)
        self.send_header('Content-Length', str(len(body)))
        if kind.startswith('text/html'):
            self.send_header('Content-Security-Policy', policy(nonce))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        try:
            self.answer()
        except OSError:  # the client went away
            pass

    def answer(self) -> None:
        preview = self.server.preview
        if self.headers.get('Host') not in {f'127.0.0.1:{preview.port}', f'localhost:{preview.port}'}:
            return self.send(b'forbidden', 'text/plain', 403)
        if self.path == '/__events':
            return self.events()
        handouts, pdfs = preview.pages('html'), preview.pages('pdf')
        if self.path == '/' and handouts:
            handouts['/'] = next(iter(handouts.values()))  # the default edition's
        if self.path in handouts:
            return self.send_page(handouts[self.path].read_text(encoding='utf-8'))
        if self.path == '/factsheet' and pdfs:
            return self.send_page(pdf_page(next(iter(pdfs.values()))))
        if self.path in pdfs:
            return self.send(pdfs[self.path].read_bytes(), 'application/pdf')
        self.send(b'not found', 'text/plain', 404)

    def send_page(self, text: str) -> None:
        """An HTML page with the reload script, allowed to run by a nonce of its own."""
        nonce = secrets.token_urlsafe(16)
        self.send(self.server.preview.with_script(text, nonce).encode(), 'text/html; charset=utf-8', nonce=nonce)

    def events(self) -> None:
        if not self.server.preview.streams.acquire(blocking=False):
            return self.send(b'too many open previews', 'text/plain', 503)
        try:
            self.stream()
        finally:
            self.server.preview.streams.release()

    def stream(self) -> None:
        preview = self.server.preview
        seen = preview.version  # before the headers: a tab that has them misses nothing
        self.send_response(200)
        self.send_header('Content-Type', 'text/event-stream')
        self.end_headers()
        while True:
            with preview.changed:
                preview.changed.wait_for(
                    cast('Callable[[], bool]', lambda seen=seen: preview.version != seen), timeout=5
                )
                version, error = preview.version, preview.error
            if version == seen:
                self.wfile.write(b': still here\n\n')
            elif error is None:
                self.wfile.write(f'event: reload\ndata: {version}\n\n'.encode())
            else:
                self.wfile.write(f'event: failed\ndata: {json.dumps(error)}\n\n'.encode())
            self.wfile.flush()
            seen = version


def pdf_page(pdf: Path) -> str:
    """A page that shows a PDF of the folder, whole-window."""
    name, url = html.escape(pdf.name), '/' + quote(pdf.name)
    return (
        f'<!DOCTYPE html><html lang="en"><title>{name}</title>'
        f'<body style="margin:0"><iframe title="{name}" src="{html.escape(url)}" '
        'style="border:0;width:100vw;height:100vh"></iframe></body></html>'
    )


def policy(nonce: str | None) -> str:
    """What a served page may load: its inline styles and data: images, the reload script
    by its nonce, the event stream and the PDF from this server; nothing else."""
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'nonce-{nonce}'; "
        "connect-src 'self'; frame-src 'self'; object-src 'self'; base-uri 'none'; form-action 'none'"
    )
