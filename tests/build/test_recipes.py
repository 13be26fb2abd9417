"""The README's "Editing the facts", followed to the letter on a copy of the data: every
common edit is a data edit, and the build makes what the recipe says."""

import pytest
from pypdf import PdfReader

from factsheet.translation import fingerprint

NEW_MEMBER = """\
  - acronym: XSA
    name: Example Space Agency
    country: IS
    region: "150"
    joined: {year: 2022, source: example-news}
    sources: [example-news]
"""
NEW_SOURCE = """\
  example-news:
    title: "Example news: a new member"
    url: "https://example.org/news/new-member"
"""


def add_a_member(project):
    """agencies.yaml: a new entry; sources.yaml: the page that says it joined."""
    with (project.data / 'agencies.yaml').open('a') as stream:
        stream.write(NEW_MEMBER)
    with (project.data / 'sources.yaml').open('a') as stream:
        stream.write(NEW_SOURCE)
    return {'isecg-15.html': ['28 member agencies', 'Example Space Agency', 'Iceland', 'example.org/news/new-member']}


def rename_a_member(project):
    """agencies.yaml: name."""
    project.edit('agencies.yaml', 'name: Polish Space Agency', 'name: Polish Space Agency (POLSA)')
    return {'isecg-15.html': ['Polish Space Agency (POLSA)']}


def change_a_sentence(project):
    """words/en.yaml: the phrase; the translations are then stale, and said so."""
    project.edit('words/en.yaml', '"Milestones"', '"Key dates"')
    return {'isecg-15.html': ['Key dates'], 'stdout': ['the French edition: 0 phrases to translate, 1 whose']}


def update_a_translation(project):
    """words/fr.yaml: the phrase, and its fingerprint under english: as the build prints it."""
    project.edit('words/en.yaml', '"Milestones"', '"Key dates"')
    project.edit('words/fr.yaml', '"Jalons"', '"Dates clés"')
    text = (project.data / 'words' / 'fr.yaml').read_text()
    old = next(line for line in text.splitlines() if line.startswith('  headings.milestones: '))
    project.edit('words/fr.yaml', old, f'  headings.milestones: "{fingerprint("Key dates")}"')
    return {
        'isecg-15.fr.html': ['Dates clés'],
        'stdout!': ['French edition'],
        'args': ['--lang', 'fr', '--only', 'html'],
    }


def change_the_website(project):
    """organisation.yaml: site.url (the QR code follows it)."""
    project.edit(
        'organisation.yaml',
        'url: "https://www.globalspaceexploration.org/"\n    source: isecg-site',
        'url: "https://www.globalspaceexploration.org/news/"\n    source: isecg-site',
    )
    return {'isecg-15.pdf': ['www.globalspaceexploration.org/news'], 'args': ['--only', 'pdf']}


def add_a_milestone(project):
    """organisation.yaml: an entry under milestones:; words/en.yaml: its phrase. The
    translations print it in English meanwhile."""
    with (project.data / 'organisation.yaml').open('a') as stream:
        stream.write('  milestones:\n    - {key: uae_joins, year: 2015, month: 10, source: isecg-uae-2015}\n')
    project.edit(
        'words/en.yaml',
        '    anniversary: "{ordinal} anniversary: {members} member agencies"\n',
        '    anniversary: "{ordinal} anniversary: {members} member agencies"\n'
        '    uae_joins: "The UAE Space Agency joins as the 15th member"\n',
    )
    return {
        'isecg-15.html': [
            '<time datetime="2015-10">October 2015</time>',
            'The UAE Space Agency joins as the 15th member',
        ],
        'stdout': ['data/words/fr.yaml: the French edition: 1 phrase to translate'],
    }


def another_anniversary(project):
    """organisation.yaml: anniversary.years; the files take the new number."""
    project.edit('organisation.yaml', 'years: 15 ', 'years: 16 ')
    return {'isecg-16.html': ['16 years']}


def another_organisation(project):
    """organisation.yaml: name and acronym; the files take the new acronym."""
    project.edit(
        'organisation.yaml',
        'name: International Space Exploration Coordination Group',
        'name: Example Exploration Forum',
    )
    project.edit('organisation.yaml', 'acronym: ISECG', 'acronym: EEF')
    return {'eef-15.html': ['Example Exploration Forum', 'EEF']}


def leave_a_fact_out(project):
    """organisation.yaml: delete extension:; agencies.yaml: no founding_as:."""
    text = (project.data / 'organisation.yaml').read_text(encoding='utf-8')
    start, end = text.index('  extension:\n'), text.index('  anniversary:\n')
    (project.data / 'organisation.yaml').write_text(text[:start] + text[end:], encoding='utf-8')
    agencies = (project.data / 'agencies.yaml').read_text(encoding='utf-8').splitlines(keepends=True)
    kept = ''.join(line for line in agencies if not line.startswith('    founding_as:'))
    (project.data / 'agencies.yaml').write_text(kept, encoding='utf-8')
    return {
        'isecg-15.html': ['non-binding forum, initially for 5'],
        'isecg-15.html!': ['founding agenc', 'Founding agency', 'extended'],
    }


RECIPES = [
    add_a_member,
    rename_a_member,
    change_a_sentence,
    update_a_translation,
    change_the_website,
    add_a_milestone,
    another_anniversary,
    another_organisation,
    leave_a_fact_out,
]


@pytest.mark.slow
@pytest.mark.parametrize('recipe', RECIPES, ids=[recipe.__name__ for recipe in RECIPES])
def test_each_recipe_is_a_data_edit_that_builds(project, built, recipe):
    expected = recipe(project)
    if '--only' in expected.get('args', []) and 'pdf' in expected['args']:
        project.start_from(built)  # the screen PDF's steps are its hint
    code, stdout, stderr = project.run(*expected.pop('args', ['--only', 'html']))
    assert (code, stderr) == (0, ''), stderr
    for text in expected.pop('stdout', []):
        assert text in stdout
    for text in expected.pop('stdout!', []):
        assert text not in stdout
    for name, texts in expected.items():
        if name.endswith('!'):  # what the output must not say
            shown = ' '.join((project.out / name[:-1]).read_text(encoding='utf-8').split())
            assert [text for text in texts if text in shown] == []
            continue
        if name.endswith('.pdf'):
            shown = ''.join(''.join(page.extract_text().split()) for page in PdfReader(project.out / name).pages)
        else:
            shown = ' '.join((project.out / name).read_text(encoding='utf-8').split())
        for text in texts:
            assert text in shown, (name, text)
