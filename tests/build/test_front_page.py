"""The front page's story as data: a milestone added by a data edit alone, a document's link,
the lede in every edition, a member in a country the map lacks. On the tests' own data."""

import re
from html.parser import HTMLParser

import pytest

from conftest import DATA
from factsheet.problems import UserError


class Milestones(HTMLParser):
    """The handout's list of milestones: [(datetime, text)], and its links: [(href, text)]."""

    def __init__(self):
        super().__init__()
        self.items, self.links, self.inside, self.href = [], [], False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'ol' and attrs.get('class') == 'timeline':
            self.inside = True
        elif tag == 'time' and self.inside:
            self.items.append([attrs['datetime'], ''])
        elif tag == 'a':
            self.href = attrs.get('href')
            self.links.append([self.href, ''])

    def handle_endtag(self, tag):
        if tag == 'ol':
            self.inside = False
        elif tag == 'a':
            self.href = None

    def handle_data(self, data):
        if self.inside and self.items:
            self.items[-1][1] += data
        if self.links and self.href:
            self.links[-1][1] += data


def read(html):
    parser = Milestones()
    parser.feed(html)
    return [(when, ' '.join(text.split())) for when, text in parser.items], parser.links


@pytest.mark.slow
def test_a_milestone_is_a_data_edit_and_every_edition_builds(project):
    """A dated event in organisation.yaml and its phrase in the English words: no Python, no
    template, and the translations, which lack the phrase, print it in English."""
    with (project.data / 'organisation.yaml').open('a', encoding='utf-8') as stream:
        stream.write('  milestones:\n    - {key: roadmap_1, year: 2011, month: 9, source: isecg-site}\n')
    project.edit(
        'words/en.yaml',
        '    anniversary: "{ordinal} anniversary: {members} member agencies"\n',
        '    anniversary: "{ordinal} anniversary: {members} member agencies"\n'
        '    roadmap_1: "The Global Exploration Roadmap, first edition"\n',
    )
    code, stdout, stderr = project.run('--all', '--only', 'html')
    assert (code, stderr) == (0, ''), stderr
    items, _ = read((project.out / 'isecg-15.en.html').read_text(encoding='utf-8'))
    assert ('2011-09', 'September 2011 The Global Exploration Roadmap, first edition') in items
    assert [when for when, _ in items] == sorted(when for when, _ in items)  # in the order of their dates
    french = (project.out / 'isecg-15.fr.html').read_text(encoding='utf-8')
    assert '<span lang="en">The Global Exploration Roadmap, first edition</span>' in french
    assert 'data/words/fr.yaml: the French edition: 1 phrase to translate' in stdout


def test_a_milestone_without_its_phrase_is_refused_naming_where_to_add_it(project):
    with (project.data / 'organisation.yaml').open('a', encoding='utf-8') as stream:
        stream.write('  milestones:\n    - {key: roadmap_1, year: 2011, source: isecg-site}\n')
    code, stdout, stderr = project.run('--only', 'html')
    line = len((project.data / 'organisation.yaml').read_text().splitlines())
    assert (code, stdout) == (1, '')
    assert stderr == (
        f'data/organisation.yaml:{line}:13: organisation.milestones[0].key: no words for this milestone: '
        'add words.milestones.roadmap_1 to data/words/en.yaml\n'
    )


@pytest.mark.slow
def test_a_dated_document_links_its_title_and_stands_on_the_time_axis(project):
    project.edit(
        'documents.yaml',
        '  - title: Benefits Stemming from Space Exploration\n    source: seed\n',
        '  - title: Benefits Stemming from Space Exploration\n    source: seed\n    key: benefits\n'
        '    url: "https://www.globalspaceexploration.org/wordpress/?p=375"\n    url_source: isecg-site\n'
        '    published: {year: 2013, month: 9, source: isecg-site}\n',
    )
    project.edit(
        'words/en.yaml',
        '    anniversary: "{ordinal} anniversary: {members} member agencies"\n',
        '    anniversary: "{ordinal} anniversary: {members} member agencies"\n'
        '    benefits: "Benefits paper released"\n',
    )
    code, _, stderr = project.run('--only', 'html')
    assert (code, stderr) == (0, '')
    items, links = read((project.out / 'isecg-15.html').read_text(encoding='utf-8'))
    assert ('2013-09', 'September 2013 Benefits paper released') in items
    assert [
        'https://www.globalspaceexploration.org/wordpress/?p=375',
        'Benefits Stemming from Space Exploration',
    ] in links


def test_a_member_in_a_country_the_map_lacks_is_refused_naming_the_code(project):
    from factsheet.load import load
    from factsheet.validate import validate

    project.edit('agencies.yaml', 'country: NZ\n', 'country: BQ\n')  # Caribbean Netherlands: CLDR has it
    lines = (project.data / 'agencies.yaml').read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if 'country: BQ' in text)
    with pytest.raises(UserError) as refused:
        validate(load(project.data))
    index = re.findall(r'(?m)^  - acronym: (\S+)', '\n'.join(lines)).index('NZSA')
    assert str(refused.value) == (
        f'data/agencies.yaml:{line}:14: agencies[{index}].country: '
        'a country the world map has: BQ is not in charts/world/countries.json'
    )


@pytest.mark.slow
def test_every_edition_opens_with_the_message_on_page_one(every_edition):
    """The lede, worded in each words file, is in page 1's text layer of every PDF."""
    import yaml
    from pypdf import PdfReader

    for name in sorted(path.name for path in every_edition.out.glob('*.pdf')):
        language = name.split('.')[1]
        lede = yaml.safe_load((DATA / 'words' / f'{language}.yaml').read_text(encoding='utf-8'))['words']['prose']
        pieces = re.split(r'\{[a-z_]+\}', lede['lede'])  # its words between the placeholders
        first = ''.join(PdfReader(every_edition.out / name).pages[0].extract_text().split())
        assert all(''.join(piece.split()) in first for piece in pieces), (name, pieces)
