"""Shared fixtures: a private copy of the data or of the whole project, one build of the
shipped data, and build.py running in a process of its own."""

import fcntl
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
# The tests' own data: a frozen copy (tests/fixture/README.md), never the live data/.
DATA = ROOT / 'tests' / 'fixture' / 'data'
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from factsheet import pipeline  # noqa: E402
from layouts import KEPT, VARIABLE, started  # noqa: E402
from processes import Running, recording_server  # noqa: E402

STEPS = {step: getattr(pipeline, step) for step in KEPT}  # as the program has them

# Property tests: a few examples in the everyday run, the full counts with
# HYPOTHESIS_PROFILE=thorough. A test's data copy is reset by the test itself.
settings.register_profile('quick', deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.register_profile('thorough', parent=settings.get_profile('quick'))
PROFILE = os.environ.get('HYPOTHESIS_PROFILE', 'quick')
settings.load_profile(PROFILE)

# The tests press Ctrl-C in this process and in the builds they start, as a reader at a
# terminal would. A runner started in the background of a shell (`pytest &`, nohup) inherits
# Ctrl-C ignored, and would pass that on to every build it starts: give it back its default.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.hookimpl(trylast=True)  # after -m and -k have left out what they leave out
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist's workers, the first begins on the tests that read the session's
    build and the second on those that read every edition's, so that each makes its own
    shared build at once and neither waits for the other's (worksteal hands each worker a
    contiguous share of this order, then balances); the other tests fill in between."""
    workers = getattr(config, 'workerinput', {}).get('workercount', 1)  # on each worker: how many there are
    if workers < 2:
        return
    first = [item for item in items if 'built' in item.fixturenames and 'every_edition' not in item.fixturenames]
    second = [item for item in items if {'every_edition', 'every_handout'} & set(item.fixturenames)]
    chosen = {id(item) for item in first + second}
    rest = [item for item in items if id(item) not in chosen]
    fill = max(0, len(items) // workers - len(first))
    items[:] = first + rest[:fill] + second + rest[fill:]


def shared_folder(request, tmp_path_factory):
    """The run's own folder, which every worker of pytest-xdist sees."""
    shared = tmp_path_factory.getbasetemp()
    return shared.parent if hasattr(request.config, 'workerinput') else shared


@pytest.fixture(scope='session')
def layouts(request, tmp_path_factory):
    """The pipeline's steps that make a fact sheet, a chart and a card, each kept in this run's folder (layouts.py)."""
    return started(shared_folder(request, tmp_path_factory) / 'layouts')


@pytest.fixture(autouse=True)
def layout_once(request, layouts, monkeypatch):
    """A fact sheet, a chart or a card already made in this run from the same arguments is
    not made again, but in a test marked fresh_layouts (layouts.py)."""
    if request.node.get_closest_marker('fresh_layouts') is None:
        for step, kept in layouts.items():
            monkeypatch.setattr(pipeline, step, kept)
    else:
        monkeypatch.delenv(VARIABLE)


def examples(quick, thorough):
    """How many examples a property test draws in this profile."""
    return thorough if PROFILE == 'thorough' else quick


def run(data, out, *args):
    """Run build.py's main() in-process; return (exit status, stdout, stderr)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = build.main(['--data', str(data), '--out', str(out), *map(str, args)], stdout, stderr)
    return code, stdout.getvalue(), stderr.getvalue()


def snapshot(folder):
    """Every file under a folder with its bytes, temporary files included."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(Path(folder).rglob('*'))
        if path.is_file()
    }


def outputs(folder):  # every output's bytes, by name (the state file and the lock left out)
    return {name: data for name, data in snapshot(folder).items() if name not in ('.build-state.json', '.build.lock')}


def edit(path, old, new, count=1):
    """Replace text in a data file, checking it was there exactly `count` times."""
    text = path.read_text(encoding='utf-8')
    assert text.count(old) == count, f'{old!r} appears {text.count(old)} times in {path.name}'
    path.write_text(text.replace(old, new), encoding='utf-8')


def full_disk(monkeypatch, suffix=''):
    """Make every replace of a file whose name ends with `suffix` fail as a full disk does."""
    real_replace = os.replace

    def replace(src, dst):
        if str(dst).endswith(suffix):
            raise OSError(28, 'No space left on device')
        real_replace(src, dst)

    monkeypatch.setattr(os, 'replace', replace)


class Project(SimpleNamespace):
    """A copy of data/ and an output folder, both in tmp_path."""

    def run(self, *args):
        return run(self.data, self.out, *args)

    def edit(self, name, old, new, count=1):
        edit(self.data / name, old, new, count)

    def start_from(self, built):
        """Begin where a session's build of the shipped data ended (`built`, `every_edition`):
        its output folder and state file, copied, are up to date for this copy of the data."""
        start_from(built, self.out)


