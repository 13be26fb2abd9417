"""The fact sheet survives its data: two pages or a clear error, density steps chosen by
measuring, nothing lost, and a text layer that reads as the page does."""

import functools
import json
import re
import shutil
import subprocess

import pytest
import yaml
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import DATA, examples, snapshot
from factsheet import layout, pdf, pipeline
from factsheet.colours import read_palette
from factsheet.draw import tables
from factsheet.layout import STEPS, whole
from factsheet.options import Options
from factsheet.problems import UserError
from factsheet.render import render_sheet, short_url
from factsheet.rules import mapped_countries
from factsheet.schema import LONGEST_WORD, PROSE_LIMITS, REGIONS

# Every country CLDR names in English and the world map draws, by ISO 3166-1 code.
COUNTRIES = {
    code: name
    for code, name in Locale('en').territories.items()
    if re.fullmatch('[A-Z]{2}', code) and code in mapped_countries()
}
needs_poppler = pytest.mark.skipif(not shutil.which('pdftotext'), reason='poppler-utils is not installed')
OVERFLOW = re.compile(
    r'isecg-15(\.letter)?\.pdf: fact sheet: page [12] overflows by \d+ mm \([^)]+\)'
    r'(; page 2 overflows by \d+ mm \([^)]+\))?, '
    r'even at the densest step \(floor\); shorten the prose in data/words/, or the names, countries or '
    r'titles in data/, or list fewer entries'
)


def pdftotext(pdf, *options):
    return subprocess.run(['pdftotext', *options, str(pdf), '-'], capture_output=True, text=True, check=True).stdout


def agencies(data):
    return yaml.safe_load((data / 'agencies.yaml').read_text(encoding='utf-8'))['agencies']


def as_words(text):
    return ' ' + ' '.join(text.split()) + ' '


# --- The text layer ----------------------------------------------------------------------


@needs_poppler
def test_every_acronym_is_a_word_of_its_own_in_reading_order(built):
    text = as_words(pdftotext(built.pdf))
    for agency in agencies(DATA):
        assert f' {agency["acronym"]} ' in text, agency['acronym']


@needs_poppler
def test_every_name_country_and_url_reads_whole_in_content_order(built):
    raw = pdftotext(built.pdf, '-raw')
    text = as_words(raw)
    names = COUNTRIES | {'intergovernmental': 'Intergovernmental (Europe)'}
    for agency in agencies(DATA):
        assert f' {agency["name"]} ' in text, agency['name']
        assert names[agency['country']] in text, agency['country']
    shown = as_words(re.sub(r'\n-', '-', re.sub(r'([/_])\n', r'\1', raw)))  # a URL breaks after / or _, before -

    for source in pipeline.facts(pipeline.read(DATA))['en']['sources']:  # the English edition's sources
        url = re.sub(r'<[^>]+>', '', str(short_url(source['url'])))
        assert not url.startswith('https') and f' {url}' in shown, url


@needs_poppler
def test_nothing_hidden_is_in_the_text(built):
    text = pdftotext(built.pdf)
    assert '(Founding' not in text and 'agency)' not in text
    assert text.count('Founding agency') == 1  # the legend, which explains the mark
    assert 'https://\n' not in pdftotext(built.pdf, '-raw')


def test_the_output_line_names_the_step(built):
    steps = '|'.join(re.escape(step.name) for step in STEPS)
    assert re.search(
        rf'wrote \S+isecg-15\.pdf \(\d+\.\d\d s, layout: ({steps})( / ({steps}))?; \d+ layouts?\)', built.stdout
    )


def test_found_as_whole_pieces_of_text():
    pieces = ['nasa', 'nationalaeronautics', 'andspace', 'asa']
    joined, ends, at = ''.join(pieces), {0}, 0
    for piece in pieces:
        at += len(piece)
        ends.add(at)
    assert whole('nationalaeronauticsandspace', joined, ends)
    assert whole('asa', joined, ends) and not whole('as', joined, ends)
    assert not whole('aeronautics', joined, ends)


# --- More data than the first edition ------------------------------------------------------


