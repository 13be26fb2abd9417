"""The tests' own memo of laid-out fact sheets (tests/layouts.py): it may serve a result
only for the same arguments, never across what changes a PDF."""

import dataclasses
import logging
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from factsheet import project, steps
from factsheet.options import Options
from factsheet.pdf import Sheet
from factsheet.workers import collecting_warnings
from layouts import card_key, carded, chart_key, key, remembered, written

FACTS = {'org': {'name': 'ISECG'}, 'values': {'anniversary_year': 2022}}
SVGS = {'map': '<svg/>'}
ROOT = Path(__file__).resolve().parents[2]
ROWS = {'map': [['Europe', 3]]}


def test_the_same_arguments_from_another_folder_share_a_key(tmp_path):
    here = Options(data=tmp_path / 'a', out=tmp_path / 'b')
    there = Options(data=tmp_path / 'c', out=tmp_path / 'd')
    assert key(FACTS, SVGS, ROWS, here, None) == key(FACTS, SVGS, ROWS, there, Sheet())


@pytest.mark.parametrize(
    'change',
    [
        lambda a: {**a, 'edition': {**FACTS, 'org': {'name': 'ISECG 2'}}},
        lambda a: {**a, 'svgs': {'map': '<svg></svg>'}},
        lambda a: {**a, 'rows': {'map': [['Europe', 4]]}},
        lambda a: {**a, 'options': dataclasses.replace(a['options'], paper='letter')},
        lambda a: {**a, 'options': dataclasses.replace(a['options'], archival=True)},
        lambda a: {**a, 'options': dataclasses.replace(a['options'], modified='2026-01-01')},
        lambda a: {**a, 'sheet': Sheet(paper='letter')},
        lambda a: {**a, 'sheet': Sheet(hint=(7, 7))},
        lambda a: {**a, 'sheet': Sheet(attached=('facts.json', b'{}'))},
    ],
    ids=['facts', 'charts', 'tables', 'paper option', 'variant', 'date', 'sheet paper', 'hint', 'facts file'],
)
def test_whatever_changes_a_pdf_changes_the_key(change):
    arguments = {'edition': FACTS, 'svgs': SVGS, 'rows': ROWS, 'options': Options(), 'sheet': None}
    assert key(**change(arguments)) != key(**arguments)


def test_the_print_shops_profile_its_bytes_and_its_path_are_part_of_its_key(tmp_path, monkeypatch):
    """The page's CSS names the profile's path: the same bytes elsewhere give another PDF."""
    options = Options(print_shop=True)
    monkeypatch.setattr(project, 'CMYK_PROFILE', tmp_path / 'profile.icc')
    (tmp_path / 'profile.icc').write_bytes(b'one')
    first = key(FACTS, SVGS, ROWS, options, None)
    (tmp_path / 'profile.icc').write_bytes(b'two')
    second = key(FACTS, SVGS, ROWS, options, None)
    monkeypatch.setattr(project, 'CMYK_PROFILE', tmp_path / 'same.icc')
    (tmp_path / 'same.icc').write_bytes(b'two')
    assert len({first, second, key(FACTS, SVGS, ROWS, options, None)}) == 3


def test_the_templates_the_steps_and_the_fonts_configuration_are_part_of_the_key(tmp_path, monkeypatch):
    before = key(FACTS, SVGS, ROWS, Options(), None)
    templates = tmp_path / 'templates'
    shutil.copytree(project.TEMPLATES, templates)
    monkeypatch.setattr(project, 'TEMPLATES', templates)
    assert key(FACTS, SVGS, ROWS, Options(), None) == before
    with (templates / 'factsheet.css').open('a', encoding='utf-8') as css:
        css.write('p { color: red }\n')
    changed = [key(FACTS, SVGS, ROWS, Options(), None)]
    monkeypatch.setitem(steps.SPARE, 'list', 0.5)
    changed.append(key(FACTS, SVGS, ROWS, Options(), None))
    monkeypatch.setenv('FONTCONFIG_FILE', str(tmp_path / 'fonts.conf'))
    changed.append(key(FACTS, SVGS, ROWS, Options(), None))
    assert len({before, *changed}) == 4


def test_a_kept_file_that_is_not_whole_is_laid_out_again(tmp_path):
    calls = []

    def factsheet(edition, svgs, rows, options, sheet=None):
        calls.append(1)
        return b'%PDF', 'steps', 2

    (tmp_path / key(FACTS, SVGS, ROWS, Options(), None)).write_bytes(b'\x80\x04 cut short')
    assert remembered(tmp_path, factsheet)(FACTS, SVGS, ROWS, Options()) == (b'%PDF', 'steps', 2)
    assert calls == [1]


