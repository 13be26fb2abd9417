"""The source list speaks the edition's language: a source without a title as published is
described in each words file, translated like any phrase; a title as published is printed
as it is, in every edition. On a copy of the tests' data."""

import pytest

from conftest import run
from factsheet.translation import fingerprint

SEED = 'ISECG website: the forum’s 15th-anniversary page'
SEED_FR = 'Site de l’ISECG : la page des 15 ans du forum'
TITLED = '  seed:\n    title: "ISECG website: the forum’s 15th-anniversary page"\n'


def describe_the_seed(project, french=True):
    """sources.yaml: the seed's title goes; words/en.yaml (and fr.yaml) describe it."""
    project.edit('sources.yaml', TITLED, '  seed:\n')
    project.edit('words/en.yaml', '\n  milestones:\n', f'\n  sources:\n    seed: "{SEED}"\n\n  milestones:\n')
    if french:
        project.edit('words/fr.yaml', '\n  milestones:\n', f'\n  sources:\n    seed: "{SEED_FR}"\n\n  milestones:\n')
        project.edit('words/fr.yaml', '\nenglish:', f'\nenglish:\n  sources.seed: "{fingerprint(SEED)}"')


def source_line(project, language, key):
    html = (project.out / f'isecg-15.{language}.html').read_text(encoding='utf-8')
    start = html.index(f'<li id="source-{key}">')
    return html[start : html.index('</li>', start)]


@pytest.mark.parametrize(
    ('language', 'printed', 'tag'),
    [('en', SEED, ''), ('fr', 'Site de l’ISECG\u00a0: la page des 15 ans du forum', ''), ('ja', SEED, ' lang="en"')],
)
def test_a_description_is_printed_in_the_editions_language_or_in_english_tagged(project, language, printed, tag):
    describe_the_seed(project)
    code, stdout, stderr = run(project.data, project.out, '--lang', language, '--only', 'html')
    assert code == 0, stderr
    line = source_line(project, language, 'seed')
    assert f'"https://www.globalspaceexploration.org/?p=1180"{tag}>{printed}</a>' in line
    if language == 'ja':
        assert 'sources.seed' in stdout  # named among the phrases still in English


def test_a_title_as_published_stays_in_its_language_in_every_edition(project):
    code, _, stderr = run(project.data, project.out, '--lang', 'fr', '--only', 'html')
    assert code == 0, stderr
    assert '" lang="en">The Global Exploration Strategy: The Framework' in source_line(project, 'fr', 'ges-framework')


def test_a_source_neither_titled_nor_described_is_refused_naming_both_places(project):
    project.edit('sources.yaml', TITLED, '  seed:\n')
    code, _, stderr = run(project.data, project.out, '--only', 'html')
    assert (code, stderr) == (
        1,
        'data/sources.yaml:5:5: sources.seed: no title and no description: add words.sources.seed to '
        'data/words/en.yaml\n',
    )


def test_a_description_of_a_titled_or_unknown_source_is_refused(project):
    described = '\n  sources:\n    seed: "x"\n    nowhere: "y"\n\n  milestones:\n'
    project.edit('words/en.yaml', '\n  milestones:\n', described)
    code, _, stderr = run(project.data, project.out, '--only', 'html')
    assert code == 1
    assert stderr.splitlines() == [
        'data/words/en.yaml:77:11: words.sources.seed: this source has its title (sources.yaml)',
        'data/words/en.yaml:78:14: words.sources.nowhere: not a source of sources.yaml',
    ]
