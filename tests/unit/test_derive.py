"""Derived numbers and the small text helpers: exact values on tiny inputs."""

from factsheet.derive import every_edition, ordinal, spell
from factsheet.language import join_words, month_year, plural, typography
from factsheet.load import load
from factsheet.placeholders import fill
from factsheet.problems import dotted
from factsheet.validate import validate

WORDS = {
    'numbers': ['zero', 'one', 'two', 'three'],
    'ordinal': {
        'default': '{n}th',
        '1': '{n}st',
        '2': '{n}nd',
        '3': '{n}rd',
        '11': '{n}th',
        '12': '{n}th',
        '13': '{n}th',
    },
}


def test_fill_replaces_each_placeholder():
    assert fill('{a} of {b}, {a}', {'a': 27, 'b': 'ISECG'}) == '27 of ISECG, 27'


def test_fill_leaves_other_braces_alone():
    assert fill('{A} {} {{x}}', {'x': 1}) == '{A} {} {1}'


def test_spell_small_numbers_only():
    assert [spell(n, WORDS) for n in (0, 3, 4)] == ['zero', 'three', '4']


def test_ordinals():
    assert [ordinal(n, WORDS) for n in (1, 2, 3, 4, 11, 12, 13, 15, 21, 22, 101, 111)] == [
        '1st',
        '2nd',
        '3rd',
        '4th',
        '11th',
        '12th',
        '13th',
        '15th',
        '21st',
        '22nd',
        '101st',
        '111th',
    ]


def test_lists_dates_and_plurals_follow_the_language():
    from babel import Locale

    assert join_words(['a'], 'en') == 'a'
    assert [join_words(['a', 'b', 'c'], language) for language in ('en', 'fr', 'ja')] == [
        'a, b, and c',
        'a, b et c',
        'a、b、c',
    ]
    assert [month_year(2007, 11, language) for language in ('en', 'fr', 'ja')] == [
        'November 2007',
        'novembre\u00a02007',
        '2007年11月',
    ]
    forms = {'one': 'agence', 'other': 'agences'}
    assert [plural(forms, n, Locale('fr')) for n in (0, 1, 2, 27)] == ['agence', 'agence', 'agences', 'agences']
    assert [plural(forms, n, Locale('en')) for n in (0, 1, 2)] == ['agences', 'agence', 'agences']
    assert plural('agency', 2, Locale('en')) == 'agency'


def test_french_spacing_is_set_in_the_words_only():
    words = {'a': 'Sources: {acronym} ; ok ! et « cité »', 'b': ['Date?']}
    assert typography(words, 'fr') == {
        'a': 'Sources\u00a0: {acronym}\u202f; ok\u202f! et «\u00a0cité\u00a0»',
        'b': ['Date\u202f?'],
    }
    assert typography(words, 'en') == words
    assert typography({'url': 'https://example.org/?a=1'}, 'fr') == {'url': 'https://example.org/?a=1'}


def test_dotted_paths():
    assert dotted(('agencies', 3, 'country')) == 'agencies[3].country'
    assert dotted(()) == '(document)'


def derived(data, language='en'):
    files = load(data)
    validate(files)
    return every_edition(files)[language]


def test_numbers_come_from_the_data(project):
    facts = derived(project.data)
    values = facts['values']
    assert (values['members'], values['founding'], values['years'], values['working_groups'], values['documents']) == (
        27,
        14,
        15,
        7,
        4,
    )
    assert (
        values['formed_year'],
        values['formed_date'],
        values['term_until'],
        values['extension_until'],
        values['anniversary_year'],
    ) == (2007, 'November 2007', 2012, 2022, 2022)
    assert values['ordinal'] == '15th'
    assert [(r['label'], r['count'], r['founding']) for r in facts['regions']] == [
        ('Europe', 13, 7),
        ('Asia', 7, 4),
        ('Americas', 4, 2),
        ('Oceania', 3, 1),
    ]
    assert [f['value'] for f in facts['figures']] == [27, 14, 7, 4]  # the member count leads


