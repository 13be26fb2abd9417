"""Charts: each draws onto its own Figure into SVG, from the data it selects."""

import sys

import pytest

from conftest import DATA
from factsheet.colours import read_palette
from factsheet.derive import every_edition
from factsheet.draw import draw_chart, load_chart
from factsheet.load import load
from factsheet.project import CHARTS
from factsheet.validate import validate


@pytest.fixture(scope='module')
def every():
    files = load(DATA)
    validate(files)
    return every_edition(files)


@pytest.fixture(scope='module')
def facts(every):
    return every['en']


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
    module = load_chart('map')
    svg = draw_chart(module, module.select(facts), read_palette(), facts['slug'])
    assert 'Founding' in svg and 'Joined later' in svg
    assert 'Noto Sans' in svg


def test_a_chart_is_drawn_in_its_edition_s_language_and_japanese_in_japanese_forms(every):
    module = load_chart('map')
    french = draw_chart(module, module.select(every['fr']), read_palette(), 'x', 'fr')
    assert 'Fondatrices' in french and 'Adhésions ultérieures' in french
    japanese = draw_chart(module, module.select(every['ja']), read_palette(), 'x', 'ja')
    assert '後に加盟' in japanese and 'Noto Sans CJK JP' in japanese and 'CJK SC' not in japanese


def test_japanese_milestones_break_between_characters_within_their_column():
    timeline = load_chart('timeline')
    lines = timeline.balanced('14の宇宙機関が宇宙探査における世界共通の関心について議論を開始', 26)
    assert ''.join(lines) == '14の宇宙機関が宇宙探査における世界共通の関心について議論を開始'
    assert len(lines) == 3 and all(timeline.width(line) <= 26 for line in lines)
    assert timeline.balanced('「The Global Exploration Strategy」公表', 26) == [
        '「The Global Exploration',
        'Strategy」公表',
    ]
    assert not any(line.startswith(('、', '。', '」')) for line in timeline.balanced('あ、' * 30, 26))


def dense(every, language, count, years):
    """The timeline's data with `count` milestones inside `years` years, worded as the
    edition's milestones are (the longest first), one a month apart or closer."""
    texts = sorted((m['text'] for m in every[language]['milestones']), key=len, reverse=True)
    data = load_chart('timeline').select(every[language])
    start = data['start']
    data['milestones'] = [
        {
            'when': f'{start + i * years // count}',
            'at': start + i * years / count,
            'text': texts[i % len(texts)],
            'last': False,
        }
        for i in range(count)
    ]
    data['end'] = start + years
    return data


def placed(data, language):
    """The timeline's blocks as draw() places them, in the edition's fonts."""
    import matplotlib

    from factsheet.draw import FONTS

    timeline = load_chart('timeline')
    with matplotlib.rc_context({'font.family': FONTS.get(language, FONTS[None])}):
        return timeline.layout(data, timeline.SIZE[0] * 72)


@pytest.mark.parametrize('language', ['en', 'fr', 'ja'])
@pytest.mark.parametrize(('count', 'years'), [(5, 16), (11, 16), (14, 10), (14, 3)])
def test_timeline_words_never_overlap_and_no_leader_crosses_them(every, language, count, years):
    """Placement is computed: fourteen milestones inside one decade, in every language's
    words, still stand clear of each other, in order, inside the chart."""
    timeline = load_chart('timeline')
    data = dense(every, language, count, years)
    blocks = placed(data, language)
    room = timeline.SIZE[0] * 72
    assert [block.left for block in blocks] == sorted(block.left for block in blocks)  # leaders in date order
    for i, block in enumerate(blocks):
        assert 0 <= block.left and block.left + block.width <= room
        for other in blocks[i + 1 :]:
            if other.row == block.row:  # side by side: apart
                assert other.left >= block.left + block.width
            if other.row > block.row:  # its leader rises past this block: clear of it
                assert other.left >= block.left + block.width


def test_the_timeline_grows_a_row_when_the_dates_crowd(every):
    timeline = load_chart('timeline')
    sparse, crowded = dense(every, 'en', 5, 16), dense(every, 'en', 14, 3)
    assert max(block.row for block in placed(sparse, 'en')) == 0
    assert max(block.row for block in placed(crowded, 'en')) >= 1
    assert timeline.size(crowded)[1] > timeline.size(sparse)[1]


def test_a_timeline_that_cannot_be_placed_says_so(every):
    from factsheet.problems import UserError

    data = dense(every, 'fr', 60, 2)
    with pytest.raises(UserError) as error:
        placed(data, 'fr')
    assert str(error.value) == (
        'build.py: draw: the timeline cannot place 60 milestones between 2006 and 2008 without overlapping '
        'words: shorten their phrases (words.milestones) or leave some out'
    )


@pytest.mark.parametrize('name', ['map', 'membership'])
def test_founding_and_later_members_have_one_colour_each_in_every_chart(facts, name):
    palette = read_palette()
    module = load_chart(name)
    svg = draw_chart(module, module.select(facts), palette, facts['slug'])
    assert palette['deep'] in svg and palette['secondary'] in svg
    assert palette['secondary-2'] not in svg  # too pale for a graphic (1.8:1 on paper)