def grow(data, members, prose_at_limit=False):
    """Add agencies of typical name length, spread over the regions, up to `members`."""
    document = yaml.safe_load((data / 'agencies.yaml').read_text(encoding='utf-8'))
    longest = sorted(COUNTRIES, key=lambda code: -len(COUNTRIES[code]))  # the longest names CLDR has
    for i in range(members - len(document['agencies'])):
        document['agencies'].append(
            {
                'acronym': f'QZ{i}SA',
                'name': f'National Space Agency of Land {i}',
                'country': longest[i % len(longest)],
                'region': REGIONS[i % len(REGIONS)],
                'sources': ['seed'],
            }
        )
    (data / 'agencies.yaml').write_text(yaml.safe_dump(document, sort_keys=False), encoding='utf-8')
    if prose_at_limit:
        words = yaml.safe_load((data / 'words/en.yaml').read_text(encoding='utf-8'))
        for key, limit in PROSE_LIMITS.items():
            text = words['words']['prose'][key]
            words['words']['prose'][key] = (text + ' More about the forum and its work.' * 30)[: limit - 1] + '.'
        (data / 'words/en.yaml').write_text(yaml.safe_dump(words, sort_keys=False, width=1000), encoding='utf-8')


def check_two_pages_with_everything(project, paper):
    pdf = project.out / ('isecg-15.pdf' if paper == 'a4' else f'isecg-15.{paper}.pdf')
    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    text = as_words(pdftotext(pdf))
    for agency in agencies(project.data):
        assert f' {agency["acronym"]} ' in text, agency['acronym']


@pytest.mark.slow
@needs_poppler
@pytest.mark.parametrize('paper', ['a4', 'letter'])
def test_45_members_and_the_prose_at_its_limits_fit_two_pages(project, paper):
    grow(project.data, 45, prose_at_limit=True)
    code, stdout, stderr = project.run('--only', 'pdf', '--paper', paper)
    assert (code, stderr) == (0, ''), stderr
    steps = re.search(r'layout: ([^;]+);', stdout).group(1).split(' / ')
    assert steps[-1] in [step.name for step in STEPS[1:]]  # the back page, at least, took a denser step
    check_two_pages_with_everything(project, paper)


def pages_at_the_floor(data, taller):
    """How many pages the English A4 sheet takes at the densest step on a page `taller` mm taller."""
    facts, floor = pipeline.facts(pipeline.read(data))['en'], STEPS[-1]
    charts, palette = pipeline.charts(facts), read_palette()
    svgs = {name: pipeline.draw(name, chart, facts, palette) for name, chart in charts.items()}
    options = Options(data=data)
    css = pdf.page_css(options, 'a4', floor, floor, taller)
    html = render_sheet(facts, svgs, tables(charts), options.modified, css, floor.members)
    return len(pdf.lay_out_pdf(html, options).pages)


@pytest.mark.slow
def test_too_much_fails_with_the_page_and_how_much_and_keeps_the_outputs(project, built):
    """How much: what the page lacks. A block kept whole moves on as one and leaves a gap,
    so what runs onto a third page would say too much."""
    project.start_from(built)  # the outputs a failed build must leave as they were
    before = snapshot(project.out)
    grow(project.data, 60)  # the back page overflows, the front fits
    code, stdout, stderr = project.run('--only', 'pdf')
    assert code == 1
    assert OVERFLOW.fullmatch(stderr.strip()), stderr
    assert 'page 2 overflows' in stderr and 'page 1' not in stderr and 'Traceback' not in stderr
    assert snapshot(project.out) == before
    lacks = int(re.search(r'page 2 overflows by (\d+) mm', stderr).group(1))
    assert pages_at_the_floor(project.data, lacks + 1) == 2  # 1 mm: the last line's depth below its text
    assert pages_at_the_floor(project.data, lacks - 2) == 3


@pytest.mark.slow
def test_a_valid_word_too_wide_for_its_column_even_at_the_floor_is_named_with_its_page(project, built):
    """A word of the longest length the schema allows, of the widest letters: it passes
    validation, fits no column, and the error says which word, on which page, by how much."""
    project.start_from(built)
    before = snapshot(project.out)
    word = 'W' * LONGEST_WORD
    project.edit('agencies.yaml', 'name: Swiss Space Office', f'name: {word} Agency')
    code, stdout, stderr = project.run('--only', 'pdf')
    assert code == 1 and 'Traceback' not in stderr
    assert re.fullmatch(
        rf"isecg-15\.pdf: fact sheet: on page 2, '{word}' wider than its column by \d+\.\d mm, even at the densest "
        r'step \(floor\); shorten the prose in data/words/, or the names, countries or titles in data/, or list fewer '
        r'entries\n',
        stderr,
    )
    assert snapshot(project.out) == before