def test_every_printed_number_follows_an_edit_of_the_data(project):
    """Counts, years and ordinals change with the data, never typed in a word or template."""
    with (project.data / 'agencies.yaml').open('a') as stream:
        stream.write('  - {acronym: XSA, name: Example Space Agency, country: IS, region: "150", sources: [seed]}\n')
    project.edit('agencies.yaml', '    founding_as: BNSC\n', '')  # the UK Space Agency: no longer a founder here
    project.edit('organisation.yaml', 'years: 15 ', 'years: 16 ')
    project.edit('organisation.yaml', 'count: 7 ', 'count: 8 ')
    facts = derived(project.data)
    values = facts['values']
    assert (values['members'], values['founding'], values['years'], values['working_groups']) == (28, 13, 16, 8)
    assert (values['anniversary_year'], values['ordinal']) == (2023, '16th')
    assert [f['value'] for f in facts['figures']] == [28, 13, 8, 4]
    assert ('Europe', 14, 6) in [(r['label'], r['count'], r['founding']) for r in facts['regions']]
    grown = fill(facts['words']['prose']['grown'], values)
    assert grown == 'Over 16 years, ISECG has grown to 28 international space agencies.'


def test_milestones_follow_the_facts(project):
    project.edit('organisation.yaml', 'years: 10 ', 'years: 12 ')
    facts = derived(project.data)
    assert [(m['year'], m['text']) for m in facts['milestones']][3:] == [
        (2012, 'Mandate extended by a further 12\u00a0years, to 2024'),
        (2022, '15th anniversary: 27 member agencies'),
    ]


def test_prose_is_filled_with_the_source_texts_typos_corrected(project):
    facts = derived(project.data)
    prose = {key: fill(text, facts['values']) for key, text in facts['words']['prose'].items()}
    assert prose['grown'] == 'Over 15 years, ISECG has grown to 27 international space agencies.'
    assert 'ISECG’s 15-year history' in prose['themes']


def test_one_table_of_placeholders(project):
    """derive() makes exactly the values the words may name (placeholders.PLACEHOLDERS)."""
    from factsheet.placeholders import PLACEHOLDERS

    assert set(derived(project.data)['values']) == PLACEHOLDERS


def test_a_member_with_a_join_year_changes_the_membership_steps_table_and_alt(project):
    from factsheet.draw import load_chart

    chart = load_chart('membership')
    before = derived(project.data)
    with (project.data / 'agencies.yaml').open('a', encoding='utf-8') as stream:
        stream.write(
            '  - acronym: TSA\n    name: Test Space Agency\n    country: ZA\n    region: "002"\n'
            '    joined: {year: 2022, source: seed}\n    sources: [seed]\n'
        )
    after = derived(project.data)
    assert chart.table(chart.select(after))[-2:] == [[2022, 1, 24], ['undated', 4, 28]]
    assert chart.table(chart.select(before))[-2:] == [['by December 2021', 1, 23], ['undated', 4, 27]]
    assert after['charts']['membership']['alt'].endswith(
        '23 by December 2021, and 24 in 2022; 4 more members have no published joining date, 28 in all.'
    )


def test_a_member_with_no_date_counts_as_undated(project):
    project.edit('agencies.yaml', '    joined: {year: 2015, source: isecg-uae-2015}\n', '')
    facts = derived(project.data)
    assert facts['membership']['undated'] == 5 and facts['membership']['dated'] == 22
    assert [step['year'] for step in facts['membership']['steps']] == [2007, 2019, 2020, 2021]


def test_a_founding_agency_with_a_join_year_is_refused(project):
    import pytest

    from factsheet.problems import UserError

    project.edit(
        'agencies.yaml', '    founding_as: ASI\n', '    founding_as: ASI\n    joined: {year: 2010, source: seed}\n'
    )
    with pytest.raises(UserError) as caught:
        derived(project.data)
    assert [str(problem) for problem in caught.value.problems] == [
        'data/agencies.yaml:40:13: agencies[4].joined: a founding agency joins in the year the forum formed '
        '(joined: is for later members)'
    ]


def test_a_source_nothing_cites_any_more_leaves_the_list(project):
    before = [source['key'] for source in derived(project.data)['sources']]
    assert 'ptspace-2020' in before
    project.edit('agencies.yaml', 'joined: {year: 2020, source: ptspace-2020}', 'joined: {year: 2020, source: seed}', 2)
    facts = derived(project.data)
    assert [source['key'] for source in facts['sources']] == [key for key in before if key != 'ptspace-2020']
    assert [source['number'] for source in facts['sources']] == list(range(1, len(before)))
    assert all(key != 'ptspace-2020' for keys in facts['cites'].values() for _, key in keys)


