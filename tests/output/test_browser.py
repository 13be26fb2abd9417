"""The handout in a real browser (headless Chromium), and through the Nu HTML checker.

These need Chromium, Playwright and axe (`.ci/run` installs them) and, for the HTML
checker, Java and the npm package vnu-jar; each test skips with the reason where they
are missing."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
VNU = Path(os.environ.get('VNU_JAR', Path.home() / '.cache/isecg-tools/node_modules/vnu-jar/build/dist/vnu.jar'))
FLAGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
]


@pytest.fixture(scope='session')
def browser():  # one browser per session (per worker)
    if not Path(CHROMIUM).exists():
        pytest.skip('Chromium is not installed (apt-get install chromium)')
    playwright = pytest.importorskip('playwright.sync_api', reason='Playwright for Python is not installed')
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def handout(request, edition):
    """The handout of an edition: the default build's English one, or --all's French or Japanese."""
    if edition == 'en':
        return request.getfixturevalue('built').out / 'isecg-15.html'
    return request.getfixturevalue('every_edition').out / f'isecg-15.{edition}.html'


@pytest.fixture(
    scope='module',
    params=[(360, 'en'), (390, 'en'), (1280, 'en'), (360, 'fr'), (1280, 'fr'), (360, 'ja'), (1280, 'ja')],
    ids=['small-phone', 'phone', 'desktop', 'fr-small-phone', 'fr-desktop', 'ja-small-phone', 'ja-desktop'],
)
def loaded(request, browser):
    """A handout at a width, loaded once for every test that reads it at that width."""
    width, edition = request.param
    page = browser.new_page(viewport={'width': width, 'height': 900})
    page.goto(handout(request, edition).as_uri())
    yield page
    page.close()


@pytest.fixture
def page(loaded):
    """The loaded handout, its media as loaded again after the test (which may emulate print,
    a colour scheme or forced colours)."""
    yield loaded
    loaded.emulate_media(media='null', color_scheme='light', forced_colors='null')  # light: a new page's


def test_nothing_overflows_and_every_chart_is_drawn(page, tmp_path):
    width = page.viewport_size['width']
    assert page.evaluate('document.documentElement.scrollWidth') <= width
    wider = page.evaluate("""Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > innerWidth + 0.5 && !e.closest('.visually-hidden'))
        .map(e => e.tagName + '.' + e.className)""")
    assert wider == []
    charts = page.evaluate("""Array.from(document.images).filter(i => i.checkVisibility()).map(i => [i.complete,
        i.naturalWidth, i.getBoundingClientRect().width, i.getBoundingClientRect().height])""")
    # The milestones are a list on a narrow screen and a chart to scale on a wide one.
    timeline = page.evaluate("document.querySelector('#chart-timeline').checkVisibility()")
    listed = page.evaluate("document.querySelector('#milestones ol').checkVisibility()")
    assert (timeline, listed) == ((True, False) if width >= 960 else (False, True))
    assert len(charts) == (3 if timeline else 2)
    for complete, natural, shown_width, shown_height in charts:
        assert complete and natural > 0 and shown_width > 100 and shown_height > 50
    page.screenshot(path=tmp_path / f'handout-{width}.png', full_page=True)
    assert (tmp_path / f'handout-{width}.png').stat().st_size > 50_000


def test_prints_without_overflow(page):
    page.emulate_media(media='print')
    assert page.evaluate('document.documentElement.scrollWidth') <= page.viewport_size['width']


@pytest.mark.parametrize('scheme', ['light', 'dark', 'forced'])
def test_no_accessibility_violations(page, scheme):
    axe = pytest.importorskip('axe_playwright_python.sync_playwright', reason='axe-playwright-python is not installed')
    if scheme == 'forced':
        page.emulate_media(forced_colors='active')
    else:
        page.emulate_media(color_scheme=scheme)
    results = axe.Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_dark_scheme_changes_the_page_and_keeps_the_charts_on_light_cards(page):
    page.emulate_media(color_scheme='dark')
    background = page.evaluate('getComputedStyle(document.documentElement).backgroundColor')
    card = page.evaluate("getComputedStyle(document.querySelector('#chart-map img')).backgroundColor")
    assert background != 'rgb(255, 255, 255)' and card == 'rgb(255, 255, 255)'


def test_forced_colours_keep_every_mark_visible(page):
    """The founding marks are characters and the timeline's dots borders: forced colours keep
    both, where a background colour alone would vanish."""
    page.emulate_media(forced_colors='active')
    marks = page.evaluate("""Array.from(document.querySelectorAll('.mark')).map(m => [
        getComputedStyle(m, '::before').content, getComputedStyle(m).color])""")
    assert marks and all(content.startswith('"●"') for content, _ in marks)
    dots = page.evaluate("""Array.from(document.querySelectorAll('#milestones li')).map(li =>
        getComputedStyle(li, '::before').borderTopWidth)""")
    assert dots and all(width != '0px' for width in dots)


def test_no_heading_is_smaller_than_body_text(page):
    sizes = page.evaluate("""(() => {
        const body = parseFloat(getComputedStyle(document.querySelector('main section p')).fontSize);
        return [body, Array.from(document.querySelectorAll('h1, h1 *, h2, h3')).filter(e => e.checkVisibility())
            .map(e => [e.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(e).fontSize)])];
    })()""")
    body, headings = sizes
    assert [text for text, size in headings if size < body] == []


def test_every_handout_is_valid_html(request):
    """The Nu checker on the three editions' handouts at once (one Java start, not three)."""
    if not shutil.which('java'):
        pytest.skip('Java is not installed')
    if not VNU.is_file():
        pytest.skip(f'vnu.jar is not at {VNU} (npm install vnu-jar, or set VNU_JAR)')
    handouts = [handout(request, edition) for edition in ('en', 'fr', 'ja')]
    result = subprocess.run(
        ['java', '-jar', str(VNU), '--format', 'json', *map(str, handouts)], capture_output=True, text=True
    )
    messages = json.loads(result.stderr)['messages']
    assert {message['url'] for message in messages} <= {path.as_uri() for path in handouts}
    assert [message for message in messages if message['type'] == 'error'] == []
    assert result.returncode == 0