def start_from(built, out):
    shutil.copytree(built.out, out, symlinks=True)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the data in tmp_path, the folder the test runs in (messages name data/agencies.yaml)."""
    data = tmp_path / 'data'
    shutil.copytree(DATA, data)
    monkeypatch.chdir(tmp_path)
    return Project(data=data, out=tmp_path / 'out')


@pytest.fixture(scope='session')
def loaded_data():
    """The shipped data, loaded and validated once: copy what a test edits."""
    from factsheet.load import load
    from factsheet.validate import validate

    files = load(DATA)
    validate(files)
    return files


def made_once(request, tmp_path_factory, name, *args, start=None):
    """The shipped data built into a folder once per test run, by whichever worker asks
    first (the others wait for it): its output folder and what the build printed. `start`:
    an output folder to begin from (its state file's layout steps are then the build's hints)."""
    shared = shared_folder(request, tmp_path_factory)
    out, printed = shared / name, shared / f'{name}.json'
    with (shared / f'{name}.lock').open('w') as lock, pytest.MonkeyPatch.context() as unkept:
        # made as a test's fixture may ask for it: never from the kept steps (layouts.py)
        for step, real in STEPS.items():
            unkept.setattr(pipeline, step, real)
        unkept.delenv(VARIABLE, raising=False)
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not printed.exists():
            shutil.rmtree(out, ignore_errors=True)
            if start is not None:
                shutil.copytree(start, out, symlinks=True)
            # A deadline for a machine busy with the other tests, not the product's default
            code, stdout, stderr = run(DATA, out, '--timeout', '900', *args)
            assert code == 0, stderr
            printed.write_text(json.dumps([stdout, stderr]), encoding='utf-8')
    stdout, stderr = json.loads(printed.read_text(encoding='utf-8'))
    return SimpleNamespace(out=out, stdout=stdout, stderr=stderr)


@pytest.fixture(scope='session')
def built(request, tmp_path_factory):
    """The shipped data built once, with what the build printed: read it, or copy it."""
    built = made_once(request, tmp_path_factory, 'built')
    built.html, built.pdf = (built.out / 'isecg-15.html').read_text(encoding='utf-8'), built.out / 'isecg-15.pdf'
    return built


@pytest.fixture(scope='session')
def every_edition(request, tmp_path_factory):
    """The shipped data built with --all once: every language on A4 and Letter."""
    return made_once(request, tmp_path_factory, 'editions', '--all')


@pytest.fixture(scope='session')
def every_handout(request, tmp_path_factory):
    """The shipped data's handouts and cards in every language, built once (no PDF)."""
    return made_once(request, tmp_path_factory, 'handouts', '--all', '--only', 'html')


@pytest.fixture(scope='session')
def press(request, tmp_path_factory, built):
    """The shipped data's fact sheet built with --print-shop once (PDF/X-4), beside the
    screen PDF of `built` (whose steps are its hint)."""
    made = made_once(request, tmp_path_factory, 'press', '--print-shop', '--only', 'pdf', start=built.out)
    made.pdf = made.out / 'isecg-15.print-shop.pdf'
    return made


# --- A copy of the whole project, and build.py running in a process of its own ------

COPY_IGNORE = shutil.ignore_patterns(
    '.git', 'output', 'tests', 'bench', '__pycache__', '*.egg-info', '.pytest_cache', '.hypothesis'
)


class Copy(SimpleNamespace):
    """A private copy of the whole project (root: program, templates, charts, data) and an
    output folder (out): code edits stay in the copy."""

    def command(self, *args):
        return [sys.executable, 'build.py', '--out', str(self.out), *map(str, args)]

    def run(self, *args, **env):
        """Run build.py in the copy; return the finished process, text captured."""
        environ = {key: value for key, value in os.environ.items() if key != 'SOURCE_DATE_EPOCH'}
        return subprocess.run(
            self.command(*args), cwd=self.root, env={**environ, **env}, capture_output=True, text=True, timeout=300
        )

    def edit(self, name, old, new):
        """Replace text in a file of the copy, checking it is there exactly once."""
        edit(self.root / name, old, new)

    def append(self, name, text):
        with (self.root / name).open('a', encoding='utf-8') as stream:
            stream.write(text)

    def start_from(self, built):
        """Begin where a session's build of the shipped data ended (see Project.start_from)."""
        start_from(built, self.out)

    def outputs(self):
        return outputs(self.out)

    def rebuild(self, *args, **env):
        """Build; return the names of the outputs whose bytes changed, and the process."""
        before = self.outputs()
        result = self.run(*args, **env)
        assert result.returncode == 0, result.stderr
        after = self.outputs()
        return {name for name in after if before.get(name) != after[name]}, result


@pytest.fixture
def copy(tmp_path):
    """A private copy of the whole project (its data: the tests' own), and an output folder beside it."""
    shutil.copytree(ROOT, tmp_path / 'p', ignore=COPY_IGNORE)
    shutil.rmtree(tmp_path / 'p' / 'data')
    shutil.copytree(DATA, tmp_path / 'p' / 'data')
    return Copy(root=tmp_path / 'p', out=tmp_path / 'out')


@pytest.fixture
def built_copy(copy, built):
    """The copy, as its first build leaves it (the session's build, copied)."""
    copy.start_from(built)
    return copy


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1 that records every request it gets: (its address, the requests)."""
    with recording_server() as served:
        yield served


@pytest.fixture
def running():
    """Start commands with running(command, cwd); every one is ended after the test."""
    started = []

    def start(command, cwd=None):
        started.append(Running(command, cwd))
        return started[-1]

    yield start
    for process in started:
        process.close()
