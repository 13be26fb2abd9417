"""The PDF fact sheet: two A4 pages, tagged, with metadata, fonts and every key fact."""

import json
import re
import subprocess
import sys

import pytest
import yaml
from pypdf import PdfReader

from conftest import DATA, ROOT
from factsheet.steps import STEPS


@pytest.fixture(scope='module')
def pdf(built):
    return PdfReader(built.pdf)


@pytest.fixture(scope='module')
def text(pdf):
    return ' '.join(' '.join(page.extract_text().split()) for page in pdf.pages)


def test_two_a4_pages(pdf):
    assert len(pdf.pages) == 2
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)


def test_metadata(pdf):
    meta = pdf.metadata
    assert meta.title == 'ISECG: 15 years of coordinated space exploration'
    assert meta.author == 'International Space Exploration Coordination Group'
    assert meta.subject.startswith('Fact sheet for the 15th anniversary of the International Space')
    assert 'Global Exploration Strategy' in meta['/Keywords']
    assert pdf.trailer['/Root']['/Lang'] == 'en'


def test_fonts_are_embedded(pdf):
    fonts = set()
    for page in pdf.pages:
        for font in page['/Resources']['/Font'].values():
            font = font.get_object()
            descriptor = font['/DescendantFonts'][0].get_object()['/FontDescriptor']
            assert '/FontFile2' in descriptor or '/FontFile3' in descriptor, font['/BaseFont']
            fonts.add(re.sub(r'^/[A-Z]{6}\+', '', font['/BaseFont']))
    assert {'Noto-Sans', 'Noto-Sans-Bold'} <= fonts


def flatten(outline):
    for item in outline:
        yield from flatten(item) if isinstance(item, list) else [item.title]


def test_bookmarks_from_headings(pdf):
    titles = list(flatten(pdf.outline))
    assert titles[0] == 'ISECG 15 years of coordination'
    assert {'About ISECG', 'Milestones', 'The 27 member agencies', 'Europe 13', 'Sources'} <= set(titles)


def test_links_work(pdf):
    uris = {
        annotation.get_object()['/A']['/URI']
        for page in pdf.pages
        for annotation in page.get('/Annots', [])
        if '/A' in annotation.get_object()
    }
    assert 'https://www.globalspaceexploration.org/' in uris
    assert 'https://www.jaxa.jp/press/2007/05/20070531_ges_e.html' in uris


def test_key_facts_in_the_text(text):
    for number, label in (
        (27, 'member agencies'),
        (15, 'years of coordination'),
        (7, 'working groups'),
        (14, 'founding agencies'),
        (4, 'seminal documents'),
    ):
        assert re.search(rf'\b{number} ?{label}', text), label
    for fact in (
        'In 2006, a group of 14 international space agencies',
        'November 2007',
        'Over 15 years, ISECG has grown to 27 international space agencies',
        'The Global Exploration Roadmap, 3rd Edition, and Supplements',
        'returning to the Moon and Mars',
        '15th anniversary · 2022 edition',
        '1 / 2',
        '2 / 2',
    ):
        assert fact in text, fact
    assert text.count('anniversary edition') == 0  # the footer names the edition once


def test_every_agency_in_the_text(text):
    for agency in yaml.safe_load((DATA / 'agencies.yaml').read_text())['agencies']:
        # a word of its own: "ASA" inside "NASA" or "ASI" inside "ASIA" does not count
        assert re.search(rf'(?<![\w-]){re.escape(agency["acronym"])}(?![\w-])', text), agency['acronym']


def test_no_warnings_logged(built):
    assert built.stderr == ''


def test_no_output_names_a_local_path(built, pdf, text):
    """Neither the PDF (its text, its links, its metadata) nor the handout names the data
    folder, the project's folder or the shared seed: every source is a public address."""
    links = [
        str(annotation.get_object().get('/A', {}).get('/URI', ''))
        for page in pdf.pages
        for annotation in page.get('/Annots', [])
    ]
    metadata = pdf.trailer['/Root']['/Metadata'].get_object().get_data().decode()
    assert any(link.startswith('https://') for link in links)
    for output in (text, ' '.join(links), metadata, built.html):
        for path in (str(DATA), str(ROOT), 'shared/', 'seeds/', 'file:'):
            assert path not in output, path
        assert not re.search(r'(?<![\w.-])data/', output)  # a relative path into the data folder


def test_the_warm_up_loads_the_hyphenation_of_each_language_the_data_has_words_for(tmp_path, monkeypatch):
    """A PDF worker's warm-up, run while the charts are drawn, loads what the first layout
    of each edition would (a language pyphen has no dictionary for is no error); a words
    file whose name is no language code is left out of the page it lays out."""
    import pyphen
    import weasyprint

    from factsheet.pdf import warm_up

    (tmp_path / 'words').mkdir()
    for name in ('en', 'fr', 'ja', '"><img src=x>'):
        (tmp_path / 'words' / f'{name}.yaml').write_text('words: {}\n', encoding='utf-8')
    monkeypatch.setattr(pyphen, 'hdcache', {})
    page = warm_up(tmp_path)
    assert re.findall(r'lang="([^"]*)"', page) == ['en', 'fr', 'ja'] and '<img' not in page
    weasyprint.HTML(string=page).write_pdf()
    assert {pyphen.LANGUAGES['en'], pyphen.LANGUAGES['fr']} <= set(pyphen.hdcache)
    assert warm_up(tmp_path / 'missing').count('lang=') == 0


