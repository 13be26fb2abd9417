"""A build's last moments: a signal while its last files are written puts everything back;
once they are written whole, nothing is left to stop or to put back, and a signal changes
nothing (it is not told as "every output is as it was" over the new outputs)."""

import hashlib
import io
import json
import os
import shutil
import signal

import pytest

import build
from conftest import snapshot

INTERRUPTED = 'build.py: interrupted; every output is as it was before this build\n'


class SignalAt(io.StringIO):
    """Standard output that sends this process a Ctrl-C and a TERM when a line holds `text`."""

    def __init__(self, text):
        super().__init__()
        self.text, self.sent = text, False

    def write(self, line):
        if self.text in line and not self.sent:
            self.sent = True
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGTERM)
        return super().write(line)


@pytest.mark.slow
def test_a_signal_while_the_last_files_are_written_puts_everything_back(project, built):
    shutil.copytree(built.out, project.out)
    before = snapshot(project.out)
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    stdout, stderr = SignalAt('manifest.json'), io.StringIO()  # the manifest, then the state file: held
    code = build.main(['--data', str(project.data), '--out', str(project.out)], stdout, stderr)
    assert stdout.sent and (code, stderr.getvalue()) == (130, INTERRUPTED)
    assert snapshot(project.out) == before


@pytest.mark.slow
def test_a_signal_once_the_last_files_are_written_stops_nothing_and_says_nothing(project, built, monkeypatch):
    """After the build's last write, nothing is left to put back: a Ctrl-C or TERM while
    its workers stop is let go, and the build ends as it would have (not 'every output is
    as it was' over the new outputs)."""
    shutil.copytree(built.out, project.out)
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    real = build.stop
    sent = []

    def stop(workers):
        sent.append('stopping')
        os.kill(os.getpid(), signal.SIGINT)
        os.kill(os.getpid(), signal.SIGTERM)
        real(workers)

    monkeypatch.setattr(build, 'stop', stop)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = build.main(['--data', str(project.data), '--out', str(project.out)], stdout, stderr)
    assert (sent, code, stderr.getvalue()) == (['stopping'], 0, '')
    assert 'POLSA, the Polish Space Agency' in (project.out / 'isecg-15.html').read_text(encoding='utf-8')
    assert json.loads((project.out / 'manifest.json').read_text())['outputs']['isecg-15.html']['sha256'] == (
        hashlib.sha256((project.out / 'isecg-15.html').read_bytes()).hexdigest()
    )


def test_words_new_signalled_once_both_files_are_written_keeps_them_and_says_nothing_false(project):
    """`words --new` settles once its two files are written and checked: a Ctrl-C and a TERM
    while it says so change nothing (not 'the data is as it was' over the changed data)."""
    stdout, stderr = SignalAt('wrote data/words/de.yaml'), io.StringIO()
    code = build.main(['words', '--new', 'de', '--data', str(project.data)], stdout, stderr)
    assert (stdout.sent, code, stderr.getvalue()) == (True, 0, '')
    assert (project.data / 'words' / 'de.yaml').exists()
    assert 'translations: [fr, ja, de]' in (project.data / 'organisation.yaml').read_text()


class SignalOnError(io.StringIO):
    """Standard error that sends this process a Ctrl-C and a TERM as the error is said."""

    def write(self, line):
        if line.strip():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGTERM)
        return super().write(line)


def test_a_signal_while_a_failed_build_says_why_changes_nothing(project):
    """The build is over once it fails: a Ctrl-C as it says why is no traceback and no
    second message."""
    project.edit('organisation.yaml', 'acronym: ISECG', 'acronym:')
    stderr = SignalOnError()
    try:
        code = build.main(['--data', str(project.data), '--out', str(project.out)], io.StringIO(), stderr)
    except KeyboardInterrupt:
        pytest.fail('the signal escaped the build as KeyboardInterrupt (a traceback, in a terminal)')
    assert (code, stderr.getvalue()) == (
        1,
        'data/organisation.yaml:5:11: organisation.acronym: expected text, got nothing (null)\n',
    )
