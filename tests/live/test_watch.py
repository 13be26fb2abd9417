"""Watch mode and the live preview, driven end to end in a separate process."""

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from conftest import ROOT, snapshot

pytestmark = pytest.mark.slow


class Watcher:
    """build.py --watch (or --serve) in a subprocess, with its output read line by line."""

    def __init__(self, project, *args):
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / 'build.py'),
                '--data',
                str(project.data),
                '--out',
                str(project.out),
                *map(str, args),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip('\n'))

    def wait_for(self, prefix, timeout=30):
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
        return self.process.wait(timeout=20)


@pytest.fixture
def watcher(project):
    started = []

    def start(*args):
        started.append(Watcher(project, *args))
        return started[-1]

    yield start
    for watch in started:
        if watch.process.poll() is None:
            watch.process.kill()
        watch.process.wait()
        watch.reader.join(timeout=5)
        watch.process.stdout.close()


def test_watch_survives_broken_saves_and_recovers(project, watcher):
    watch = watcher('--watch')
    watch.wait_for('rebuilt after start: 5 file(s)')
    good = snapshot(project.out)

    # a half-written file, as an editor crash would leave it
    text = (project.data / 'agencies.yaml').read_text()
    (project.data / 'agencies.yaml').write_text(text[: len(text) // 2])
    lines = watch.wait_for('build failed after data/agencies.yaml')
    assert any(line.startswith('data/agencies.yaml:') for line in lines)
    assert snapshot(project.out) == good

    # a type error, then a good save made by rename, as many editors do
    (project.data / 'agencies.yaml').write_text(text.replace('region: Oceania', 'region: 3'))
    watch.wait_for('build failed after data/agencies.yaml')
    assert snapshot(project.out) == good
    temporary = project.data / '.agencies.yaml.tmp'
    temporary.write_text(text.replace('name: Swiss Space Office', 'name: Swiss Space Office (SSO)'))
    os.replace(temporary, project.data / 'agencies.yaml')
    lines = watch.wait_for('rebuilt after data/agencies.yaml')
    assert lines[-1].startswith('rebuilt after data/agencies.yaml: 2 file(s) written in ')
    assert 'Swiss Space Office (SSO)' in (project.out / 'isecg-15.html').read_text()

    # editor swap and backup files are ignored
    (project.data / '.agencies.yaml.swp').write_text('x')
    (project.data / 'agencies.yaml~').write_text('x')
    watch.quiet(1.0)
    assert watch.stop() == 0


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_preview_serves_the_handout_and_follows_edits(project, watcher):
    port = free_port()
    serve = watcher('--serve', '--port', port)
    lines = serve.wait_for('rebuilt after start')
    assert (
        lines[0] == f'serving the handout at http://127.0.0.1:{port}/ and the PDF at http://127.0.0.1:{port}/factsheet'
    )
    page = fetch(f'http://127.0.0.1:{port}/')
    assert 'The 27 member agencies' in page and 'new EventSource("/__events")' in page
    assert 'EventSource' not in (project.out / 'isecg-15.html').read_text()
    assert '<iframe title="isecg-15.pdf" src="/isecg-15.pdf"' in fetch(f'http://127.0.0.1:{port}/factsheet')

    events = urllib.request.urlopen(f'http://127.0.0.1:{port}/__events', timeout=20)
    with (project.data / 'agencies.yaml').open('a') as stream:
        stream.write(
            '  - acronym: TSA\n    name: Test Space Agency\n    country: Testland\n'
            '    region: Africa\n    sources: [seed]\n'
        )
    # Wait on the events themselves: the build publishes before it logs.
    assert events.readline() == b'event: reload\n'
    assert events.readline().startswith(b'data: ')
    assert events.readline() == b'\n'
    assert 'The 28 member agencies' in fetch(f'http://127.0.0.1:{port}/')

    project.edit('organisation.yaml', 'acronym: ISECG', 'acronym: ')
    assert events.readline() == b'event: failed\n'
    assert b'organisation.acronym: expected text' in events.readline()
    page = fetch(f'http://127.0.0.1:{port}/')
    assert 'The 28 member agencies' in page
    assert 'data/organisation.yaml:5:11: organisation.acronym: expected text, got nothing (null)' in page
    events.close()
    assert serve.stop() == 0
