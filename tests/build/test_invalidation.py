"""Invalidation: every input and option rebuilds exactly the outputs that depend on it,
in one output folder, by the command line and under --watch."""

import os
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from conftest import outputs

HTML, PDF, CARD = 'isecg-15.html', 'isecg-15.pdf', 'isecg-15.card.png'
TIMELINE, MAP, MEMBERSHIP = 'charts/timeline.svg', 'charts/map.svg', 'charts/membership.svg'
MANIFEST = 'manifest.json'  # lists the documents with their digests: rewritten with them
CHARTS, DOCUMENTS = {TIMELINE, MAP, MEMBERSHIP}, {HTML, PDF, MANIFEST}
A4, LETTER, MM = (595.28, 841.89), (612, 792), 72 / 25.4


def factsheet_module(copy):
    """A module of the factsheet/ package (the first by name)."""
    modules = (copy.root / 'factsheet').glob('*.py')
    return min(str(path.relative_to(copy.root)) for path in modules if path.name != '__init__.py')


def shows(out, texts):
    """Assert each output shows its text (the PDF's as extracted, the others' as written)."""
    for name, text in texts.items():
        if name == PDF:
            shown = ' '.join(' '.join(page.extract_text().split()) for page in PdfReader(out / PDF).pages)
        else:
            shown = (out / name).read_text(encoding='utf-8')
        assert text in shown, name


# --- Inputs ---------------------------------------------------------------------

EDITS = {  # file, old text, new text, the outputs whose bytes change, text each then shows
    'page template': (
        'templates/page.html.j2',
        '<body>\n',
        '<body>\n<p>Invalidation marker</p>\n',
        DOCUMENTS,
        {HTML: '<p>Invalidation marker</p>', PDF: 'Invalidation marker'},
    ),
    'colour table': (
        'templates/colours.toml',
        'deep = "#0b1f3a"',
        'deep = "#401010"',  # as legible as the navy: the build checks every pair
        DOCUMENTS | {MAP, MEMBERSHIP, CARD},  # the timeline draws no founding members
        {HTML: '--colour-deep: #401010;', MAP: 'fill: #401010', MEMBERSHIP: 'fill: #401010'},
    ),
    'handout style': (
        'templates/handout.css',
        'a { color: var(--colour-deep);',
        'a { color: var(--colour-ink);',  # a colour of the table: one of its own is an error
        {HTML, MANIFEST},
        {HTML: 'a { color: var(--colour-ink);'},
    ),
    'fact sheet style': (
        'templates/factsheet.css',
        'a { color: var(--colour-deep);',
        'a { color: var(--colour-ink);',
        {PDF, MANIFEST},
        {},
    ),
    'chart module': (
        'charts/map.py',
        'fontsize=7.5,',
        'fontsize=11,',
        {MAP} | DOCUMENTS,
        {MAP: 'font-size: 11px'},
    ),
    # every chart reads the style and is drawn again; the timeline, which places itself
    # (no layout engine), comes out the same
    'chart style': ('charts/isecg.mplstyle', 'w_pad: 0.02', 'w_pad: 0.2', CHARTS - {TIMELINE} | DOCUMENTS, {}),
    'words': (
        'data/words/en.yaml',
        'milestones: "Milestones"',
        'milestones: "Milestones so far"',
        DOCUMENTS,
        {HTML: '<h2>Milestones so far</h2>', PDF: 'Milestones so far'},
    ),
}


@pytest.mark.parametrize('name, old, new, changed, texts', EDITS.values(), ids=EDITS)
@pytest.mark.slow
def test_an_input_edit_rebuilds_what_reads_it(built_copy, name, old, new, changed, texts):
    built_copy.edit(name, old, new)
    written, result = built_copy.rebuild()
    assert written == changed, result.stdout
    shows(built_copy.out, texts)


def code_edit_rerenders_everything(copy, name):
    """A comment appended to a code module: every output is rendered again, to the same bytes."""
    copy.append(name, '\n# a harmless comment\n')
    written, result = copy.rebuild()
    assert 'nothing to do' not in result.stdout
    assert result.stdout.count('unchanged ') == 7, result.stdout  # every output: the facts, 3 charts, 3 documents
    assert written == set()


@pytest.mark.slow
def test_editing_build_py_rerenders_every_output(built_copy):
    code_edit_rerenders_everything(built_copy, 'build.py')


