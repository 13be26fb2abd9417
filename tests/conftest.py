"""Shared fixtures: a private copy of the data, and one build of the shipped data."""

import io
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402


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


def edit(path, old, new, count=1):
    """Replace text in a data file, checking it was there exactly `count` times."""
    text = path.read_text(encoding='utf-8')
    assert text.count(old) == count, f'{old!r} appears {text.count(old)} times in {path.name}'
    path.write_text(text.replace(old, new), encoding='utf-8')


class Project(SimpleNamespace):
    """A copy of data/ and an output folder, both in tmp_path."""

    def run(self, *args):
        return run(self.data, self.out, *args)

    def edit(self, name, old, new, count=1):
        edit(self.data / name, old, new, count)


@pytest.fixture
def project(tmp_path):
    data = tmp_path / 'data'
    shutil.copytree(ROOT / 'data', data)
    return Project(data=data, out=tmp_path / 'out')


@pytest.fixture(scope='session')
def built(tmp_path_factory):
    """The shipped data built once, with what the build printed."""
    out = tmp_path_factory.mktemp('built')
    code, stdout, stderr = run(ROOT / 'data', out)
    assert code == 0, stderr
    return SimpleNamespace(
        out=out,
        stdout=stdout,
        stderr=stderr,
        html=(out / 'isecg-15.html').read_text(encoding='utf-8'),
        pdf=out / 'isecg-15.pdf',
    )