def test_a_result_is_laid_out_once_and_a_failure_never_kept(tmp_path):
    calls = []

    def factsheet(edition, svgs, rows, options, sheet=None):
        calls.append(options.paper)
        if options.paper == 'letter':
            raise ValueError('does not fit')
        return b'%PDF', 'steps', len(calls)

    memo = remembered(tmp_path, factsheet)
    assert memo(FACTS, SVGS, ROWS, Options(out=tmp_path / 'x')) == (b'%PDF', 'steps', 1)
    assert memo(FACTS, SVGS, ROWS, Options(out=tmp_path / 'y')) == (b'%PDF', 'steps', 1)
    for _ in range(2):
        with pytest.raises(ValueError, match='does not fit'):
            memo(FACTS, SVGS, ROWS, Options(paper='letter'))
    assert calls == ['a4', 'letter', 'letter']
    assert sorted(path.name for path in tmp_path.iterdir()) == [key(FACTS, SVGS, ROWS, Options(), None)]


def test_a_kept_layout_says_again_what_its_layout_said(tmp_path):
    """A build reports the warnings its render logged or issued: a kept layout repeats them."""

    def factsheet(edition, svgs, rows, options, sheet=None):
        logging.getLogger('weasyprint.progress').warning('No glyph for %s', 'U+E000')
        warnings.warn('font not found', UserWarning, stacklevel=1)
        return b'%PDF', 'steps', 2

    memo = remembered(tmp_path, factsheet)
    said = [collecting_warnings(lambda: memo(FACTS, SVGS, ROWS, Options())) for _ in range(2)]
    assert said[0] == said[1] == ['weasyprint.progress: No glyph for U+E000', 'UserWarning: font not found']


WRAPPED = (
    'from factsheet import pipeline as p\n'
    'print(*sorted({f.__qualname__ for f in (p.factsheet, p.draw, p.card)}), p.__file__)'
)


