"""Writing outputs: atomic replacement, nothing half-written, and rollback."""

import os

import pytest

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

    def full_disk(src, dst):
        raise OSError(28, 'No space left on device')

    monkeypatch.setattr(os, 'replace', full_disk)
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
    writer.roll_back()
    assert lines[3:] == [
        f'put back {tmp_path}/old.html (the build failed)',
        f'removed {tmp_path}/charts/new.svg (the build failed)',
    ]
    assert (tmp_path / 'old.html').read_bytes() == b'before'
    assert not (tmp_path / 'charts' / 'new.svg').exists()
