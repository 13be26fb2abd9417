"""Translations: complete or refused, with the language named; stale when English changes."""

import hashlib

import pytest

from factsheet.load import load
from factsheet.problems import UserError
from factsheet.translation import fingerprint, phrases
from factsheet.validate import validate


def problems(project):
    with pytest.raises(UserError) as caught:
        validate(load(project.data))
    return str(caught.value).splitlines()


def line_of(project, name, text):
    """The line number of the first line of a data file holding this text."""
    lines = (project.data / name).read_text(encoding='utf-8').splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.mark.slow
def test_a_phrase_a_translation_lacks_is_printed_in_english_tagged_and_named(project):
    """English gained a phrase (or a translation lost one): the English edition is never
    blocked, the translation prints the English, tagged lang="en", and the build names it."""
    project.edit('words/fr.yaml', '    milestones: "Jalons"\n', '')
    project.edit('words/ja.yaml', '    economy: "経済活動の拡大"\n', '')
    code, stdout, stderr = project.run('--only', 'html')
    assert (code, stderr) == (0, '')
    assert 'data/words/fr.yaml: the French edition: 1 phrase to translate' in stdout
    for language, name, path in (('fr', 'French', 'headings.milestones'), ('ja', 'Japanese', 'themes.economy')):
        code, stdout, stderr = project.run('--lang', language, '--only', 'html')
        assert (code, stderr) == (0, '')
        assert f'data/words/{language}.yaml: words.{path}: not in {name} yet: printed in English' in stdout
    french = (project.out / 'isecg-15.fr.html').read_text()
    assert '<h2><span lang="en">Milestones</span></h2>' in french
    assert '<li><span lang="en">Economic expansion</span></li>' in (project.out / 'isecg-15.ja.html').read_text()
    assert 'Traduction non relue' in french  # a draft until it is translated and reviewed


def test_an_extra_phrase_is_refused_at_its_key(project):
    project.edit(
        'words/fr.yaml',
        '    inspiration: "Inspiration et éducation"\n',
        '    inspiration: "Inspiration et éducation"\n    lune: "La Lune"\n',
    )
    at = line_of(project, 'words/fr.yaml', '    lune:')
    assert problems(project) == [
        f'data/words/fr.yaml:{at}:5: words.themes.lune: not a phrase of English: French has nothing to translate here'
    ]


def test_a_placeholder_that_differs_from_english_is_refused(project):
    project.edit('words/fr.yaml', '"Les {members} agences membres"', '"Les {founding} agences membres"')
    at = line_of(project, 'words/fr.yaml', '"Les {founding} agences membres"')
    assert problems(project) == [
        f'data/words/fr.yaml:{at}:14: words.headings.members: French uses other placeholders than English '
        '(missing {members}, extra {founding})'
    ]


def test_a_phrase_left_in_english_is_refused_unless_marked(project):
    project.edit('words/ja.yaml', 'milestones: "沿革"', 'milestones: "Milestones"')
    at = line_of(project, 'words/ja.yaml', 'milestones: "Milestones"')
    assert problems(project) == [
        f'data/words/ja.yaml:{at}:17: words.headings.milestones: Japanese is the same as English: '
        'translate it, or list it under same_as_english'
    ]
    project.edit('words/ja.yaml', 'same_as_english: [kicker]', 'same_as_english: [kicker, headings.milestones]')
    validate(load(project.data))  # marked: the build counts it and goes on


def test_a_mark_must_name_an_english_phrase(project):
    project.edit(
        'words/fr.yaml',
        'same_as_english: [kicker, headings.sources,',
        'same_as_english: [kicker, headings.about, headings.nothing,',
    )
    at = line_of(project, 'words/fr.yaml', 'same_as_english:')
    assert problems(project) == [
        f'data/words/fr.yaml:{at}:43: same_as_english[2]: English has no phrase headings.nothing',
        f'data/words/fr.yaml:{line_of(project, "words/fr.yaml", "    sources:")}:14: words.headings.sources: '
        'French is the same as English: translate it, or list it under same_as_english',
    ]


def test_english_is_not_a_translation(project):
    project.edit('words/en.yaml', 'words:\n', 'same_as_english: [kicker]\nwords:\n')
    at = line_of(project, 'words/en.yaml', 'same_as_english:')
    assert problems(project) == [
        f'data/words/en.yaml:{at}:18: same_as_english: same_as_english is for translations; '
        "this is the first language's words file"
    ]