def test_tables_hold_the_charts_data(facts):
    tables = {name: load_chart(name).table(load_chart(name).select(facts)) for name in CHARTS}
    assert tables['map'] == [
        [
            'Europe',
            'France, Germany, Intergovernmental (Europe), Italy, Luxembourg, Norway, Poland, Portugal, Romania, '
            'Russia, Switzerland, Ukraine, United Kingdom',
            7,
            6,
            13,
        ],
        ['Asia', 'China, India, Japan, South Korea, Thailand, United Arab Emirates, Vietnam', 4, 3, 7],
        ['Americas', 'Brazil, Canada, Mexico, United States', 2, 2, 4],
        ['Oceania', 'Australia, New Zealand', 1, 2, 3],
    ]
    assert tables['membership'] == [
        [2007, 14, 14],
        [2015, 1, 15],
        [2019, 3, 18],
        [2020, 4, 22],
        ['by December 2021', 1, 23],
        ['undated', 4, 27],
    ]
    assert tables['timeline'] == [
        ['2006', '14 space agencies begin discussions on global interests in space exploration'],
        ['2007', 'The Global Exploration Strategy released'],
        ['November 2007', 'ISECG formed as a voluntary, non-binding forum, initially for 5\u00a0years'],
        ['2012', 'Mandate extended by a further 10\u00a0years, to 2022'],
        ['2022', '15th anniversary: 27 member agencies'],
    ]


def test_alt_texts_are_written_from_the_data(facts):
    assert facts['charts']['map']['alt'] == (
        'World map of the member agencies’ countries: of the 27 member agencies, 13 are in Europe (7 founding), '
        '7 are in Asia (4 founding), 4 are in Americas (2 founding), and 3 are in Oceania (1 founding).'
    )
    assert facts['charts']['membership']['alt'] == (
        'Step chart of the member count by year of joining: 14 in 2007, 15 in 2015, 18 in 2019, 22 in 2020, '
        'and 23 by December 2021; 4 more members have no published joining date, 27 in all.'
    )
    assert facts['charts']['membership']['caption'] == (
        'The 14 founding agencies of 2007 have been joined by 13 more; 4 joined in 2020 alone.'
    )
    assert facts['charts']['timeline']['alt'] == (
        'Timeline from 2006 to 2022, to scale. 2006: 14 space agencies begin discussions on global interests in '
        'space exploration. 2007: The Global Exploration Strategy released. November 2007: ISECG formed as a '
        'voluntary, non-binding forum, initially for 5\u00a0years. 2012: Mandate extended by a further '
        '10\u00a0years, to 2022. 2022: 15th anniversary: 27 member agencies. The initial mandate ran 5\u00a0years '
        'from November 2007; the extension, 10\u00a0years to 2022.'
    )


def test_charts_are_written_as_svg_files(built):
    for name in CHARTS:
        assert (built.out / 'charts' / f'{name}.svg').read_text().startswith('<?xml')


def test_the_process_matplotlib_settings_never_reach_a_chart(facts):
    """A matplotlibrc in the working folder or the user's configuration changes nothing."""
    import matplotlib

    module = load_chart('membership')
    plain = draw_chart(module, module.select(facts), read_palette(), facts['slug'])
    with matplotlib.rc_context({'patch.linewidth': 3, 'axes.xmargin': 0.3, 'font.size': 20}):
        assert draw_chart(module, module.select(facts), read_palette(), facts['slug']) == plain


def test_the_rises_of_membership_never_print_one_over_the_other(every):
    """A 28th member joining in 2022, a month after the 'by December 2021' rise: the two
    "+1" labels stand apart, each at least its width from the next (in SVG points), and the
    last ends before the undated box, which begins where the last year ends."""
    import re

    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    module = load_chart('membership')
    data = module.select(every['en'])
    last = data['steps'][-1]
    data['steps'].append({'year': 2022, 'by_month': None, 'when': 2022, 'added': 1, 'total': last['total'] + 1})
    data['members'] += 1
    svg = draw_chart(module, data, read_palette(), 'x')
    xs = sorted(float(x) for x in re.findall(r'x="([-\d.]+)"[^>]*>\+\d+</text>', svg))
    width = text_to_path.get_text_width_height_descent('+1', FontProperties(family=['Noto Sans'], size=7), False)[0]
    assert len(xs) == len(data['steps']) - 1  # every rise after the founders' is labelled
    assert all(b - a >= width for a, b in zip(xs, xs[1:], strict=False))
    ticks = {int(year): float(x) for x, year in re.findall(r'x="([-\d.]+)"[^>]*>(\d{4})</text>', svg)}
    per_year = (ticks[data['end']] - ticks[data['start']]) / (data['end'] - data['start'])
    assert xs[-1] + width / 2 < ticks[data['end']] + per_year
