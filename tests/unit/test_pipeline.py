"""One pipeline: the build and watch mode's warm-up run the same steps (pipeline.STEPS), the
warm-up in order, and nothing outside pipeline.py calls what a step wraps."""

import ast
import json
import os

import pytest

from conftest import DATA
from factsheet import pipeline
from factsheet.options import Options
from factsheet.project import PACKAGE, ROOT


def steps_called(path):
    """The pipeline steps a module calls (pipeline.read(...), pipeline.draw(...), ...)."""
    return {
        node.func.attr
        for node in ast.walk(ast.parse(path.read_text(encoding='utf-8')))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == 'pipeline'
    }


def test_the_build_runs_every_step_of_the_pipeline():
    """build.py runs the first steps, its workers (jobs.py) the rest: together, every step."""
    assert steps_called(ROOT / 'build.py') | steps_called(PACKAGE / 'jobs.py') == set(pipeline.STEPS)


def test_the_warm_up_runs_the_pipelines_documents():
    assert 'documents' in {
        node.id for node in ast.walk(ast.parse((PACKAGE / 'helper.py').read_text())) if isinstance(node, ast.Name)
    }


def test_nothing_but_the_pipeline_calls_what_its_steps_wrap():
    wrapped = {'render_factsheet', 'draw_chart', 'select_charts', 'validate', 'load'}
    for path in [ROOT / 'build.py', *PACKAGE.glob('*.py')]:
        if path.stem in ('pipeline', 'render', 'draw', 'load', 'validate'):
            continue
        called = {
            node.func.id
            for node in ast.walk(ast.parse(path.read_text(encoding='utf-8')))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert not called & wrapped, (path.name, called & wrapped)


@pytest.mark.slow
def test_the_warm_up_runs_every_step_in_order(monkeypatch, tmp_path):
    seen = []
    for step in pipeline.STEPS:
        real = getattr(pipeline, step)

        def recorded(*args, step=step, real=real, **kwargs):
            seen.append(step)
            return real(*args, **kwargs)

        monkeypatch.setattr(pipeline, step, recorded)
    made = list(pipeline.documents(Options(data=DATA, out=tmp_path)))
    assert [document[:15] for document in made] == [
        b'{\n  "schema": 1',
        b'<!DOCTYPE html>',
        b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHD',
        b'%PDF-1.7\n%\xf0\x9f\x96\xa4\n',
    ]
    assert [step for i, step in enumerate(seen) if step not in seen[:i]] == list(pipeline.STEPS)


def test_the_warm_up_lays_the_first_editions_fact_sheet_out_from_the_steps_the_last_build_chose(monkeypatch, built):
    """Watch mode's helper warms up after the first build: the fact sheet's search begins at
    the steps that build recorded (one or two layouts), not from the floor (a search); with
    every edition watched, it lays out the first edition's sheet alone, and makes every
    edition's handout and card."""
    from factsheet.state import BuildState

    recorded = json.loads((built.out / '.build-state.json').read_text(encoding='utf-8'))['outputs']
    sheets, made = [], []
    monkeypatch.setattr(pipeline, 'factsheet', lambda *args: sheets.append(args[4]) or (b'%PDF', None, 2))
    monkeypatch.setattr(pipeline, 'draw', lambda *args: '<svg/>')
    monkeypatch.setattr(pipeline, 'handout', lambda edition, *args: made.append(edition['language']) or '<html>')
    monkeypatch.setattr(pipeline, 'card', lambda edition, palette: made.append(edition['language']) or b'PNG')
    hints = BuildState(built.out).layouts()[1]
    for paper in ('a4', 'letter'):
        list(pipeline.documents(Options(data=DATA, out=built.out, paper=paper), hints))
    assert [sheet.hint for sheet in sheets] == [tuple(recorded['isecg-15.pdf']['layout']), None]  # no Letter built
    assert sheets[0].attached[0] == 'isecg-15.facts.json'
    sheets.clear()
    made.clear()
    assert len(list(pipeline.documents(Options(data=DATA, out=built.out, all_editions=True), hints))) == 1 + 3 * 2 + 1
    assert made == ['en', 'en', 'fr', 'fr', 'ja', 'ja']
    assert [sheet.hint for sheet in sheets] == [tuple(recorded['isecg-15.pdf']['layout'])]


def test_the_helper_warms_up_from_the_steps_the_state_file_records(built):
    """helper.warm_up (in a child: it sets limits and ends its process on any failure) hands
    pipeline.documents the steps the output folder's state file records, by (language, paper)."""
    from factsheet import helper

    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe, then ends
        code = 1
        try:  # whatever happens, the child never goes back to the test run
            pipeline.documents = lambda options, hints: (
                os.write(writing, json.dumps(sorted(hints.items())).encode()) and iter(())
            )
            helper.warm_up(Options(data=DATA, out=built.out))
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    with os.fdopen(reading) as stream:
        handed = stream.read()
    assert os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 0
    recorded = json.loads((built.out / '.build-state.json').read_text(encoding='utf-8'))['outputs']
    assert json.loads(handed) == [[['en', 'a4'], recorded['isecg-15.pdf']['layout']]]