def test_a_listed_translation_needs_its_words_file(project):
    (project.data / 'words/ja.yaml').unlink()
    assert problems(project) == [
        f'data/organisation.yaml:{line_of(project, "organisation.yaml", "translations:")}:22: '
        'organisation.translations[1]: no words file data/words/ja.yaml'
    ]


def test_every_phrase_of_the_shipped_translations_says_which_english_it_translates(project):
    import yaml

    english = yaml.safe_load((project.data / 'words/en.yaml').read_text(encoding='utf-8'))
    for language in ('fr', 'ja'):
        translation = yaml.safe_load((project.data / f'words/{language}.yaml').read_text(encoding='utf-8'))
        marked = set(translation['same_as_english'])
        assert translation['english'] == {
            path: fingerprint(phrase) for path, phrase in phrases(english['words']).items() if path not in marked
        }


def test_phrases_are_strings_lists_and_plural_forms():
    words = {
        'a': 'x',
        'b': {'c': ['y', 'z'], 'd': {'one': 'e', 'other': 'es'}},
        'figures': {'members': {'one': 'e', 'other': 'es'}},
        'ordinal': {'default': '{n}'},
    }
    assert phrases(words) == {
        'a': 'x',
        'b.c': ['y', 'z'],
        'b.d.one': 'e',  # a mapping of plural forms only where the schema allows them
        'b.d.other': 'es',
        'figures.members': {'one': 'e', 'other': 'es'},
        'ordinal': {'default': '{n}'},
    }
    assert fingerprint('x') == hashlib.sha256(b'x').hexdigest()[:10] != fingerprint(['x'])


@pytest.mark.slow
def test_the_build_names_a_draft_its_marks_and_its_stale_phrases(project):
    project.edit('words/en.yaml', '"Milestones to scale"', '"Milestones, to scale"')
    code, stdout, stderr = project.run('--lang', 'fr', '--only', 'html')
    assert (code, stderr) == (0, '')
    new = fingerprint('Milestones, to scale')
    assert stdout.splitlines()[1:3] == [
        'data/words/fr.yaml: French: not reviewed: a draft translation; '
        'the same as English on purpose: kicker, headings.sources, separator, full_stop',
        f'data/words/fr.yaml: words.charts.timeline.title: the English changed since it was translated '
        f'(english: charts.timeline.title: {new})',
    ]
    project.edit(
        'words/fr.yaml', 'same_as_english:', 'review: {by: "A. Relectrice", date: "2026-11-20"}\nsame_as_english:'
    )
    project.edit(
        'words/fr.yaml',
        f'charts.timeline.title: "{fingerprint("Milestones to scale")}"',
        f'charts.timeline.title: "{new}"',
    )
    code, stdout, _ = project.run('--lang', 'fr', '--only', 'html')
    assert (
        'data/words/fr.yaml: French: reviewed by A. Relectrice on 2026-11-20; '
        'the same as English on purpose: kicker, headings.sources, separator, full_stop' in stdout
    )
    assert 'Traduction non relue' not in (project.out / 'isecg-15.fr.html').read_text(encoding='utf-8')
    assert 'the English changed' not in stdout


def test_a_theme_keyed_like_a_plural_form_is_still_checked(project):
    project.edit('documents.yaml', '  - key: economy\n', '  - key: other\n    source: seed\n  - key: economy\n')
    project.edit(
        'words/en.yaml',
        '    economy: "Economic expansion"',
        '    other: "Lunar science"\n    economy: "Economic expansion"',
    )
    project.edit(
        'words/fr.yaml',
        '    economy: "Expansion économique"',
        '    other: "lunar  science"\n    economy: "Expansion économique"',
    )
    assert problems(project) == [  # Japanese, which has no "other" theme yet, prints it in English
        f'data/words/fr.yaml:{line_of(project, "words/fr.yaml", "    other:")}:12: words.themes.other: '
        'French is the same as English: translate it, or list it under same_as_english',
    ]


