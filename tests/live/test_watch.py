"""Watch mode and the live preview, driven end to end in a separate process."""

import os
import sys
import urllib.request

import pytest

from conftest import ROOT, snapshot
from processes import fetch, free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def watcher(project, running):
    """Start build.py with these options on the project's data copy."""

    def start(*args):
        command = [sys.executable, str(ROOT / 'build.py'), '--data', project.data, '--out', project.out, *args]
        return running([str(part) for part in command])

    return start


def test_watch_survives_broken_saves_and_recovers(project, watcher, built):
    project.start_from(built)  # the first build finds every output up to date
    watch = watcher('--watch')
    watch.wait_for('rebuilt after start: 0 file(s)')
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
    assert lines[-1].startswith(
        'rebuilt after data/agencies.yaml: 4 file(s) written in '
    )  # facts, handout, PDF, manifest
    assert 'Swiss Space Office (SSO)' in (project.out / 'isecg-15.html').read_text()

    # editor swap and backup files are ignored
    (project.data / '.agencies.yaml.swp').write_text('x')
    (project.data / 'agencies.yaml~').write_text('x')
    watch.quiet(1.0)
    assert watch.stop() == 0


def next_event(events):
    """The next line of an event stream that is not a keep-alive comment."""
    while (line := events.readline()).startswith(b':') or line == b'\n':
        pass
    return line


def test_preview_serves_the_handout_and_follows_edits(project, watcher, built):
    project.start_from(built)
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
    assert next_event(events) == b'event: reload\n'
    assert events.readline().startswith(b'data: ')
    assert events.readline() == b'\n'
    assert 'The 28 member agencies' in fetch(f'http://127.0.0.1:{port}/')

    project.edit('organisation.yaml', 'acronym: ISECG', 'acronym: ')
    assert next_event(events) == b'event: failed\n'
    assert b'organisation.acronym: expected text' in events.readline()
    page = fetch(f'http://127.0.0.1:{port}/')
    assert 'The 28 member agencies' in page
    assert 'data/organisation.yaml:5:11: organisation.acronym: expected text, got nothing (null)' in page
    events.close()
    assert serve.stop() == 0


def test_every_edition_under_watch_a_save_in_french_rebuilds_french_first_and_only(project, watcher, every_edition):
    project.start_from(every_edition)
    port = free_port()
    serve = watcher('--all', '--serve', '--port', port)
    serve.wait_for('rebuilt after start')
    assert 'Les 27\u00a0agences membres' in fetch(f'http://127.0.0.1:{port}/isecg-15.fr.html')
    assert 'hreflang="ja"' in fetch(f'http://127.0.0.1:{port}/')  # the default edition, linking the others
    before = snapshot(project.out)
    project.edit('words/fr.yaml', 'En foncé, les pays', 'En bleu foncé, les pays')
    lines = serve.wait_for('rebuilt after data/words/fr.yaml')
    written = [line.split()[1] for line in lines if line.startswith('wrote ')]
    assert [name.rsplit('/', 1)[-1] for name in written][:1] == ['isecg-15.fr.html']
    changed = {name for name, content in snapshot(project.out).items() if before.get(name) != content}
    assert changed - {'.build-state.json'} == {
        'isecg-15.fr.html',
        'isecg-15.fr.pdf',
        'isecg-15.fr.letter.pdf',
        'manifest.json',
    }
    assert 'En bleu foncé' in fetch(f'http://127.0.0.1:{port}/isecg-15.fr.html')

    # One save read by every edition, with the French words: French comes first.
    project.edit('agencies.yaml', 'name: Swiss Space Office', 'name: Swiss Space Office (SSO)')
    project.edit('words/fr.yaml', 'En bleu foncé', 'En foncé')
    lines = serve.wait_for('rebuilt after data/agencies.yaml, data/words/fr.yaml')
    written = [line.split()[1].rsplit('/', 1)[-1] for line in lines if line.startswith('wrote ')]
    assert written[0] == 'isecg-15.facts.json'  # every edition's, and every PDF carries it: written at once
    assert written[1] == 'isecg-15.fr.html' and written.index('isecg-15.fr.pdf') < written.index('isecg-15.en.pdf')
    assert serve.stop() == 0


def test_watch_survives_a_module_that_compiles_but_does_not_import(built_copy, running):
    """A save that compiles but fails to import keeps the old program watching, and says
    where; the fixed save restarts it."""
    copy = built_copy
    watch = running(copy.command('--watch'), copy.root)
    watch.wait_for('rebuilt after start')
    options = copy.root / 'factsheet/options.py'
    good = options.read_text(encoding='utf-8')
    line = good.splitlines().index('from .project import ROOT') + 1
    options.write_text(good.replace('from .project import ROOT\n', 'from .project import ROOT, ROOTT\n'), 'utf-8')
    lines = watch.wait_for('factsheet/options.py changed but does not import: still running the old program')
    assert f"factsheet/options.py:{line}: ImportError: cannot import name 'ROOTT'" in '\n'.join(lines), lines
    assert watch.process.poll() is None

    options.write_text(good, encoding='utf-8')
    lines = watch.wait_for('rebuilt after start')
    assert 'factsheet/options.py changed: restarting' in lines, lines
    copy.edit('data/agencies.yaml', 'name: Swiss Space Office', 'name: Swiss Space Office (SSO)')
    watch.wait_for('rebuilt after data/agencies.yaml')
    assert 'Swiss Space Office (SSO)' in (copy.out / 'isecg-15.html').read_text(encoding='utf-8')
    assert watch.stop() == 0


def test_two_quick_ctrl_c_end_watch_mode_cleanly(project, watcher, built):
    """The second Ctrl-C arrives while the first stops the helper: watch mode still ends
    quietly, exit status 0, nothing left of its helper."""
    import signal
    import subprocess

    project.start_from(built)
    watch = watcher('--watch')
    watch.wait_for('rebuilt after start')
    watch.process.send_signal(signal.SIGINT)
    try:  # the second while the first is being handled: as a user's double press sends them
        watch.process.wait(timeout=0.03)
    except subprocess.TimeoutExpired:
        watch.process.send_signal(signal.SIGINT)
    code = watch.process.wait(timeout=30)
    watch.reader.join(timeout=10)
    rest = []
    while not watch.lines.empty():
        rest.append(watch.lines.get())
    assert code == 0, rest
    assert not any('Traceback' in line or 'KeyboardInterrupt' in line for line in rest), rest
