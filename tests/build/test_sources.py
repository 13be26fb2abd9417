"""The source list speaks the edition's language: a source without a title as published is
described in each words file, translated like any phrase; a title as published is printed
as it is, in every edition. On a copy of the tests' data."""

import shutil
from types import SimpleNamespace

import pytest

from conftest import DATA, edit, run, start_from
from factsheet.translation import fingerprint

SEED = 'ISECG website: the forum’s 15th-anniversary page'
SEED_FR = 'Site de l’ISECG : la page des 15 ans du forum'
TITLED = '  seed:\n    title: "ISECG website: the forum’s 15th-anniversary page"\n'


@pytest.fixture(scope='module')
def described(tmp_path_factory, every_handout):
    """Every edition's handout of a copy of the tests' data whose seed has no title:
    words/en.yaml and fr.yaml describe it, ja.yaml does not. Built once for the module,
    from the session's handouts (the charts, which read no source, are not drawn again)."""
    root = tmp_path_factory.mktemp('described')
    data, out = root / 'data', root / 'out'
    shutil.copytree(DATA, data)
    start_from(every_handout, out)
    edit(data / 'sources.yaml', TITLED, '  seed:\n')
    edit(data / 'words/en.yaml', '\n  milestones:\n', f'\n  sources:\n    seed: "{SEED}"\n\n  milestones:\n')
    edit(data / 'words/fr.yaml', '\n  milestones:\n', f'\n  sources:\n    seed: "{SEED_FR}"\n\n  milestones:\n')
    edit(data / 'words/fr.yaml', '\nenglish:', f'\nenglish:\n  sources.seed: "{fingerprint(SEED)}"')
    code, stdout, stderr = run(data, out, '--all', '--only', 'html')
    assert code == 0, stderr
    return SimpleNamespace(out=out, stdout=stdout)


def source_line(out, language, key):
    html = (out / f'isecg-15.{language}.html').read_text(encoding='utf-8')
    start = html.index(f'<li id="source-{key}">')
    return html[start : html.index('</li>', start)]


@pytest.mark.parametrize(
    ('language', 'printed', 'tag'),
    [('en', SEED, ''), ('fr', 'Site de l’ISECG\u00a0: la page des 15 ans du forum', ''), ('ja', SEED, ' lang="en"')],
)
def test_a_description_is_printed_in_the_editions_language_or_in_english_tagged(described, language, printed, tag):
    line = source_line(described.out, language, 'seed')
    assert f'"https://www.globalspaceexploration.org/?p=1180"{tag}>{printed}</a>' in line
    notes = [line for line in described.stdout.splitlines() if 'sources.seed' in line]
    assert notes == [  # the phrase still in English is named, in Japanese only
        f'{described.out.parent / "data/words/ja.yaml"}: words.sources.seed: not in Japanese yet: printed in English'
    ]


def test_a_title_as_published_stays_in_its_language_in_every_edition(described):
    for language in ('en', 'fr', 'ja'):
        line = source_line(described.out, language, 'ges-framework')
        tagged = '' if language == 'en' else ' lang="en"'
        assert f'"{tagged}>The Global Exploration Strategy: The Framework' in line


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
