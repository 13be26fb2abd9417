"""What the data leaves out, the outputs leave out: a copy of the tests' data with no
founding agency and no extension prints no founding figure, mark, legend, colour or phrase,
no extension band or phrase, and never a 0 in their place."""

import re
import shutil
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from conftest import DATA, edit, run
from factsheet.derive import every_edition
from factsheet.load import load
from factsheet.validate import validate


def leave_out(data):
    """The copy of the data without a founding agency (each becomes undated) and without an extension."""
    for path in [data / 'agencies.yaml']:
        lines = path.read_text(encoding='utf-8').splitlines(keepends=True)
        path.write_text(''.join(line for line in lines if not line.startswith('    founding_as:')), encoding='utf-8')
    edit(
        data / 'organisation.yaml',
        '  extension:\n    year: 2012\n    years: 10           # "extended for a further 10 years in 2012 to 2022"\n'
        '    source: seed\n',
        '',
    )


class Text(HTMLParser):
    """What a reader sees of a handout, and its screen readers' text (alt attributes)."""

    def __init__(self):
        super().__init__()
        self.text, self.alts, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ('style', 'script', 'svg')
        self.alts += [value for name, value in attrs if name == 'alt' and value]

    def handle_endtag(self, tag):
        self.skip -= tag in ('style', 'script', 'svg')

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


@pytest.fixture(scope='module')
def left_out(tmp_path_factory):
    """Every edition's handout of the copy without them, built once for the module."""
    root = tmp_path_factory.mktemp('left-out')
    shutil.copytree(DATA, root / 'data')
    leave_out(root / 'data')
    code, _, stderr = run(root / 'data', root / 'out', '--all', '--only', 'html')
    assert code == 0, stderr
    return SimpleNamespace(data=root / 'data', out=root / 'out')


def test_the_facts_have_no_founding_figure_milestone_or_extension(left_out):
    files = load(left_out.data)
    validate(files)
    for facts in every_edition(files).values():
        assert [figure['key'] for figure in facts['figures']] == ['members', 'working_groups', 'documents']
        keys = [milestone['key'] for milestone in facts['milestones']]
        assert 'discussions' not in keys and 'extension' not in keys and 'formed' in keys
        assert facts['values']['founding'] is None and facts['values']['extension_until'] is None
        assert not any(step['founding'] for step in facts['membership']['steps'])


@pytest.mark.parametrize('language', ['en', 'fr', 'ja'])
def test_every_handout_prints_neither_a_founding_phrase_nor_a_zero(left_out, language):
    html = (left_out.out / f'isecg-15.{language}.html').read_text(encoding='utf-8')
    parser = Text()
    parser.feed(html)
    said = ' '.join(' '.join(parser.text + parser.alts).split())
    founding = {'en': r'[Ff]ounding|[Ee]xtension|extended', 'fr': r'fondat|prolong', 'ja': r'創設|延長'}[language]
    assert re.findall(founding, said) == []
    assert re.findall(r'(?<![\d.,–-])0(?![\d.,])', said) == []
    assert 'class="legend"' not in html and 'class="founding"' not in html
    assert 'id="milestone-discussions"' not in html and 'id="milestone-extension"' not in html


def test_the_map_names_only_the_colour_it_uses(left_out):
    svg = (left_out.out / 'charts' / 'map.svg').read_text(encoding='utf-8')
    assert 'Joined later' in svg and 'Founding' not in svg


@pytest.mark.slow
def test_the_sheet_builds_on_two_pages_without_them(project):
    from pypdf import PdfReader

    leave_out(project.data)
    code, _, stderr = run(project.data, project.out, '--only', 'pdf')
    assert code == 0, stderr
    pages = PdfReader(project.out / 'isecg-15.pdf').pages
    said = ' '.join(' '.join(page.extract_text() for page in pages).split())
    assert len(pages) == 2
    assert re.findall(r'[Ff]ounding|[Ee]xtension|extended', said) == []
    assert 'Initial mandate' in said and '27 member agencies' in said