def test_each_edition_is_derived_in_its_language(project):
    french, japanese = derived(project.data, 'fr'), derived(project.data, 'ja')
    assert [french['values'][key] for key in ('formed_date', 'ordinal', 'top_region')] == [
        'novembre\u00a02007',
        '15ᵉ',
        'Europe',
    ]
    assert [japanese['values'][key] for key in ('formed_date', 'ordinal', 'top_region')] == [
        '2007年11月',
        '15',
        'ヨーロッパ',
    ]
    assert [f['label'] for f in french['figures']] == [
        'agences membres',
        'agences fondatrices',
        'groupes de travail',
        'documents de référence',
    ]
    assert french['values']['name'] == 'Groupe international de coordination de l’exploration spatiale'
    assert japanese['values']['name'] == '国際宇宙探査協働グループ'
    assert japanese['values']['working_groups_words'] == '7'
    assert fill(french['words']['prose']['work'], french['values']).endswith('à quatre documents de référence\u00a0:')


def test_an_agency_is_named_in_an_edition_s_language_only_where_it_uses_that_name(project):
    names = {
        language: {agency['acronym']: agency['name'] for agency in derived(project.data, language)['agencies']}
        for language in ('en', 'fr', 'ja')
    }
    assert [names[language]['CSA'] for language in ('en', 'fr', 'ja')] == [
        'Canadian Space Agency',
        'Agence spatiale canadienne',
        'Canadian Space Agency',
    ]
    assert names['ja']['JAXA'] == '宇宙航空研究開発機構' and names['fr']['JAXA'] == 'Japan Aerospace Exploration Agency'
    assert names['fr']['NASA'] == names['en']['NASA']
    french = derived(project.data, 'fr')
    assert {'csa-fr', 'esa-fr', 'csa-isecg-fr'} <= {source['key'] for source in french['sources']}
    assert 'csa-fr' not in {source['key'] for source in derived(project.data, 'en')['sources']}


def test_a_translation_is_a_draft_until_reviewed_and_again_when_english_changes(project):
    assert derived(project.data, 'fr')['draft'] and not derived(project.data, 'en')['draft']
    project.edit(
        'words/fr.yaml', 'same_as_english:', 'review: {by: "A. Relectrice", date: "2026-11-20"}\nsame_as_english:'
    )
    reviewed = derived(project.data, 'fr')
    assert not reviewed['draft'] and reviewed['translation']['stale'] == []
    project.edit('words/en.yaml', '"Milestones to scale"', '"Milestones, to scale"')
    stale = derived(project.data, 'fr')
    assert stale['draft'] and [path for path, _ in stale['translation']['stale']] == ['charts.timeline.title']
    assert derived(project.data, 'ja')['translation']['stale'][0][0] == 'charts.timeline.title'


def test_prose_is_filled_as_html_with_names_kept_from_hyphenation():
    from factsheet.render import prose

    values = {'acronym': 'ISECG', 'members': 27, 'name': 'A <b> & C'}
    assert str(prose('{acronym} has {members} members; the {name}.', values)) == (
        '<span class="proper">ISECG</span> has 27 members; the <span class="proper">A &lt;b&gt; &amp; C</span>.'
    )


def test_a_value_the_data_leaves_out_takes_the_smallest_part_that_names_it():
    """None is a fact the data leaves out: its parenthesis goes, else its sentence, else all."""
    values = {'a': 1, 'b': None, 'c': 'x'}
    assert fill('One {a}. Two {b} here. Three {c}.', values) == 'One 1. Three x.'
    assert fill('{a} are in {c} ({b} founding)', values) == '1 are in x'
    assert fill('甲{a}。乙{b}。丙{c}。', values) == '甲1。丙x。'
    assert fill('Mandate {a}; extended by {b}.', values) == ''
    assert fill('Only {a}, said once. Then {b}', values) == 'Only 1, said once.'


def test_a_phrase_in_english_keeps_its_mark_when_a_part_goes():
    from factsheet.language import English

    kept = fill(English('Kept {a}. Gone {b}.'), {'a': 1, 'b': None})
    assert (kept, type(kept)) == ('Kept 1.', English)
