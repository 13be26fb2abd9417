"""The layers as a contract: every import inside factsheet/ (at the top of a module or in a
function) goes to a module listed before the importer in factsheet.layers.LAYERS, every
module is listed, and the docs list the modules in the same order."""

import ast
import re

from factsheet.layers import LAYERS
from factsheet.project import PACKAGE, ROOT


def imports(path):
    """The package's modules a module imports, with the line of each import."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names = [node.module.split('.')[0]] if node.module else [alias.name for alias in node.names]
            found += [(name, node.lineno) for name in names]
        elif isinstance(node, ast.ImportFrom) and (node.module or '').startswith('factsheet.'):
            found.append((node.module.split('.')[1], node.lineno))
    return found


def test_every_module_is_in_one_layer():
    modules = {path.stem for path in PACKAGE.glob('*.py')} - {'__init__', 'layers'}
    assert sorted(modules) == sorted(LAYERS)
    assert len(set(LAYERS)) == len(LAYERS)


def test_every_import_runs_down_the_layers():
    upward = []
    for path in sorted(PACKAGE.glob('*.py')):
        if path.stem in ('__init__', 'layers'):
            continue
        for name, line in imports(path):
            if LAYERS.index(name) >= LAYERS.index(path.stem):
                upward.append(f'factsheet/{path.name}:{line}: imports {name}, which is not below it')
    assert upward == []


def test_a_module_importing_upward_is_caught(tmp_path):
    module = tmp_path / 'load.py'
    module.write_text('def f():\n    from .render import render\n    from . import jobs\n')
    assert imports(module) == [('render', 2), ('jobs', 3)]


def test_the_docs_list_the_modules_in_the_layers_order():
    """docs/design.md's table of modules, and the README's one line of them."""
    text = (ROOT / 'docs' / 'design.md').read_text(encoding='utf-8')
    table = text[text.index('## How it works') :]
    table = table[: table.index('\n\n', table.index('| --- |'))]
    listed = [name for row in re.findall(r'^\|.*$', table, re.M) for name in re.findall(r'`(\w+)\.py`', row)]
    assert listed == list(LAYERS)
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    assert f'    {" → ".join(LAYERS)}\n' in readme


def test_the_tests_read_their_own_data_not_the_live_one():
    """A valid edit of data/ never fails a test: the tests read tests/fixture/data (one test
    checks the live data validates, and nothing else)."""
    readers = []
    for path in sorted((ROOT / 'tests').rglob('*.py')):
        for number, line in enumerate(path.read_text(encoding='utf-8').splitlines(), 1):
            if re.search(r"ROOT\s*/\s*'data'", line):
                readers.append(f'{path.relative_to(ROOT)}:{number}')
    assert [reader.split(':')[0] for reader in readers] == ['tests/unit/test_load.py']


def test_short_bodies_in_modules_a_reader_can_hold():
    """No function of the program over 50 lines, no module over 300 (ruff checks each
    function's complexity and arguments)."""
    import ast

    long = []
    for path in [ROOT / 'build.py', *sorted(PACKAGE.glob('*.py')), *sorted((ROOT / 'charts').glob('*.py'))]:
        text = path.read_text(encoding='utf-8')
        if len(text.splitlines()) > 300:
            long.append(f'{path.relative_to(ROOT)}: {len(text.splitlines())} lines')
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and node.end_lineno - node.lineno >= 50:
                long.append(
                    f'{path.relative_to(ROOT)}:{node.lineno}: {node.name}, {node.end_lineno - node.lineno + 1} lines'
                )
    assert long == []