@pytest.mark.fresh_layouts  # it watches the layout itself
@pytest.mark.slow
def test_a_search_of_several_layouts_reads_each_image_once(monkeypatch):
    """Every layout of the search lays out the same charts: WeasyPrint reads and parses each
    (a data: URL) at the first, and takes it from the search's image cache at the others."""
    from weasyprint import images

    from factsheet import pipeline
    from factsheet.colours import read_palette
    from factsheet.draw import tables
    from factsheet.options import Options

    facts = pipeline.facts(pipeline.read(DATA))['en']
    charts, palette = pipeline.charts(facts), read_palette()
    svgs = {name: pipeline.draw(name, chart, facts, palette) for name, chart in charts.items()}
    read, real = [], images.SVGImage.__init__

    def reading(self, tree, url, *args, **kwargs):
        read.append(url)
        real(self, tree, url, *args, **kwargs)

    monkeypatch.setattr(images.SVGImage, '__init__', reading)
    _, fit, pages = pipeline.factsheet(facts, svgs, tables(charts), Options(data=DATA))
    assert fit.layouts >= 2 and pages == 2
    assert sorted(read) == sorted(set(read)) and len(read) >= len(svgs)  # each chart, the QR code, the rings: once


@pytest.mark.slow
@pytest.mark.parametrize(
    'start',
    [
        f'from factsheet.jobs import pdf_work; pdf_work(Options(data=Path({str(DATA)!r})), lambda: None, id)',
        'from factsheet.helper import import_libraries; import_libraries()',
    ],
    ids=['a PDF worker', "watch mode's helper"],
)
def test_weasyprint_is_imported_without_starting_a_process(start):
    """WeasyPrint's first import in a process (a PDF worker's, the helper's) loads its C
    libraries by their file names: no ldconfig, gcc or ld run for the names it would try
    first, and ctypes' own lookup is as it was afterwards."""
    script = (
        'import ctypes.util, json, subprocess, sys\n'
        'from pathlib import Path\n'
        'from factsheet.options import Options\n'
        'started, real = [], ctypes.util.find_library\n'
        'subprocess.Popen.__init__ = lambda self, args, *a, **k: started.append(args[0]) or 1 / 0\n'
        f'{start}\n'
        'from weasyprint.text import ffi\n'
        'print(json.dumps([started, ctypes.util.find_library is real, ffi.harfbuzz_subset is not None]))\n'
    )
    result = subprocess.run([sys.executable, '-c', script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, '')
    assert json.loads(result.stdout) == [[], True, True]


def test_a_sheet_joined_from_two_layouts_is_the_sheet_one_layout_at_its_steps_gives(loaded_data, tmp_path):
    """The search may find the front's step in one layout and the back's in another; the
    sheet then takes each page from its own (layout.joined). Whatever the other page did in
    each (here the roomiest step: the front's prose runs on, so the back of that layout is
    a third page), the joined sheet is byte for byte the one laid out at those steps: the
    back is numbered 2 / 2 whatever page it was."""
    from factsheet import layout, pipeline
    from factsheet.colours import read_palette
    from factsheet.draw import tables
    from factsheet.options import Options
    from factsheet.pdf import BACK, FRONT, lay_out_pdf, page_css, write_pdf
    from factsheet.render import render_sheet
    from factsheet.structure import Pages

    facts, palette = pipeline.facts(loaded_data)['en'], read_palette()
    charts = pipeline.charts(facts)
    svgs = {name: pipeline.draw(name, chart, facts, palette) for name, chart in charts.items()}
    options = Options(data=DATA, out=tmp_path)

    def lay_out(front, back):
        html = render_sheet(facts, svgs, tables(charts), None, page_css(options, 'a4', front, back), back.members)
        return html, lay_out_pdf(html, options)

    floor, roomiest = STEPS[-1], STEPS[0]
    html, whole = lay_out(floor, floor)
    assert Pages(html, FRONT, BACK, 'members').apart  # the template keeps the pages apart: the search joins
    front_of, back_of = lay_out(floor, roomiest)[1], lay_out(roomiest, floor)[1]
    assert len(back_of.pages) > 2  # the test's point: the back's own layout numbered it otherwise
    joined_html, joined = layout.joined(front_of, back_of, html)
    assert write_pdf(joined, joined_html, options) == write_pdf(whole, html, options)


@pytest.mark.slow
def test_a_template_that_mixes_the_pages_sections_lays_both_pages_out_together(copy):
    """With a back section moved onto the front, the front's step reaches the back: no
    joined pages, so a first build gives the bytes a build from its own steps gives (on
    Letter, where the tests' English sheet would otherwise join two layouts)."""
    page = (copy.root / 'templates/page.html.j2').read_text(encoding='utf-8')
    aside = re.search(r'<aside class="next" id="next">.*?</aside>\n', page, re.S).group(0)
    copy.edit('templates/page.html.j2', aside, '')
    copy.edit('templates/page.html.j2', '<section id="milestones">', aside + '<section id="milestones">')
    first = copy.run('--only', 'pdf', '--paper', 'letter')
    assert first.returncode == 0, first.stderr
    (pdf,) = copy.out.glob('*.pdf')
    searched = pdf.read_bytes()
    again = copy.run('--only', 'pdf', '--paper', 'letter', '--force')  # from the steps the first chose (its hint)
    assert again.returncode == 0, again.stderr
    assert pdf.read_bytes() == searched