@pytest.mark.slow
def test_the_step_never_depends_on_history(project, built):
    """Grown, then shrunk back: the layout and the bytes are those of a first build."""
    project.start_from(built)
    original = (project.data / 'agencies.yaml').read_text(encoding='utf-8')
    first = re.search(r'layout: ([^;]+);', built.stdout).group(1)
    grow(project.data, 45)
    grown = re.search(r'layout: ([^;]+);', project.run('--only', 'pdf')[1]).group(1)
    assert grown != first  # the back page took a denser step
    (project.data / 'agencies.yaml').write_text(original, encoding='utf-8')
    assert f'layout: {first};' in project.run('--only', 'pdf')[1]
    assert (project.out / 'isecg-15.pdf').read_bytes() == built.pdf.read_bytes()


@pytest.mark.slow
def test_content_the_layout_drops_fails_the_build(built_copy):
    before = snapshot(built_copy.out)
    built_copy.append('templates/factsheet.css', '\n.agencies .country { display: none; }\n')
    result = built_copy.run()
    assert result.returncode == 1
    assert re.match(
        r'isecg-15\.pdf: fact sheet: not shown in the [a-z, /]+ layout: Brazil; Mexico; Australia; Italy; ',
        result.stderr,
    )
    assert snapshot(built_copy.out) == before


# --- Any data that passes validation -------------------------------------------------------

NAME_WORD = st.text(st.sampled_from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), min_size=1, max_size=12)


@st.composite
def members(draw):
    """Agencies of any count up to 60, spread over the regions, names up to their limits."""
    count = draw(st.integers(1, 60))
    words = st.lists(NAME_WORD, min_size=1, max_size=8).map(' '.join).map(lambda text: text[:80].strip() or 'A')
    return [
        {
            'acronym': f'A{i}X',
            'name': draw(words),
            'country': draw(st.sampled_from(sorted(COUNTRIES))),
            'region': draw(st.sampled_from(REGIONS)),
            'sources': ['seed'],
        }
        for i in range(count)
    ]


def fit_and_in_order(record):
    """layout.fit, which also lays out every step in order (layouts made once, for both) and
    appends both choices to `record`: the steps, or the overflow error. It runs in the build's
    PDF worker, forked from the test with it in place."""

    def both(lay_out, html_of, required, **hints):
        once = functools.cache(lay_out)
        choices = []
        searches = (lambda: layout.fit(once, html_of, required, **hints)[0], lambda: layout.in_order(once, STEPS)[0])
        for search in searches:
            try:
                choices.append(list(search().indices))
            except UserError as error:
                choices.append(str(error))
        with record.open('a', encoding='utf-8') as stream:
            stream.write(json.dumps(choices) + '\n')
        return layout.fit(once, html_of, required, **hints)

    return both


@pytest.mark.fresh_layouts  # it watches the layout itself
@pytest.mark.slow
@needs_poppler
@settings(max_examples=examples(3, 8))
@given(agencies_=members(), paper=st.sampled_from(['a4', 'letter']), long_prose=st.booleans())
def test_any_valid_data_gives_two_pages_or_the_overflow_error_at_the_steps_in_order_gives(
    project, monkeypatch, agencies_, paper, long_prose
):
    """Whatever passes validation: two pages with every member, or the overflow error; at
    the steps (or with the error) that laying out every step in order gives, from the last
    example's steps as the hint or from none."""
    assert LONGEST_WORD >= 12  # the drawn words always pass validation
    original = {name: (project.data / name).read_text(encoding='utf-8') for name in ('agencies.yaml', 'words/en.yaml')}
    record = project.out.parent / 'choices.jsonl'
    monkeypatch.setattr(pdf, 'fit', fit_and_in_order(record))
    try:
        record.unlink(missing_ok=True)
        (project.data / 'agencies.yaml').write_text(yaml.safe_dump({'agencies': agencies_}), encoding='utf-8')
        if long_prose:
            grow(project.data, len(agencies_), prose_at_limit=True)
        code, _, stderr = project.run('--only', 'pdf', '--paper', paper, '--force')
        if code == 0:
            check_two_pages_with_everything(project, paper)
        else:
            assert code == 1 and OVERFLOW.fullmatch(stderr.strip()), stderr
        [(fast, in_order)] = [json.loads(line) for line in record.read_text(encoding='utf-8').splitlines()]
        assert fast == in_order
    finally:
        for name, text in original.items():
            (project.data / name).write_text(text, encoding='utf-8')