@pytest.mark.slow
def test_editing_a_factsheet_module_rerenders_every_output(built_copy):
    code_edit_rerenders_everything(built_copy, factsheet_module(built_copy))


# --- Options --------------------------------------------------------------------


def mediabox(path):
    return {
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) for page in PdfReader(path).pages
    }


def check_letter(out):
    assert mediabox(out / 'isecg-15.letter.pdf') == {LETTER}
    assert 'href="isecg-15.letter.pdf"' in (out / HTML).read_text()  # the handout links the PDF on its paper


PRINT, ARCHIVE, PRINT_SHOP = 'isecg-15.print.pdf', 'isecg-15.archive.pdf', 'isecg-15.print-shop.pdf'


def check_print_marks(out):
    ((width, height),) = mediabox(out / PRINT)
    assert (round((width - A4[0]) / MM), round((height - A4[1]) / MM)) == (16, 16)  # 8 mm of sheet around


def check_archival(out):
    assert 'pdfaid:part="3"' in metadata(out / ARCHIVE)


def check_print_shop(out):
    ((width, height),) = mediabox(out / PRINT_SHOP)
    assert (round((width - A4[0]) / MM), round((height - A4[1]) / MM)) == (16, 16)
    assert '<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>' in metadata(out / PRINT_SHOP)


def metadata(path):
    return PdfReader(path).trailer['/Root']['/Metadata'].get_object().get_data().decode()


def check_source_date(out):
    assert PdfReader(out / PDF).metadata['/ModDate'].startswith('D:20231114221320')
    assert '<meta name="dcterms.modified" content="2023-11-14T22:13:20Z">' in (out / HTML).read_text()


LETTER_PDF = 'isecg-15.letter.pdf'
# The option, the outputs it writes, the check, the file it adds beside the others (kept when
# switched back), and what switching back writes.
OPTIONS = {
    'paper letter': (['--paper', 'letter'], {}, {LETTER_PDF, HTML, MANIFEST}, check_letter, LETTER_PDF, {HTML}),
    'print marks': (['--print-marks'], {}, {PRINT, MANIFEST}, check_print_marks, PRINT, set()),
    'archival': (['--archival'], {}, {ARCHIVE, MANIFEST}, check_archival, ARCHIVE, set()),
    'print shop': (['--print-shop'], {}, {PRINT_SHOP, MANIFEST}, check_print_shop, PRINT_SHOP, set()),
    'SOURCE_DATE_EPOCH': ([], {'SOURCE_DATE_EPOCH': '1700000000'}, DOCUMENTS, check_source_date, None, DOCUMENTS),
}


@pytest.mark.parametrize('args, env, changed, check, variant, back', OPTIONS.values(), ids=OPTIONS)
@pytest.mark.slow
def test_an_option_switched_and_back_in_one_output_folder(
    project, built, monkeypatch, args, env, changed, check, variant, back
):
    """Switched and back, an option leaves the outputs as they were; a PDF variant (print,
    archive) is a file of its own that the screen PDF's build leaves in place, and listed."""
    project.start_from(built)
    default = outputs(project.out)
    assert mediabox(project.out / PDF) == {A4}
    monkeypatch.delenv('SOURCE_DATE_EPOCH', raising=False)
    with monkeypatch.context() as switched:
        for name, value in env.items():
            switched.setenv(name, value)
        written, stdout = rebuilt(project, *args)
    assert written == changed, stdout
    check(project.out)
    written, stdout = rebuilt(project)
    assert written == back | ({MANIFEST} if back else set()), stdout  # a variant's file stays, listed
    after = outputs(project.out)
    if variant:
        assert after.pop(variant) and variant in after.pop(MANIFEST).decode()
        default.pop(MANIFEST)
    assert after == default


def rebuilt(project, *args):  # build in this process: the outputs whose bytes changed, and what it printed
    before = outputs(project.out)
    code, stdout, stderr = project.run(*args)
    assert code == 0, stderr
    after = outputs(project.out)
    return {name for name in after if before.get(name) != after[name]}, stdout


# --- Watch mode -----------------------------------------------------------------


