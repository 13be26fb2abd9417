"""Loading and validation: every problem is reported with its file, line, column and path."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, examples, snapshot
from factsheet.load import load
from factsheet.problems import UserError
from factsheet.validate import validate


def problems(project):
    """Load and validate the project's data; return the reported lines."""
    with pytest.raises(UserError) as caught:
        validate(load(project.data))
    return str(caught.value).splitlines()


def test_the_projects_own_data_is_valid():
    """The live data/ (the tests run on their own copy, tests/fixture/data): valid, whatever
    the outreach team changed in it."""
    validate(load(ROOT / 'data'))


def test_shipped_data_is_valid(project):
    files = load(project.data)
    validate(files)
    assert set(files) == {
        *('organisation.yaml', 'agencies.yaml', 'documents.yaml', 'sources.yaml'),
        *('words/en.yaml', 'words/fr.yaml', 'words/ja.yaml'),
    }


def test_missing_field_points_at_its_record(project):
    project.edit('agencies.yaml', '    country: MX\n', '')
    assert problems(project) == ['data/agencies.yaml:17:5: agencies[1].country: field required']


def test_yaml_11_boolean_is_not_text(project):
    project.edit('agencies.yaml', 'country: "NO"', 'country: NO')
    assert problems(project) == [
        'data/agencies.yaml:112:14: agencies[16].country: expected text, got true/false '
        '(false; put it in quotes if you meant text)'
    ]


def test_number_where_text_is_expected(project):
    project.edit('documents.yaml', 'title: Broad Public Engagement in Future Lunar Exploration', 'title: 3.10')
    assert problems(project) == [
        'data/documents.yaml:5:12: documents[1].title: expected text, got a number '
        '(3.1; put it in quotes if you meant text)'
    ]


def test_unknown_field(project):
    project.edit('organisation.yaml', '    count: 7', '    count: 7\n    members: 9')
    assert problems(project) == [
        'data/organisation.yaml:33:5: organisation.working_groups.members: unknown field '
        '(expected one of: count, source)'
    ]


def test_region_must_be_known(project):
    project.edit('agencies.yaml', 'region: "009"', 'region: Oceania', count=3)
    assert problems(project)[0] == (
        'data/agencies.yaml:26:13: agencies[2].region: expected one of: 002, 019, 142, 150, 009'
    )
    assert len(problems(project)) == 3


def test_year_out_of_range(project):
    project.edit('organisation.yaml', 'year: 2012', 'year: 017')
    assert problems(project) == [
        "data/organisation.yaml:25:11: organisation.extension.year: '017' is not a whole number in decimal digits "
        '(put it in quotes if you meant text)'
    ]


def test_syntax_error(project):
    project.edit('sources.yaml', '  seed:\n', '  seed\n')
    assert problems(project) == ['data/sources.yaml:5:10: (document): mapping values are not allowed here']


def test_duplicate_key_names_both_positions(project):
    project.edit('organisation.yaml', '  acronym: ISECG\n', '  acronym: ISECG\n  acronym: ISCEG\n')
    assert problems(project) == [
        'data/organisation.yaml:6:3: organisation.acronym: duplicate key (first defined at line 5, column 3)'
    ]


def test_anchors_and_aliases_are_refused(project):
    project.edit('agencies.yaml', '  - acronym: AEB\n', '  - &first\n    acronym: AEB\n')
    assert problems(project) == ['data/agencies.yaml:11:5: (document): anchors and aliases are not allowed']


def test_python_tags_are_refused(project):
    project.edit('sources.yaml', 'title: "United Nations', 'title: !!python/object:os.system "United Nations')
    assert problems(project) == [
        'data/sources.yaml:29:12: sources.un-m49.title: the tag tag:yaml.org,2002:python/object:os.system '
        'is not allowed'
    ]


def test_invalid_date_is_reported(project):
    project.edit('organisation.yaml', '    title: The Global Exploration Strategy', '    title: 2024-13-45')
    assert problems(project) == [
        "data/organisation.yaml:16:12: organisation.strategy.title: invalid value '2024-13-45' (month must be in 1..12)"
    ]


def test_empty_file(project):
    (project.data / 'documents.yaml').write_text('# nothing yet\n')
    assert problems(project) == ['data/documents.yaml:1:1: (document): file is empty']


def test_unknown_source(project):
    project.edit('documents.yaml', 'publications_source: isecg-site', 'publications_source: isecg-web')
    assert problems(project) == [
        "data/documents.yaml:13:22: publications_source: unknown source 'isecg-web' (expected one of: "
        'seed, isecg-site, isecg-uae-2015, isecg-six-new-members, isecg-meeting-2020, ptspace-2020, jaxa-ges-2007, '
        'ges-framework, un-m49, csa-isecg-fr, csa-fr, esa-fr, jaxa-isecg-2009)'
    ]