def test_a_review_needs_a_true_date(project):
    project.edit(
        'words/fr.yaml', 'same_as_english:', 'review: {by: "A. Relectrice", date: "2026-13-45"}\nsame_as_english:'
    )
    at = line_of(project, 'words/fr.yaml', 'review:')
    assert problems(project) == [f'data/words/fr.yaml:{at}:37: review.date: 2026-13-45 is not a date (YYYY-MM-DD)']


def test_a_language_must_be_known_to_cldr_name_every_place_and_not_repeat_the_first(project):
    project.edit('organisation.yaml', 'translations: [fr, ja]', 'translations: [fr, ja, xx, yi, en, ja]')
    for language in ('xx', 'yi'):
        (project.data / f'words/{language}.yaml').write_text(
            (project.data / 'words/fr.yaml').read_text(encoding='utf-8'), encoding='utf-8'
        )
    at = line_of(project, 'organisation.yaml', 'translations:')
    assert problems(project) == [f'data/organisation.yaml:{at}:17: organisation.translations: each entry once']
    project.edit('organisation.yaml', 'en, ja]', 'en]')
    assert problems(project) == [
        f'data/organisation.yaml:{at}:26: organisation.translations[2]: a language CLDR knows (through Babel), '
        'such as fr; xx is not one',
        f'data/organisation.yaml:{at}:30: organisation.translations[3]: CLDR has no yi name for AE, KR: '
        'this edition cannot name them',
        f'data/organisation.yaml:{at}:34: organisation.translations[4]: en is the first language '
        '(organisation.language), not a translation',
    ]


def test_a_name_in_a_language_that_is_not_a_translation_is_refused(project):
    project.edit('agencies.yaml', '    names: {ja: ', '    names: {de: {name: "X", source: seed}, ja: ')
    at = line_of(project, 'agencies.yaml', 'names: {de:')
    assert problems(project) == [
        f'data/agencies.yaml:{at}:13: agencies[12].names.de: not a translation of these words '
        '(organisation.translations: fr, ja)'
    ]


@pytest.mark.slow
def test_an_english_edit_of_a_phrase_marked_the_same_is_stale_not_an_error(project):
    """ "Sources" is French too; once the English says "References", the French edition still
    builds and the phrase is named, until the translator records the new English's fingerprint."""
    from factsheet.translation import fingerprint

    project.edit('words/en.yaml', '"Sources"', '"References"')
    now = fingerprint('References')
    code, stdout, stderr = project.run('--lang', 'fr', '--only', 'html')
    assert (code, stderr) == (0, '')
    assert (
        f'data/words/fr.yaml: words.headings.sources: the English changed since it was translated '
        f'(english: headings.sources: {now})'
    ) in stdout.splitlines()
    project.edit('words/fr.yaml', 'english:   #', f'english:   #\n  headings.sources: "{now}"\n  #')
    code, stdout, _ = project.run('--lang', 'fr', '--only', 'html')
    assert code == 0 and 'headings.sources' not in stdout.replace('headings.sources, ', '')


@pytest.mark.slow
def test_an_english_edit_that_changes_a_phrases_placeholders_blocks_no_edition(project):
    """The French no longer fills the English's placeholders: the French edition prints the
    English phrase meanwhile and names it, and every edition builds."""
    import yaml

    from factsheet.translation import fingerprint

    project.edit('words/en.yaml', 'Over {years} years, ', 'Since {formed_year}, ')
    english = yaml.safe_load((project.data / 'words' / 'en.yaml').read_text())
    now = fingerprint(english['words']['prose']['grown'])
    code, stdout, stderr = project.run('--lang', 'fr', '--only', 'html')
    assert (code, stderr) == (0, '')
    assert (
        f'data/words/fr.yaml: words.prose.grown: the English changed since it was translated '
        f'(english: prose.grown: {now}); printed in English meanwhile'
    ) in stdout.splitlines()
    assert 'Since 2007, <span class="proper">ISECG</span> has grown' in (project.out / 'isecg-15.fr.html').read_text()


def test_a_translation_with_other_placeholders_than_the_english_it_records_is_refused(project):
    """Its fingerprint says it translates the English of now: its placeholders must be the same."""
    project.edit('words/fr.yaml', 'élargi à {members} agences', 'élargi à {founding} agences')
    assert any('words.prose.grown: French uses other placeholders than English' in line for line in problems(project))
