"""The HTML handout: self-contained, valid structure, accessible, every fact present."""

import re
from html.parser import HTMLParser

from gold.update import GOLD, scrub

from conftest import DATA


class Outline(HTMLParser):
    """Collects tags with their attributes, and the text of headings."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.headings, self._heading = [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r'h[1-6]', tag):
            self._heading = [int(tag[1]), '']

    def handle_data(self, data):
        if self._heading:
            self._heading[1] += data

    def handle_endtag(self, tag):
        if self._heading and tag == f'h{self._heading[0]}':
            self.headings.append((self._heading[0], ' '.join(self._heading[1].split())))
            self._heading = None


def test_matches_the_golden_file(built):
    """To accept a deliberate change: python3 tests/output/gold/update.py (see gold/README.md)."""
    assert scrub(built.html) == GOLD.read_text(encoding='utf-8')


def test_self_contained(built):
    outline = Outline(built.html)
    for tag, attrs in outline.tags:
        for name in ('src', 'srcset', 'data', 'poster'):
            assert not attrs.get(name) or attrs[name].startswith('data:'), (tag, name)
        if tag == 'link':
            raise AssertionError(f'a <link> loads something: {attrs}')
    assert not re.search(r'url\(\s*["\']?(?!data:)', built.html)
    assert '@import' not in built.html
    scripts = [attrs for tag, attrs in outline.tags if tag == 'script']
    assert scripts == [{'type': 'application/ld+json'}]  # data, never run: the one script element


def test_ids_are_unique(built):
    ids = [attrs['id'] for tag, attrs in Outline(built.html).tags if 'id' in attrs]
    assert len(ids) > 20
    assert len(ids) == len(set(ids))


def test_language_one_h1_and_ordered_headings(built):
    outline = Outline(built.html)
    assert ('html', {'lang': 'en'}) in outline.tags
    levels = [level for level, _ in outline.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert (2, 'The 27 member agencies') in outline.headings


def test_figures_have_alt_text_captions_and_data_tables(built):
    outline = Outline(built.html)
    images = [attrs for tag, attrs in outline.tags if tag == 'img']
    assert len(images) == 3
    assert all(len(image['alt']) > 40 for image in images)
    assert [tag for tag, _ in outline.tags].count('figcaption') == 3
    assert [tag for tag, _ in outline.tags].count('caption') == 3
    assert sum(1 for tag, attrs in outline.tags if tag == 'th' and attrs.get('scope') == 'col') == 2 + 5 + 3


def test_all_agencies_and_key_facts_are_present(built):
    import yaml

    agencies = yaml.safe_load((DATA / 'agencies.yaml').read_text())['agencies']
    assert len(agencies) == 27
    for agency in agencies:
        assert f'<strong class="acronym">{agency["acronym"]}</strong>' in built.html
        assert agency['name'] in built.html
    for fact in (
        'In 2006, a group of 14 international space agencies',
        'November 2007',
        'extended for a further 10 years, to 2022',
        'Through its seven working groups',
        'Broad Public Engagement in Future Lunar Exploration',
        'returning to the Moon and Mars',
    ):
        assert fact in built.html
    assert 'Over 15 years, <span class="proper">ISECG</span> has grown to 27' in built.html  # "ISCEG", corrected


def test_sources_are_printed(built):
    assert 'https://www.jaxa.jp/press/2007/05/20070531_ges_e.html' in built.html
    assert 'https://www.globalspaceexploration.org/?p=1180' in built.html
    assert 'shared/' not in built.html and 'seeds/' not in built.html and 'file:' not in built.html


def test_every_listed_source_is_cited_and_numbered_in_the_order_first_cited(built):
    listed = re.findall(r'<li id="source-([a-z0-9-]+)">', built.html)
    marks = []
    for group in re.findall(r'<sup class="cite">(.*?)</sup>', built.html):
        numbers = []
        for key, shown in re.findall(r'<a href="#source-([a-z0-9-]+)">([0-9–]+)</a>', group):
            first, _, last = shown.partition('–')
            assert listed[int(first) - 1] == key  # the link goes to the first source of the run
            assert not last or int(last) - int(first) >= 2  # a range is three sources or more
            numbers += range(int(first), int(last or first) + 1)
        assert numbers == sorted(set(numbers))
        marks.append([listed[number - 1] for number in numbers])
    cited = [key for group in marks for key in group]
    assert set(cited) == set(listed)  # nothing listed that no statement cites, nothing cited unlisted
    assert list(dict.fromkeys(cited)) == listed  # numbered in the order they are first cited
    assert len(marks) >= 8  # about, milestones, both charts, members, themes, work, closing