def test_printing_gives_at_most_three_full_pages_and_no_stranded_heading(browser, built, tmp_path):
    import re

    page = browser.new_page()
    page.goto((built.out / 'isecg-15.html').as_uri())
    headings = page.evaluate("Array.from(document.querySelectorAll('h1, h2, h3')).map(h => h.textContent)")
    page.pdf(path=tmp_path / 'printed.pdf', format='A4')
    page.close()
    bbox = subprocess.run(['pdftotext', '-bbox', str(tmp_path / 'printed.pdf'), '-'], capture_output=True, text=True)
    pages = re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', bbox.stdout, re.S)
    assert 1 <= len(pages) <= 3
    for height, words in pages:
        boxes = [(float(y1), word) for y1, word in re.findall(r'yMax="([\d.]+)">([^<]*)</word>', words)]
        bottom = max(y1 for y1, _ in boxes)
        assert bottom > float(height) / 3  # no page less than a third full
        last_line = ' '.join(word for y1, word in boxes if y1 > bottom - 2)
        assert not any(' '.join(h.split()) == last_line for h in headings), last_line


@pytest.mark.parametrize('edition', ['en', 'fr', 'ja'])
def test_on_a_phone_the_handout_scrolls_like_a_fact_sheet(request, browser, edition):
    """At 390 px the whole handout, map included, is at most 6,000 px tall: members two a
    row, each milestone's date beside its words."""
    page = browser.new_page(viewport={'width': 390, 'height': 800})
    page.goto(handout(request, edition).as_uri())
    height = page.evaluate('document.documentElement.scrollHeight')
    columns = page.evaluate(
        "getComputedStyle(document.querySelector('.agencies')).gridTemplateColumns.split(' ').length"
    )
    page.close()
    assert height <= 6000 and columns == 2
