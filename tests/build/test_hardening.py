"""What the README promises holds under attack: a second interrupt during the rollback, two
builds into one folder, a hostile state file, a full disk."""

import fcntl
import hashlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

import build
from conftest import ROOT, full_disk, snapshot

INTERRUPTED = 'build.py: interrupted; every output is as it was before this build\n'


class Signalling(io.StringIO):
    """Standard output that sends this process a Ctrl-C once the handout and the PDF are
    both written, in whichever order they come (two files to put back), then a TERM and a
    Ctrl-C at the first line of the rollback: real signals, at the worst moments."""

    def __init__(self):
        super().__init__()
        self.sent, self.written = [], set()

    def write(self, text):
        if text.startswith('wrote '):
            self.written |= {kind for kind in ('.html (', '.pdf (') if kind in text}
        if self.written == {'.html (', '.pdf ('} and not self.sent:
            self.sent.append('first')
            os.kill(os.getpid(), signal.SIGINT)
        elif '(the build failed)' in text and self.sent == ['first']:
            self.sent.append('during the rollback')
            os.kill(os.getpid(), signal.SIGTERM)
            os.kill(os.getpid(), signal.SIGINT)
        return super().write(text)


@pytest.mark.slow
def test_a_second_interrupt_during_the_rollback_leaves_every_output_as_it_was(project, built):
    shutil.copytree(built.out, project.out)
    before = snapshot(project.out)
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    stdout, stderr = Signalling(), io.StringIO()
    code = build.main(['--data', str(project.data), '--out', str(project.out)], stdout, stderr)
    assert stdout.sent == ['first', 'during the rollback']
    assert stdout.getvalue().count('(the build failed)') == 3  # the facts file, the handout and the PDF, put back
    assert (code, stderr.getvalue()) == (130, INTERRUPTED)
    assert snapshot(project.out) == before