def test_duplicate_acronym(project):
    project.edit('agencies.yaml', 'acronym: AEM', 'acronym: AEB')
    assert problems(project) == ['data/agencies.yaml:17:14: agencies[1].acronym: duplicate acronym (also agencies[0])']


def test_unknown_placeholder(project):
    project.edit('words/en.yaml', 'kicker: "{name}"', 'kicker: "{nmae}"')
    assert problems(project) == ['data/words/en.yaml:10:11: words.kicker: unknown placeholder {nmae}']


def test_missing_word(project):
    project.edit('words/en.yaml', '  pdf_link: "The printable fact sheet (PDF)"\n', '')
    assert problems(project) == ['data/words/en.yaml:7:3: words.pdf_link: field required']


def test_every_file_is_checked_before_stopping(project):
    project.edit('agencies.yaml', 'country: BR', 'country: 7')
    project.edit('organisation.yaml', 'term_years: 5', 'term_years: five')
    assert problems(project) == [
        "data/organisation.yaml:22:17: organisation.formed.term_years: expected a whole number, got text ('five')",
        'data/agencies.yaml:13:14: agencies[0].country: expected text, got a number '
        '(7; put it in quotes if you meant text)',
    ]


def test_bad_data_exits_1_without_traceback_and_keeps_outputs(project, built):
    project.start_from(built)
    before = snapshot(project.out)
    project.edit('agencies.yaml', 'region: "142"', 'region: 12', count=7)
    code, stdout, stderr = project.run()
    assert code == 1
    assert stdout == ''
    assert stderr.startswith('data/agencies.yaml:51:13: agencies[6].region: expected one of: ')
    assert len(stderr.splitlines()) == 7
    assert 'Traceback' not in stderr
    assert snapshot(project.out) == before


def test_problems_in_one_file_are_reported_in_the_order_of_their_lines(project):
    # The schema finds the bad country before the unknown field above it.
    project.edit('agencies.yaml', '  - acronym: AEB\n', '  - founded: 1994\n    acronym: AEB\n')
    project.edit('agencies.yaml', 'country: BR', 'country: 7')
    assert problems(project) == [
        'data/agencies.yaml:11:5: agencies[0].founded: unknown field '
        '(expected one of: acronym, name, country, region, founding_as, joined, sources, names, name_language)',
        'data/agencies.yaml:14:14: agencies[0].country: expected text, got a number '
        '(7; put it in quotes if you meant text)',
    ]


@settings(max_examples=examples(10, 25))
@given(
    year=st.integers(1957, 2100),
    form=st.sampled_from(['0x{:x}', '0o{:o}', '0{:o}', '{:_}', '{}.0', '+{}', '{}']),
)
def test_a_whole_number_is_read_only_from_decimal_digits(project, year, form):
    text = form.format(year) if '_' not in form else f'{year // 1000}_{year % 1000:03d}'
    path = project.data / 'organisation.yaml'
    original = path.read_text(encoding='utf-8')
    path.write_text(original.replace('year: 2012', f'year: {text}'), encoding='utf-8')
    try:
        if re.fullmatch(r'\+?[1-9][0-9]*', text):
            validate(load(project.data))  # decimal digits: read as the number they say
        else:
            reported = problems(project)
            assert len(reported) == 1 and reported[0].startswith('data/organisation.yaml:25:11: ')
    finally:
        path.write_text(original, encoding='utf-8')


def test_each_missing_field_is_named_once(project):
    project.edit('agencies.yaml', '    country: MX\n    region: "019"\n', '')
    assert problems(project) == [
        'data/agencies.yaml:17:5: agencies[1].country: field required',
        'data/agencies.yaml:17:5: agencies[1].region: field required',
    ]


def test_a_data_file_linking_out_is_listed_apart_and_never_read(tmp_path):
    """Both guards, each on its own: the listing puts a link that leads out of the data
    folder apart (no build reads or hashes it), and the reader refuses one all the same (a
    file a save turned into a link after the listing)."""
    from factsheet.load import LINKS_OUT, inside
    from factsheet.project import data_files

    data, outside = tmp_path / 'data', tmp_path / 'outside.yaml'
    data.mkdir()
    outside.write_text('secret: 1\n', encoding='utf-8')
    (data / 'agencies.yaml').write_text('agencies: []\n', encoding='utf-8')
    (data / 'notes.yaml').symlink_to(outside)
    (data / 'here.yaml').symlink_to(data / 'agencies.yaml')  # a link that stays inside is a file like any
    assert data_files(data) == ([data / 'agencies.yaml', data / 'here.yaml'], [data / 'notes.yaml'])
    assert inside(data / 'here.yaml', data, 'data/here.yaml') == data / 'here.yaml'
    with pytest.raises(UserError) as refused:
        inside(data / 'notes.yaml', data, 'data/notes.yaml')
    assert str(refused.value) == f'data/notes.yaml:1:1: (document): {LINKS_OUT}'
