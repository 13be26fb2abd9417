"""The columns Python shares out: whole entries in reading order, the most even heights, and
at the densest member list a region that runs on headed again, never under another's heading,
and one agency alone under it only where that saves the column lines."""

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from factsheet.columns import even_runs, flowing_columns, list_columns


def regions_of(sizes, long=()):
    """Regions of these sizes; the agencies numbered `long` have names that wrap."""
    regions, n = [], 0
    for r, size in enumerate(sizes):
        agencies = []
        for _ in range(size):
            name = 'A very long agency name that wraps onto more lines' if n in long else 'Agency'
            agencies.append({'acronym': f'A{n}', 'name': name, 'country_name': 'Country'})
            n += 1
        regions.append({'key': f'R{r}', 'label': f'Region {r}', 'agencies': agencies, 'count': size})
    return regions


def test_even_runs_keeps_order_and_makes_the_tallest_as_short_as_it_can():
    assert even_runs('abcdef', [1, 1, 1, 1, 1, 1], 3) == [['a', 'b'], ['c', 'd'], ['e', 'f']]
    assert even_runs('abcd', [3, 1, 1, 1], 2) == [['a'], ['b', 'c', 'd']]
    # what a run costs more where it begins moves the cut
    assert even_runs('abcd', [1, 1, 1, 1], 2, [0, 0, 3, 0]) == [['a', 'b', 'c'], ['d']]


def test_a_large_region_runs_on_into_the_next_column_headed_again():
    columns = flowing_columns(regions_of([13, 7, 4, 3]))
    assert len(columns) == 3
    europe = [part for column in columns for part in column if part['key'] == 'R0']
    assert [part['continued'] for part in europe] == [False, True]
    assert columns[1][0]['key'] == 'R0' and columns[1][0]['continued']


def test_the_member_list_keeps_regions_whole():
    regions = regions_of([13, 7, 4, 3])
    columns = list_columns(regions)
    assert [region for column in columns for region in column] == regions  # whole, in order
    assert [len(column) for column in columns] == [1, 2, 1]


@given(sizes=st.lists(st.integers(1, 15), min_size=1, max_size=8), long=st.sets(st.integers(0, 60), max_size=10))
@settings(max_examples=examples(60, 400))
def test_every_agency_once_in_order_each_part_under_its_own_regions_heading(sizes, long):
    regions = regions_of(sizes, long)
    columns = flowing_columns(regions)
    parts = [part for column in columns for part in column]
    assert [a['acronym'] for part in parts for a in part['agencies']] == [
        a['acronym'] for region in regions for a in region['agencies']
    ]
    for part in parts:
        region = next(region for region in regions if region['key'] == part['key'])
        assert all(agency in region['agencies'] for agency in part['agencies'])
        assert part['continued'] == (part['agencies'][0] is not region['agencies'][0])
    for column in columns:  # a region appears at most once in a column
        assert len({part['key'] for part in column}) == len(column)


def test_a_region_runs_on_leaving_one_agency_alone_only_where_that_saves_lines():
    """Europe's 13, Asia's 7: the most even cut left Asia's last agency alone in a column of
    its own; cuts that leave two on each side make the tallest column less than ALONE lines taller."""
    columns = flowing_columns(regions_of([13, 7, 4, 3], long={14, 15, 16}))
    parts = [part for column in columns for part in column]
    assert min(len(part['agencies']) for part in parts if part['continued']) >= 2
