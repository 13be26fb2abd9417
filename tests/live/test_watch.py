"""Watch mode and the live preview, driven end to end in a separate process."""

import os
import sys
import urllib.request

import pytest

from conftest import ROOT, fetch, free_port, snapshot

pytestmark = pytest.mark.slow


@pytest.fixture
def watcher(project, running):
    """Start build.py with these options on the project's data copy."""

    def start(*args):
        command = [sys.executable, str(ROOT / 'build.py'), '--data', project.data, '--out', project.out, *args]
        return running([str(part) for part in command])

    return start


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
    (project.data / 'agencies.yaml').write_text(text.replace('region: "009"', 'region: 3'))
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
            '  - acronym: TSA\n    name: Test Space Agency\n    country: ZA\n    region: "002"\n    sources: [seed]\n'
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