@pytest.mark.parametrize('number', [signal.SIGINT, signal.SIGTERM], ids=['ctrl-c', 'term'])
def test_a_signal_while_the_program_loads_ends_it_in_one_line_and_changes_nothing(built_copy, tmp_path, number):
    """A signal as build.py imports its modules (held there: the pipeline's module says it is
    loading through a pipe, then waits for its standard input) prints no traceback."""
    loading = tmp_path / 'loading'
    os.mkfifo(loading)
    pipeline = built_copy.root / 'factsheet/pipeline.py'
    hold = "import os, sys\nwith open(os.environ['LOADING'], 'w') as said:\n    said.write('loading')\n"
    hold += 'sys.stdin.read()\n'
    pipeline.write_text(hold + pipeline.read_text(encoding='utf-8'), encoding='utf-8')
    before = built_copy.outputs()
    process = subprocess.Popen(
        built_copy.command(),
        cwd=built_copy.root,
        env={**os.environ, 'LOADING': str(loading)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with loading.open(encoding='utf-8') as said:
        assert said.read() == 'loading'
    process.send_signal(number)
    assert process.wait(timeout=60) == 130
    said = 'build.py: stopped as it started; nothing was changed\n'
    assert (process.stdout.read(), process.stderr.read()) == ('', said)
    process.stdin.close()
    assert built_copy.outputs() == before


@pytest.mark.slow
def test_under_watch_a_second_interrupt_during_the_rollback_is_held(project, built, monkeypatch):
    """Watch mode's builds run with Ctrl-C and TERM raising every time (no first-only
    handler): the rollback itself holds them."""
    shutil.copytree(built.out, project.out)
    before = snapshot(project.out)
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    stdout = Signalling()
    options = build.options_from(
        build.parser().parse_args(['--data', str(project.data), '--out', str(project.out)]), {}
    )
    try:
        with pytest.raises(KeyboardInterrupt):
            build.build(options, lambda line: stdout.write(line + '\n'), print)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stdout.sent == ['first', 'during the rollback']
    assert stdout.getvalue().count('(the build failed)') == 3  # the facts file, the handout and the PDF, put back
    assert snapshot(project.out) == before


@pytest.mark.slow
def test_a_second_process_interrupting_twice_leaves_no_mixed_folder(copy, every_edition):
    copy.start_from(every_edition)
    before = copy.outputs()
    copy.edit('data/words/fr.yaml', '"Le forum en chiffres"', '"Le forum en quelques chiffres"')
    process = subprocess.Popen(
        copy.command('--all'), cwd=copy.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    sent = []
    for line in process.stdout:
        if line.startswith('wrote ') and not sent:
            sent.append(process.send_signal(signal.SIGTERM))
        elif '(the build failed)' in line and len(sent) == 1:
            sent += [process.send_signal(signal.SIGINT), process.send_signal(signal.SIGTERM)]
    stderr = process.stderr.read()
    assert (process.wait(timeout=60), len(sent)) == (130, 3)
    assert stderr.endswith(INTERRUPTED) and 'Traceback' not in stderr
    assert copy.outputs() == before


@pytest.mark.slow
def test_a_second_build_waits_for_the_folder_lock_and_says_so_once(built_copy):
    lock = os.open(built_copy.out / '.build.lock', os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)
    before = built_copy.outputs()
    built_copy.edit('data/agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    process = subprocess.Popen(built_copy.command(), cwd=built_copy.root, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == f'waiting for another build into {built_copy.out} to finish\n'
        assert built_copy.outputs() == before  # nothing written while the other build holds the folder
    finally:
        os.close(lock)
    lines = process.stdout.read().splitlines()
    assert process.wait(timeout=120) == 0
    assert not [line for line in lines if line.startswith('waiting')]
    assert f'wrote {built_copy.out / "isecg-15.pdf"}' in '\n'.join(lines)


@pytest.mark.slow
def test_two_builds_at_once_leave_a_manifest_that_says_what_each_file_is(copy, every_edition):
    from pypdf import PdfReader

    copy.start_from(every_edition)
    copy.edit('data/words/fr.yaml', '"Le forum en chiffres"', '"Le forum en quelques chiffres"')
    first = subprocess.Popen(copy.command('--all'), cwd=copy.root, stdout=subprocess.PIPE, text=True)
    assert first.stdout.readline().startswith('data/words/fr.yaml: French')  # printed holding the lock
    second = subprocess.Popen(
        copy.command('--lang', 'en', '--print-marks'), cwd=copy.root, stdout=subprocess.PIPE, text=True
    )
    assert second.stdout.readline() == f'waiting for another build into {copy.out} to finish\n'
    first.stdout.read(), second.stdout.read()
    assert (first.wait(timeout=300), second.wait(timeout=300)) == (0, 0)
    listed = json.loads((copy.out / 'manifest.json').read_text())['outputs']
    for name, entry in listed.items():
        assert hashlib.sha256((copy.out / name).read_bytes()).hexdigest() == entry['sha256'], name
    page = PdfReader(copy.out / 'isecg-15.en.print.pdf').pages[0]
    assert listed['isecg-15.en.print.pdf']['format'] == 'PDF/UA-1, print' and page.mediabox != page.trimbox
    assert (listed['isecg-15.en.print.pdf']['variant'], listed['isecg-15.en.pdf']['variant']) == ('print', 'fact sheet')
    page = PdfReader(copy.out / 'isecg-15.en.pdf').pages[0]
    assert listed['isecg-15.en.pdf']['format'] == 'PDF/UA-1' and page.mediabox == page.trimbox
    again = copy.run('--all')
    assert again.returncode == 0 and 'nothing to do' in again.stdout  # neither build replaced the other's PDF


@pytest.mark.parametrize('kind', ['fifo', 'link'])
def test_a_lock_file_that_is_not_a_regular_file_is_a_clear_error(project, kind):
    project.out.mkdir()
    lock = project.out / '.build.lock'
    os.mkfifo(lock) if kind == 'fifo' else lock.symlink_to('/dev/null')
    code, stdout, stderr = project.run()
    reason = 'not a regular file' if kind == 'fifo' else 'Too many levels of symbolic links'
    assert (code, stdout, stderr) == (1, '', f'build.py: --out {project.out}: cannot take the lock {lock} ({reason})\n')


# --- The state file is untrusted input ------------------------------------------------


def state_of(out):
    return json.loads((out / '.build-state.json').read_text())


@pytest.mark.slow
def test_a_state_file_that_names_a_users_files_deletes_none_of_them(project, built):
    shutil.copytree(built.out, project.out)
    state = state_of(project.out)
    for name, text in (
        ('notes.html', '<!DOCTYPE html><p>mine'),
        ('budget.pdf', '%PDF-1.7 mine'),
        ('isecg-14.html', 'mine'),
    ):
        (project.out / name).write_text(text)
        state['outputs'][name] = {'key': 'a' * 64, 'sha256': hashlib.sha256(text.encode()).hexdigest()}
    (project.out / '.build-state.json').write_text(json.dumps(state))
    code, stdout, _ = project.run()
    assert code == 0 and f'full build: no usable state file in {project.out}' in stdout
    assert {
        name: (project.out / name).exists() for name in ('notes.html', 'budget.pdf', 'isecg-14.html')
    } == dict.fromkeys(('notes.html', 'budget.pdf', 'isecg-14.html'), True)
    assert 'removed' not in stdout


@pytest.mark.slow
def test_a_file_made_under_another_name_is_removed_only_when_it_is_one_this_project_made(project, built):
    shutil.copytree(built.out, project.out)
    state = state_of(project.out)
    mine = {  # the grammar of names this build makes; the first not its bytes, the others a head of their kind
        'isecg-14.html': 'my own page, named as the outputs are',
        'budget-2024.pdf': '%PDF-1.7 my budget',
        'minutes-3.html': '<!DOCTYPE html><p>minutes',
    }
    for name, text in mine.items():
        (project.out / name).write_text(text)
        state['outputs'][name] = {'key': 'a' * 64, 'sha256': hashlib.sha256(text.encode()).hexdigest()}  # intact
    shutil.copy(project.out / 'isecg-15.pdf', project.out / 'isecg-14.pdf')
    state['outputs']['isecg-14.pdf'] = dict(state['outputs']['isecg-15.pdf'])
    facts = json.loads((project.out / 'isecg-15.facts.json').read_text())  # the 14th year's build: its facts file
    facts['organisation']['anniversary']['years'] = 14
    (project.out / 'isecg-14.facts.json').write_text(json.dumps(facts))
    digest = hashlib.sha256((project.out / 'isecg-14.facts.json').read_bytes()).hexdigest()
    state['outputs']['isecg-14.facts.json'] = {'key': 'a' * 64, 'sha256': digest}
    (project.out / '.build-state.json').write_text(json.dumps(state))
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    code, stdout, _ = project.run()
    assert code == 0
    assert f'removed {project.out / "isecg-14.pdf"} (this build makes it under another name)' in stdout
    assert f'removed {project.out / "isecg-14.facts.json"} (this build makes it under another name)' in stdout
    assert {name: (project.out / name).read_text() for name in mine} == mine


@pytest.mark.slow
def test_a_fifo_as_the_state_file_holds_no_build(project):
    project.out.mkdir()
    os.mkfifo(project.out / '.build-state.json')
    code, stdout, _ = project.run('--only', 'html')
    assert code == 0 and f'full build: no usable state file in {project.out}' in stdout
    assert state_of(project.out)['format'] == 2


@pytest.mark.slow
def test_a_recorded_layout_step_is_a_hint_checked_even_when_forced(project, built):
    shutil.copytree(built.out, project.out)
    state = state_of(project.out)
    chosen = state['outputs']['isecg-15.pdf']['layout']
    assert chosen != [7, 7]  # the data fits before the floor
    state['outputs']['isecg-15.pdf']['layout'] = [7, 7]  # the floor, with the key unchanged
    (project.out / '.build-state.json').write_text(json.dumps(state))
    code, stdout, _ = project.run('--force', '--only', 'pdf')
    named = re.compile(r'layout: ([^;]+);')
    assert code == 0 and named.search(stdout).group(1) == named.search(built.stdout).group(1)
    assert (project.out / 'isecg-15.pdf').read_bytes() == (built.out / 'isecg-15.pdf').read_bytes()
    assert state_of(project.out)['outputs']['isecg-15.pdf']['layout'] == chosen


# --- Limits -------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_full_disk_is_one_line_and_every_output_as_it_was(project, built, monkeypatch):
    shutil.copytree(built.out, project.out)
    before = snapshot(project.out)
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: POLSA, the Polish Space Agency')
    full_disk(monkeypatch, '.pdf')
    code, stdout, stderr = project.run()
    assert (code, stderr) == (1, f'build.py: write: {project.out / "isecg-15.pdf"}: No space left on device\n')
    # what was written before the disk filled, in whichever order the outputs came, is put back
    written = re.findall(r'^wrote (\S+) ', stdout, flags=re.MULTILINE)
    assert str(project.out / 'isecg-15.facts.json') in written, stdout
    assert sorted(line for line in stdout.splitlines() if line.startswith('put back ')) == sorted(
        f'put back {name} (the build failed)' for name in written
    ), stdout
    assert snapshot(project.out) == before


@pytest.mark.fresh_layouts  # it watches the steps themselves
@pytest.mark.slow
def test_an_inherited_hard_memory_limit_is_respected_and_said(tmp_path):
    limit = 2_000_000  # KiB: below what a build's workers would get (--memory 2048 over its own size)
    command = f'ulimit -v {limit} && exec {sys.executable} build.py --out {tmp_path} --only html'
    result = subprocess.run(['bash', '-c', command], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stderr) == (0, '')
    assert result.stdout.startswith(
        f'build.py: this process inherited a hard memory limit ({limit >> 10} MiB of address space, ulimit -v):'
        ' the renders run under it, not under --memory 2048\n'
    )
