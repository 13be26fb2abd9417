"""The charts draw the data: each chart's SVG, parsed, checked against the facts in data/.

The expected values are computed here straight from the YAML files, not from build.py's
internals, so a bar of the wrong size, place or colour fails a test. CHART_TEST_ROOT
points the tests at another copy of the project (used to prove that they can fail).
"""

import os
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from conftest import DATA
from svg_chart import SVG, fill_of, read_chart

ROOT = Path(os.environ.get('CHART_TEST_ROOT') or Path(__file__).resolve().parents[2])
TOLERANCE = 0.01  # of the longest bar
YEAR_TOLERANCE = 0.05  # of a year, on the timeline's axis
# One meaning, one colour (templates/colours.toml): founding members, later members, the mandate.
FOUNDING, LATER, MANDATE = 'deep', 'secondary', 'mandate'


# --- The facts, from the YAML ------------------------------------------------------


def read_yaml(relative):
    """One data file, parsed."""
    return yaml.safe_load((DATA / relative).read_text(encoding='utf-8'))


@pytest.fixture(scope='module')
def facts():
    """The organisation, the agencies and the words, straight from data/."""
    org = read_yaml('organisation.yaml')['organisation']
    return SimpleNamespace(
        org=org,
        agencies=read_yaml('agencies.yaml')['agencies'],
        words=read_yaml(f'words/{org.get("language", "en")}.yaml')['words'],
    )


def is_founding(agency):
    """A founding agency is one that took part in the discussions under some name."""
    return bool(agency.get('founding_as'))


def membership_counts(facts):
    """(founding, later members with a date, later members without one) from agencies.yaml."""
    founding = sum(map(is_founding, facts.agencies))
    dated = sum(1 for agency in facts.agencies if not is_founding(agency) and 'joined' in agency)
    return founding, dated, len(facts.agencies) - founding - dated


def timeline_periods(facts):
    """[(start, end)] in years: the initial mandate from the month the forum formed, then
    the extension after it."""
    formed, extension = facts.org['formed'], facts.org['extension']
    start = formed['year'] + (formed['month'] - 0.5) / 12
    return [
        (start, start + formed['term_years']),
        (start + formed['term_years'], start + formed['term_years'] + extension['years']),
    ]


def read_palette():
    """{name: '#rrggbb'}: the light colours of templates/colours.toml."""
    import tomllib

    with (ROOT / 'templates' / 'colours.toml').open('rb') as stream:
        return {name: colour.lower() for name, colour in tomllib.load(stream)['light'].items()}


# --- The charts, from the SVG (svg_chart.py reads them) ------------------------


@pytest.fixture(scope='module')
def charts(built):
    """{name: Chart}, from the session's build of the shipped data."""
    out = built.out
    charts = {name: read_chart(out / 'charts' / f'{name}.svg') for name in ('membership', 'timeline')}
    charts['map'] = ET.parse(out / 'charts' / 'map.svg').getroot()
    return charts


# --- The map -------------------------------------------------------------------------


def country_fills(svg):
    """{ISO code: fill} of every country the map draws on its own (matplotlib writes a
    patch's gid as its group's id)."""
    return {
        g.get('id').removeprefix('country-'): fill_of(g.find(f'{SVG}path'))
        for g in svg.iter(f'{SVG}g')
        if g.get('id', '').startswith('country-')
    }


def test_the_map_fills_each_member_country_in_its_members_colour_and_no_other(charts, facts):
    palette = read_palette()
    founding = {agency['country'] for agency in facts.agencies if is_founding(agency)}
    members = {agency['country'] for agency in facts.agencies} - {'intergovernmental'}
    expected = {code: palette[FOUNDING] if code in founding else palette[LATER] for code in members}
    assert country_fills(charts['map']) == expected


def test_the_map_names_an_intergovernmental_member_instead_of_colouring_states(charts, facts):
    texts = [''.join(text.itertext()).strip() for text in charts['map'].iter(f'{SVG}text')]
    for agency in facts.agencies:
        if agency['country'] == 'intergovernmental':
            assert agency['acronym'] in texts
    labels = facts.words['charts']['map']['labels']
    assert labels['founding'] in texts and labels['later'] in texts


