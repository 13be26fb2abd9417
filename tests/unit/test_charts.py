"""Charts: each draws onto its own Figure into SVG, from the data it selects."""

import sys

import pytest

from factsheet.derive import derive
from factsheet.draw import draw_chart, load_chart, read_palette
from factsheet.load import load
from factsheet.project import CHARTS, ROOT
from factsheet.validate import validate


@pytest.fixture(scope='module')
def facts():
    files = load(ROOT / 'data')
    validate(files)
    return derive(files)


@pytest.mark.parametrize('name', CHARTS)
def test_chart_draws_deterministic_svg_without_pyplot(facts, name):
    module = load_chart(name)
    data = module.select(facts)
    first = draw_chart(module, data, read_palette(), facts['slug'])
    second = draw_chart(module, data, read_palette(), facts['slug'])
    assert first.startswith('<?xml') and '</svg>' in first
    assert first == second
    assert 'matplotlib.pyplot' not in sys.modules
    assert '<dc:date>' not in first


def test_chart_text_is_text_in_the_chosen_font(facts):
    module = load_chart('regions')
    svg = draw_chart(module, module.select(facts), read_palette(), facts['slug'])
    assert 'Europe' in svg and 'Oceania' in svg
    assert 'Noto Sans' in svg


def test_chart_colours_are_the_documents_colours(facts):
    palette = read_palette()
    module = load_chart('growth')
    svg = draw_chart(module, module.select(facts), palette, facts['slug'])
    assert palette['deep'] in svg and palette['secondary-2'] in svg


def test_tables_hold_the_charts_data(facts):
    tables = {name: load_chart(name).table(load_chart(name).select(facts)) for name in CHARTS}
    assert tables['regions'] == [['Europe', 7, 6, 13], ['Asia', 4, 3, 7], ['Americas', 2, 2, 4], ['Oceania', 1, 2, 3]]
    assert tables['growth'] == [[2006, 14], [2022, 27]]
    assert tables['timeline'] == [['Initial mandate', 2007, 2012], ['Extension', 2012, 2022]]


def test_alt_texts_are_written_from_the_data(facts):
    assert facts['charts']['regions']['alt'] == (
        'Bar chart: of the 27 member agencies, 13 are in Europe (7 founding), 7 are in Asia '
        '(4 founding), 4 are in Americas (2 founding) and 3 are in Oceania (1 founding).'
    )
    assert facts['charts']['growth']['alt'] == (
        'Bar chart: 14 agencies began the discussions in 2006; 27 are members in 2022.'
    )
    assert facts['charts']['timeline']['alt'] == (
        'Timeline chart: an initial mandate from 2007 to 2012, then an extension from 2012 to 2022.'
    )


def test_charts_are_written_as_svg_files(built):
    for name in CHARTS:
        assert (built.out / 'charts' / f'{name}.svg').read_text().startswith('<?xml')


def test_the_process_matplotlib_settings_never_reach_a_chart(facts):
    """A matplotlibrc in the working folder or the user's configuration changes nothing."""
    import matplotlib

    module = load_chart('growth')
    plain = draw_chart(module, module.select(facts), read_palette(), facts['slug'])
    with matplotlib.rc_context({'patch.linewidth': 3, 'axes.xmargin': 0.3, 'font.size': 20}):
        assert draw_chart(module, module.select(facts), read_palette(), facts['slug']) == plain
