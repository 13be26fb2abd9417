"""Which saved files a build reads, and which it leaves alone: editors' swap, backup and
temporary files, and caches, never trigger a build, in the data or in the program's folders."""

import pytest

from factsheet.project import PACKAGE, ROOT, TEMPLATES, kind_of


@pytest.mark.parametrize(
    'name',
    [
        '.page.html.j2.swp',  # vim's swap file
        '.page.html.j2.swx',
        'page.html.j2~',  # a backup
        '#page.html.j2#',  # emacs's autosave
        '.#page.html.j2',  # emacs's lock
        'page.html.j2.tmp',  # a save made by rename, before the rename
    ],
)
def test_an_editors_leftover_is_no_input(tmp_path, name):
    assert kind_of(TEMPLATES / name, tmp_path) is None
    assert kind_of(PACKAGE / name.replace('page.html.j2', 'load.py'), tmp_path) is None


def test_what_a_build_reads_is_an_input_or_the_program(tmp_path):
    assert kind_of(TEMPLATES / 'page.html.j2', tmp_path) == 'input'
    assert kind_of(tmp_path / 'agencies.yaml', tmp_path) == 'input'
    assert kind_of(PACKAGE / 'load.py', tmp_path) == 'program'
    assert kind_of(ROOT / 'build.py', tmp_path) == 'program'
    assert kind_of(PACKAGE / '__pycache__' / 'load.cpython-311.pyc', tmp_path) is None