@pytest.mark.parametrize('folder, wrapped', [('', ['card', 'draw', 'factsheet']), ('kept', ['kept.<locals>.memo'])])
def test_a_process_the_tests_start_wraps_its_own_copy_of_the_step(tmp_path, folder, wrapped):
    """In a process of its own (a copy of the project, watch mode's helper), tests/boot's
    start-up wraps the pipeline that process imports, the copy's, and only when told where."""
    shutil.copytree(ROOT / 'factsheet', tmp_path / 'factsheet', ignore=shutil.ignore_patterns('__pycache__'))
    env = {**os.environ, 'PYTHONPATH': str(ROOT / 'tests' / 'boot'), 'FACTSHEET_TEST_LAYOUTS': folder}
    done = subprocess.run([sys.executable, '-c', WRAPPED], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert (done.stdout.split(), done.stderr) == ([*wrapped, str(tmp_path / 'factsheet' / 'pipeline.py')], '')


def test_an_edit_of_the_package_changes_the_key(monkeypatch, tmp_path):
    """A copy whose modules a test edited lays out again (the key reads the package's files)."""
    shutil.copytree(ROOT / 'factsheet', tmp_path / 'factsheet', ignore=shutil.ignore_patterns('__pycache__'))
    from factsheet import pipeline

    monkeypatch.setattr(pipeline, '__file__', str(tmp_path / 'factsheet' / 'pipeline.py'))
    before = key(FACTS, SVGS, ROWS, Options(), None)
    with (tmp_path / 'factsheet' / 'layout.py').open('a', encoding='utf-8') as module:
        module.write('\n# a harmless comment\n')
    assert key(FACTS, SVGS, ROWS, Options(), None) != before


EDITION = {'slug': 'isecg-15', 'language': 'en', 'org': {'name': 'ISECG'}}
CHART = (None, {'countries': {'US': 'founding'}})  # (its module, the data it reads)
PALETTE = {'deep': '#0b1f3a'}


@pytest.mark.parametrize(
    'change',
    [
        lambda a: {**a, 'name': 'membership'},
        lambda a: {**a, 'chart': (None, {'countries': {'US': 'later'}})},
        lambda a: {**a, 'edition': {**EDITION, 'language': 'fr'}},
        lambda a: {**a, 'edition': {**EDITION, 'slug': 'isecg-16'}},
        lambda a: {**a, 'palette': {'deep': '#401010'}},
    ],
    ids=['chart', 'data', 'language', 'salt', 'palette'],
)
def test_whatever_changes_a_chart_changes_its_key(change):
    arguments = {'name': 'map', 'chart': CHART, 'edition': EDITION, 'palette': PALETTE}
    assert chart_key(**change(arguments)) != chart_key(**arguments)


def test_a_card_s_key_reads_its_facts_and_colours():
    keys = {card_key(EDITION, PALETTE), card_key({**EDITION, 'org': {'name': 'X'}}, PALETTE), card_key(EDITION, {})}
    assert len(keys) == 3


def test_an_edit_of_a_file_of_charts_changes_every_key(monkeypatch, tmp_path):
    """A chart's module, a helper it imports, its style or the world's outlines: all read."""
    import layouts

    shutil.copytree(ROOT / 'charts', tmp_path / 'charts', ignore=shutil.ignore_patterns('__pycache__'))
    monkeypatch.setattr(layouts, 'CHARTS', tmp_path / 'charts')
    before = chart_key('map', CHART, EDITION, PALETTE), card_key(EDITION, PALETTE)
    (tmp_path / 'charts/common.py').write_text('BAR_WIDTH = 1.2\n')
    assert chart_key('map', CHART, EDITION, PALETTE) != before[0] and card_key(EDITION, PALETTE) != before[1]


def test_what_a_step_wrote_to_the_error_stream_is_written_again(tmp_path, capfd):
    """matplotlib's messages (findfont: ...) and a library's own go to file descriptor 2."""

    def card(edition, palette):
        os.write(2, b'findfont: Font family not found.\n')
        return b'PNG'

    memo = carded(tmp_path, card)
    for _ in range(2):
        assert memo(EDITION, PALETTE) == b'PNG'
        assert capfd.readouterr().err == 'findfont: Font family not found.\n'


def test_a_layout_that_read_a_file_the_key_does_not_read_is_not_kept(tmp_path):
    """The fetcher serves the output folder's files too: what one holds is in no key."""
    (tmp_path / 'logo.png').write_bytes(b'PNG')

    def factsheet(edition, svgs, rows, options, sheet=None):
        from factsheet import pdf

        pdf.make_fetcher([tmp_path]).fetch((tmp_path / 'logo.png').as_uri())
        return b'%PDF', 'steps', 2

    (tmp_path / 'kept').mkdir()
    assert remembered(tmp_path / 'kept', factsheet)(FACTS, SVGS, ROWS, Options()) == (b'%PDF', 'steps', 2)
    assert list((tmp_path / 'kept').iterdir()) == []


def test_the_memo_never_fails_a_step_and_keeps_nothing_read_while_it_changed(tmp_path, monkeypatch):
    import layouts

    assert carded(tmp_path / 'gone', lambda edition, palette: b'PNG')(EDITION, PALETTE) == b'PNG'
    (tmp_path / 'charts').mkdir()
    monkeypatch.setattr(layouts, 'CHARTS', tmp_path / 'charts')

    def saved_meanwhile(edition, palette):
        (tmp_path / 'charts' / 'map.py').write_text('# saved as the card was made\n')
        return b'PNG'

    assert carded(tmp_path, saved_meanwhile)(EDITION, PALETTE) == b'PNG'
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith('card-')] == []


def test_the_start_up_runs_the_sitecustomize_it_stands_before_once(tmp_path):
    """The next one on the path (a system's own) runs once, past another checkout's tests/boot."""
    other = tmp_path / 'other' / 'tests'
    shutil.copytree(ROOT / 'tests' / 'boot', other / 'boot', ignore=shutil.ignore_patterns('__pycache__'))
    shutil.copy(ROOT / 'tests' / 'layouts.py', other)
    (tmp_path / 'sitecustomize.py').write_text('import builtins\nbuiltins.SEEN = getattr(builtins, "SEEN", 0) + 1\n')
    path = os.pathsep.join([str(ROOT / 'tests' / 'boot'), str(other / 'boot'), str(tmp_path)])
    done = subprocess.run(
        [sys.executable, '-c', 'print(SEEN)'], env={**os.environ, 'PYTHONPATH': path}, capture_output=True, text=True
    )
    assert (done.stdout, done.stderr) == ('1\n', '')


def test_a_failing_step_s_error_stream_passes_on_once_and_a_closed_one_is_no_error(tmp_path, capfd):
    def card(edition, palette):
        os.write(2, b'said before failing\n')
        raise ValueError('no card')

    with pytest.raises(ValueError, match='no card'):
        carded(tmp_path, card)(EDITION, PALETTE)
    assert capfd.readouterr().err == 'said before failing\n'
    reading, writing = os.pipe()
    os.close(reading)
    written(writing, b'no one reads this\n')  # EPIPE: nothing raised
    os.close(writing)