def test_the_map_is_in_the_equal_earth_projection():
    """Its published extent: 2.7066 by 1.3173 for a sphere of radius 1 (Šavrič et al., 2018)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location('map_chart', ROOT / 'charts' / 'map.py')
    chart = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(chart)
    assert chart.project(180, 0) == pytest.approx((2.7066, 0), abs=1e-4)
    assert chart.project(0, 90) == pytest.approx((0, 1.3173), abs=1e-4)
    assert chart.project(-90, 45)[0] == -chart.project(90, 45)[0]


# --- Growth --------------------------------------------------------------------------


def test_membership_rests_on_the_founders_and_reaches_the_member_count(charts, facts):
    chart, palette = charts['membership'], read_palette()
    founding, dated, undated = membership_counts(facts)
    base, later = chart.areas
    assert (base.fill, later.fill) == (palette[FOUNDING], palette[LATER])
    scale = base.height / founding  # SVG units a member
    assert later.bottom == pytest.approx(base.top, abs=0.5)  # later members stand on the founders
    assert later.height == pytest.approx(dated * scale, abs=TOLERANCE * base.height * 2)
    [rest] = [bar for bar in chart.bars if bar.bottom == pytest.approx(later.top, abs=0.5)]
    assert rest.height == pytest.approx(undated * scale, abs=TOLERANCE * base.height * 2)
    assert rest.right > later.right  # after the last dated step


def test_membership_labels_say_the_counts(charts, facts):
    from collections import Counter

    founding, dated, undated = membership_counts(facts)
    texts = [text.text for text in charts['membership'].labels]
    assert f'{founding} founding' in texts and f'+{undated} undated' in texts
    assert str(founding + dated + undated) in texts
    joined = Counter(agency['joined']['year'] for agency in facts.agencies if 'joined' in agency)
    rises = Counter(text for text in texts if text.startswith('+') and text[1:].isdigit())
    assert rises == Counter(f'+{count}' for count in joined.values())  # each rise says how many joined


# --- Timeline ------------------------------------------------------------------------


def axis_years(chart):
    """The year labels under the timeline's axis: the row that holds the most years."""
    rows = {}
    for text in chart.labels:
        if re.fullmatch(r'\d{4}', text.text):
            rows.setdefault(round(text.y), []).append(text)
    return max(rows.values(), key=len)


def year_at(xticks):
    """The axis' x -> year mapping, fitted to the year labels (which must lie on one line),
    each label in the middle of its year."""
    points = sorted((int(tick.text) + 0.5, tick.x) for tick in xticks)
    (first_year, first_x), (last_year, last_x) = points[0], points[-1]
    per_year = (last_x - first_x) / (last_year - first_year)
    for year, x in points:
        assert x == pytest.approx(first_x + (year - first_year) * per_year, abs=YEAR_TOLERANCE * per_year)
    return lambda x: first_year + (x - first_x) / per_year


def test_timeline_axis_has_every_year_from_the_discussions_to_the_anniversary(charts, facts):
    first = facts.org['discussions']['year']
    last = facts.org['formed']['year'] + facts.org['anniversary']['years']
    assert [tick.text for tick in sorted(axis_years(charts['timeline']), key=lambda tick: tick.x)] == [
        str(year) for year in range(first, last + 1)
    ]


def test_timeline_mandate_bands_span_their_periods_to_scale(charts, facts):
    chart, palette = charts['timeline'], read_palette()
    to_year = year_at(axis_years(chart))
    assert [area.fill for area in chart.areas] == [palette[MANDATE]] * 2
    drawn = [(to_year(area.left), to_year(area.right)) for area in chart.areas]
    assert [year for span in drawn for year in span] == pytest.approx(
        [year for span in timeline_periods(facts) for year in span], abs=YEAR_TOLERANCE
    )


def test_timeline_names_every_milestone_and_the_mandate(charts, facts):
    texts = [text.text for text in charts['timeline'].labels]
    from babel.dates import format_skeleton

    formed = facts.org['formed']
    assert format_skeleton('yMMMM', date(formed['year'], formed['month'], 1), locale='en') in texts
    assert str(facts.org['discussions']['year']) in texts
    assert sum(text.startswith(('Initial mandate', 'Extension')) for text in texts) == 2
