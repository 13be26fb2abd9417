"""Watch mode's check that the program as saved imports, run against small programs in
tmp_path: where it fails is told as `file:line: message`, and nothing a module does while
it is imported (ending its process, waiting for ever, printing) passes for a good import."""

import pytest

from factsheet.watch import import_errors, module_names


def program(root, **modules):
    """A program in root: build.py importing the package pkg, and pkg's modules."""
    (root / 'pkg').mkdir()
    (root / 'pkg/__init__.py').write_text('')
    (root / 'build.py').write_text('from pkg import options\n')
    (root / 'pkg/options.py').write_text('from .project import ROOT\n')
    (root / 'pkg/project.py').write_text('ROOT = 1\n')
    for name, text in modules.items():
        (root / f'pkg/{name}.py').write_text(text)
    return ['build', 'pkg', *(f'pkg.{path.stem}' for path in sorted((root / 'pkg').glob('[!_]*.py')))]


def test_the_program_itself_imports():
    names = module_names()
    assert names[:2] == ['build', 'factsheet'] and 'factsheet.watch' in names
    assert import_errors(names) == ''


def test_a_program_that_imports_is_passed_whatever_it_prints(tmp_path):
    names = program(tmp_path, noisy='print("ok")\nprint("not ok")\n')
    assert import_errors(names, tmp_path) == ''


@pytest.mark.parametrize(
    'modules, error',
    [
        (
            {'options': 'import os\nfrom .project import ROOT, ROOTT\n'},
            "pkg/options.py:2: ImportError: cannot import name 'ROOTT'",
        ),
        (
            {'project': 'ROOT = 1\n\n\ndef f():\n    pass\n\n\nf(1)\n'},
            'pkg/project.py:8: TypeError: f() takes 0 positional',
        ),
        (
            {'project': 'import no_such_module_anywhere\n'},
            "pkg/project.py:1: ModuleNotFoundError: No module named 'no_such",
        ),
        ({'late': 'raise SystemExit(3)\n'}, 'pkg/late.py:1: SystemExit: 3'),
        ({'late': 'input()\n'}, 'pkg/late.py:1: EOFError: EOF when reading a line'),
        ({'late': 'import os\nos._exit(0)\n'}, 'build.py: importing the program ended early: exit status 0'),
        (
            {'late': 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n'},
            'build.py: importing the program ended early',
        ),
    ],
)
def test_where_a_program_that_compiles_fails_to_import(tmp_path, modules, error):
    assert import_errors(program(tmp_path, **modules), tmp_path).startswith(error)


def test_a_module_that_waits_for_ever_is_given_up_on(tmp_path):
    names = program(tmp_path, late='import threading\nthreading.Event().wait()\n')
    assert import_errors(names, tmp_path, timeout=0.5) == 'build.py: the program took longer than 0.5 s to import'