@pytest.fixture
def watching(built_copy, running):
    """build.py --watch running in the built copy, after its first build (nothing to do)."""
    copy = built_copy
    watch = running(copy.command('--watch'), copy.root)
    watch.wait_for('rebuilt after start')
    return SimpleNamespace(copy=copy, watch=watch)


@pytest.mark.slow
def test_watch_rebuilds_what_each_edit_reads(watching):
    copy, watch = watching.copy, watching.watch
    for edit in ('page template', 'fact sheet style', 'chart module', 'words'):
        name, old, new, changed, texts = EDITS[edit]
        before = copy.outputs()
        copy.edit(name, old, new)
        watch.wait_for(f'rebuilt after {name}')
        after = copy.outputs()
        assert {output for output in after if after[output] != before[output]} == changed, edit
        shows(copy.out, texts)
    assert watch.stop() == 0


def restarts_on_code_edit(watching, name):
    """A code module edited under --watch: the process restarts, then builds again."""
    before = watching.copy.outputs()
    watching.copy.append(name, '\n# a harmless comment\n')
    lines = watching.watch.wait_for('rebuilt after start')
    assert any(re.search('changed: restarting', line) for line in lines), lines
    assert watching.copy.outputs() == before
    assert watching.watch.stop() == 0


@pytest.mark.slow
def test_watch_restarts_after_build_py_changes(watching):
    restarts_on_code_edit(watching, 'build.py')


@pytest.mark.slow
def test_watch_restarts_after_a_factsheet_module_changes(watching):
    restarts_on_code_edit(watching, factsheet_module(watching.copy))


@pytest.mark.slow
def test_watch_survives_a_half_saved_module(watching):
    """A package module saved with a syntax error: the old program keeps running and says
    why; the fixed save restarts it."""
    copy, watch = watching.copy, watching.watch
    name = factsheet_module(copy)
    good = (copy.root / name).read_text(encoding='utf-8')
    (copy.root / name).write_text(good + '\ndef broken(:\n', encoding='utf-8')
    lines = watch.wait_for(f'{name} changed but does not compile: still running the old program')
    line = len(good.splitlines()) + 2
    assert f'{name}:{line}:12: invalid syntax' in lines
    (copy.root / name).write_text(good, encoding='utf-8')
    lines = watch.wait_for('rebuilt after start')
    assert f'{name} changed: restarting' in lines
    assert watch.stop() == 0


@pytest.mark.slow
def test_a_chart_helper_and_an_included_template_are_inputs(built_copy):
    """Every file of charts/ and templates/ counts, not only the ones the build names."""
    copy = built_copy
    (copy.root / 'charts/common.py').write_text('BAR_WIDTH = 1.2\n')
    copy.edit('charts/membership.py', 'width=1.2,', 'width=__import__("charts.common").common.BAR_WIDTH,')
    (copy.root / 'templates/note.j2').write_text('<p>Included note, first</p>\n')
    copy.edit('templates/page.html.j2', '</main>', '{% include "note.j2" %}\n</main>')
    assert copy.run().returncode == 0
    (copy.root / 'charts/common.py').write_text('BAR_WIDTH = 0.8\n')
    written, result = copy.rebuild()
    assert written == {MEMBERSHIP} | DOCUMENTS, result.stdout
    (copy.root / 'templates/note.j2').write_text('<p>Included note, second</p>\n')
    written, result = copy.rebuild()
    assert written == DOCUMENTS, result.stdout
    shows(copy.out, {HTML: 'Included note, second', PDF: 'Included note, second'})


@pytest.mark.slow
def test_watch_sees_an_edit_that_keeps_the_old_modification_time(watching):
    """Templates are reloaded when their contents change, whatever their timestamps say."""
    copy, watch = watching.copy, watching.watch
    name, old, new, _, texts = EDITS['words']  # a first edit: by its rebuild, the warm-up has run
    copy.edit(name, old, new)
    watch.wait_for(f'rebuilt after {name}')
    template = copy.root / 'templates/page.html.j2'
    times = template.stat().st_atime_ns, template.stat().st_mtime_ns
    copy.edit('templates/page.html.j2', '</main>', '<p>Same time, new words</p>\n</main>')
    os.utime(template, ns=times)
    watch.wait_for('rebuilt after templates/page.html.j2')
    shows(copy.out, {HTML: 'Same time, new words', PDF: 'Same time, new words'})
    assert watch.stop() == 0
