"""Writing outputs: atomic replacement, nothing half-written, and rollback."""

import os

import pytest

from conftest import full_disk
from factsheet.problems import UserError
from factsheet.write import Writer, write_atomic


def test_a_rewrite_replaces_the_file_through_a_temporary_one(tmp_path, monkeypatch):
    path = tmp_path / 'out.html'
    path.write_bytes(b'old')
    inode = path.stat().st_ino
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, 'replace', lambda src, dst: replaced.append((src, dst)) or real_replace(src, dst))
    assert write_atomic(path, b'new') is True
    assert path.read_bytes() == b'new' and path.stat().st_ino != inode
    [(temporary, target)] = replaced
    assert os.path.dirname(temporary) == str(tmp_path) and temporary.endswith('.tmp') and target == path
    assert sorted(p.name for p in tmp_path.iterdir()) == ['out.html']


def test_unchanged_bytes_are_not_rewritten(tmp_path):
    path = tmp_path / 'out.html'
    path.write_bytes(b'same')
    inode = path.stat().st_ino
    assert write_atomic(path, b'same') is False
    assert path.stat().st_ino == inode


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / 'out.pdf'
    path.write_bytes(b'old')
    full_disk(monkeypatch)
    with pytest.raises(OSError):
        write_atomic(path, b'new')
    assert path.read_bytes() == b'old'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['out.pdf']


def test_roll_back_restores_rewritten_files_and_removes_new_ones(tmp_path):
    (tmp_path / 'old.html').write_bytes(b'before')
    lines = []
    writer = Writer(tmp_path, lines.append)
    writer.write('old.html', b'after', 0.5)
    writer.write('charts/new.svg', b'<svg/>', 0.25)
    writer.write('old.html', b'after again', 0.5)  # written twice: the first "before" is kept
    assert lines == [
        f'wrote {tmp_path}/old.html (0.50 s)',
        f'wrote {tmp_path}/charts/new.svg (0.25 s)',
        f'wrote {tmp_path}/old.html (0.50 s)',
    ]
    assert writer.roll_back() == []
    assert lines[3:] == [  # new files first: removing them frees room for the old ones
        f'removed {tmp_path}/charts/new.svg (the build failed)',
        f'put back {tmp_path}/old.html (the build failed)',
    ]
    assert (tmp_path / 'old.html').read_bytes() == b'before'
    assert not (tmp_path / 'charts').exists()  # the folder the build made for it, too


def test_an_interrupt_just_after_the_replace_keeps_the_new_file_and_raises_only_the_interrupt(tmp_path, monkeypatch):
    path = tmp_path / 'out.pdf'
    path.write_bytes(b'old')
    real_replace = os.replace

    def replace_then_interrupt(src, dst):
        real_replace(src, dst)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, 'replace', replace_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(path, b'new')
    assert path.read_bytes() == b'new'
    assert sorted(p.name for p in tmp_path.iterdir()) == ['out.pdf']


def test_a_removed_output_is_put_back_and_what_cannot_be_put_back_is_said(tmp_path, monkeypatch):
    (tmp_path / 'old.pdf').write_bytes(b'old pdf')
    (tmp_path / 'kept.html').write_bytes(b'kept')
    lines = []
    writer = Writer(tmp_path, lines.append)
    writer.remove('old.pdf', 'made under another name')
    writer.write('kept.html', b'new')
    assert writer.changed == [tmp_path / 'old.pdf', tmp_path / 'kept.html']
    full_disk(monkeypatch, '.html')
    assert writer.roll_back() == [f'build.py: could not put back {tmp_path}/kept.html: No space left on device']
    assert (tmp_path / 'old.pdf').read_bytes() == b'old pdf'
    assert lines[-1] == f'put back {tmp_path}/old.pdf (the build failed)'


def test_a_full_disk_is_one_user_error(tmp_path, monkeypatch):
    full_disk(monkeypatch)
    with pytest.raises(UserError) as raised:
        Writer(tmp_path, print).write('x.pdf', b'new')
    assert str(raised.value) == f'build.py: write: {tmp_path}/x.pdf: No space left on device'
