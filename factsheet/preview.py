"""The live preview: serves the outputs with a reload script, and tells open tabs to reload.

It serves; it never builds. Watch mode calls publish() after every build. Only what is
served carries the script; the files in output/ never do. It listens on 127.0.0.1 only."""

import json


class Preview:
    """The live preview: serves output/ with a reload script, and tells open tabs to reload.

    Only what is served carries the script; the files in output/ never do."""

    SCRIPT = (
        '<script>(() => {\n'
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

    def __init__(self, out, port):
        import threading
        from http.server import ThreadingHTTPServer

        self.out, self.error, self.version = out, None, 0
        self.changed = threading.Condition()
        self.server = ThreadingHTTPServer(('127.0.0.1', port), self.handler())
        self.server.daemon_threads = True
        self.address = f'http://127.0.0.1:{self.server.server_address[1]}/'
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, error):
        """Tell every open tab: reload (error None), or show this error."""
        with self.changed:
            self.error, self.version = error, self.version + 1
            self.changed.notify_all()

    def page(self, suffix):
        """The output with this suffix, or None."""
        found = sorted(self.out.glob(f'*.{suffix}'))
        return found[0] if found else None

    def with_script(self, html):
        script = self.SCRIPT.replace('__ERROR__', json.dumps(self.error).replace('<', '\\u003c'))
        return html.replace('</body>', script + '</body>') if '</body>' in html else html + script

    def handler(self):
        from http.server import BaseHTTPRequestHandler

        preview = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send(self, body, kind, status=200):
                self.send_response(status)
                self.send_header('Content-Type', kind)
                self.send_header('Content-Length', str(len(body)))
                self.send_header('Cache-Control', 'no-store')
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                html, pdf = preview.page('html'), preview.page('pdf')
                if self.path == '/__events':
                    return self.events()
                if self.path == '/' and html:
                    return self.send(
                        preview.with_script(html.read_text(encoding='utf-8')).encode(), 'text/html; charset=utf-8'
                    )
                if self.path == '/factsheet' and pdf:
                    page = (
                        f'<!DOCTYPE html><html lang="en"><title>{pdf.name}</title>'
                        f'<body style="margin:0"><iframe title="{pdf.name}" src="/{pdf.name}" '
                        'style="border:0;width:100vw;height:100vh"></iframe></body></html>'
                    )
                    return self.send(preview.with_script(page).encode(), 'text/html; charset=utf-8')
                if pdf and self.path == f'/{pdf.name}':
                    return self.send(pdf.read_bytes(), 'application/pdf')
                self.send(b'not found', 'text/plain', 404)

            def events(self):
                seen = preview.version  # before the headers: a tab that has them misses nothing
                self.send_response(200)
                self.send_header('Content-Type', 'text/event-stream')
                self.send_header('Cache-Control', 'no-store')
                self.end_headers()
                try:
                    while True:
                        with preview.changed:
                            preview.changed.wait_for(lambda seen=seen: preview.version != seen, timeout=15)
                            version, error = preview.version, preview.error
                        if version == seen:
                            self.wfile.write(b': still here\n\n')
                        elif error is None:
                            self.wfile.write(f'event: reload\ndata: {version}\n\n'.encode())
                        else:
                            self.wfile.write(f'event: failed\ndata: {json.dumps(error)}\n\n'.encode())
                        self.wfile.flush()
                        seen = version
                except OSError:
                    pass

        return Handler
