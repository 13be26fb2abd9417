"""Print production: PDF/UA tagging, paper sizes, bleed and crop marks, PDF/A, reproducibility."""

import os
import re
import shutil
import statistics
import subprocess
import sys

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import ROOT
from factsheet.colours import read_palette

MM = 72 / 25.4
PAINTING = {b'Tj', b'TJ', b"'", b'"', b'Do', b'f', b'F', b'f*', b'S', b's', b'B', b'B*', b'b', b'b*', b'sh'}
needs_poppler = pytest.mark.skipif(not shutil.which('pdftoppm'), reason='poppler-utils (pdftoppm) is not installed')


@pytest.fixture(scope='module')
def reader(built):
    return PdfReader(built.pdf)


def structure(node, found=None):
    """Every structure element under node, as (type, element), in reading order."""
    found = [] if found is None else found
    node = node.get_object()
    if '/S' in node:
        found.append((node['/S'], node))
    kids = node.get('/K', [])
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, 'get_object') else kid
        if isinstance(kid, dict) and '/S' in kid or isinstance(kid, dict) and '/K' in kid:
            structure(kid, found)
    return found


def test_declares_pdf_ua_1_and_shows_its_title(reader):
    root = reader.trailer['/Root']
    assert root['/MarkInfo']['/Marked'] == True  # noqa: E712 - a PDF boolean object
    assert root['/ViewerPreferences']['/DisplayDocTitle'] == True  # noqa: E712
    assert root['/Lang'] == 'en'
    xmp = root['/Metadata'].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert '<rdf:li xml:lang="x-default">ISECG: 15 years of coordinated space exploration</rdf:li>' in xmp


def test_structure_tree_in_reading_order(reader):
    elements = structure(reader.trailer['/Root']['/StructTreeRoot'])
    kinds = [kind for kind, _ in elements]
    headings = [kind for kind in kinds if re.fullmatch(r'/H\d', kind)]
    assert headings[0] == '/H1' and headings.count('/H1') == 1
    assert kinds.index('/H1') < kinds.index('/Figure') < kinds.index('/H3')
    assert kinds.count('/L') >= 8 and kinds.count('/Link') >= 7


def test_every_chart_is_a_figure_with_its_alt_text(reader, built):
    figures = [element for kind, element in structure(reader.trailer['/Root']['/StructTreeRoot']) if kind == '/Figure']
    alts = [figure['/Alt'] for figure in figures]
    html_alts = re.findall(r'<img src="data:[^"]*" alt="([^"]*)">', built.html)
    assert len(html_alts) == 3 and alts[:3] == html_alts
    # then the founding agencies' marks: their meaning travels as alternative text, not hidden text
    assert len(alts) == 3 + 14 + 1 and all(alt.startswith('Founding agency') for alt in alts[3:-1])
    assert alts[-1] == 'ISECG online: QR code for https://www.globalspaceexploration.org/'
    assert 'Founding agency, then BNSC' in alts


def test_no_untagged_content(reader):
    for page in reader.pages:
        depth = untagged = 0
        for _, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b'BDC', b'BMC'):
                depth += 1
            elif operator == b'EMC':
                depth -= 1
            elif operator in PAINTING and depth == 0:
                untagged += 1
        assert untagged == 0


def test_fonts_are_subset(reader):
    for page in reader.pages:
        for font in page['/Resources']['/Font'].values():
            assert re.fullmatch(r'/[A-Z]{6}\+Noto-Sans(-Bold|-Italic)?', font.get_object()['/BaseFont'])


def pdf_text_boxes(pdf):
    """(page width, page height, [(xmin, ymin, xmax, ymax, word)]) for each page, in points."""
    html = subprocess.run(['pdftotext', '-bbox', str(pdf), '-'], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.S):
        words = [
            tuple(map(float, word[:4])) + (word[4],)
            for word in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page[2]
            )
        ]
        pages.append((float(page[0]), float(page[1]), words))
    return pages


@needs_poppler
@pytest.mark.parametrize(
    'build, name, size',
    [  # A4 is the default paper (the session's build); Letter is in the session's --all build
        pytest.param('built', 'isecg-15.pdf', (210, 297), id='a4'),
        pytest.param('every_edition', 'isecg-15.en.letter.pdf', (215.9, 279.4), id='letter', marks=pytest.mark.slow),
    ],
)
def test_each_paper_gives_two_full_pages_with_nothing_clipped(request, build, name, size):
    session = request.getfixturevalue(build)
    pdf = session.out / name
    assert session.stderr == ''
    pages = pdf_text_boxes(pdf)
    assert len(pages) == 2
    for width, height, words in pages:
        assert (round(width / MM, 1), round(height / MM, 1)) == size
        assert len(words) > 150
        safe = 5 * MM  # every word stays at least 5 mm inside the sheet's edges
        for xmin, ymin, xmax, ymax, word in words:
            assert safe <= xmin and xmax <= width - safe, word
            assert safe <= ymin and ymax <= height - safe, word
    text = ' '.join(word for _, _, words in pages for *_, word in words)
    assert 'VNSC' in text and 'Sources' in text and 'Milestones to scale.' in text


@needs_poppler
def test_pages_render_and_are_not_blank(built, tmp_path):
    from PIL import Image

    subprocess.run(['pdftoppm', '-png', '-r', '40', str(built.pdf), str(tmp_path / 'page')], check=True)
    pages = sorted(tmp_path.glob('page-*.png'))
    assert len(pages) == 2
    for page in pages:
        grey = list(Image.open(page).convert('L').tobytes())
        assert statistics.pstdev(grey) > 20
        assert sum(1 for value in grey if value < 250) > len(grey) * 0.10  # ink on a tenth of the sheet
        assert sum(1 for value in grey if value < 128) > len(grey) * 0.01  # and some of it dark


@needs_poppler
@pytest.mark.slow
def test_print_marks_stand_on_white_paper_outside_the_bleed(project, tmp_path, built):
    """3 mm of bleed for the band, on a sheet 8 mm larger than the trim each way; a crop mark
    at every corner of both pages, in the sheet's margin, with white paper around it."""
    from PIL import Image

    project.start_from(built)  # the screen PDF's steps are the print file's hint

    assert project.run('--print-marks', '--only', 'pdf')[0] == 0
    dpi = 150
    subprocess.run(
        ['pdftoppm', '-png', '-r', str(dpi), str(project.out / 'isecg-15.print.pdf'), str(tmp_path / 'page')],
        check=True,
    )
    px = dpi / 25.4  # pixels a millimetre
    deep = tuple(int(read_palette()['deep'][i : i + 2], 16) for i in (1, 3, 5))
    for number, path in enumerate(sorted(tmp_path.glob('page-*.png'))):
        page = PdfReader(project.out / 'isecg-15.print.pdf').pages[number]
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert (round(float(trim.width) / MM), round(float(trim.height) / MM)) == (210, 297)
        assert round((float(bleed.width) - float(trim.width)) / MM / 2, 1) == 3.0
        assert round((float(media.width) - float(trim.width)) / MM / 2, 1) == 8.0
        image = Image.open(path).convert('RGB')
        width, height = image.size

        def darkest(x, y, image=image):
            """The darkest pixel around a point: a hairline's, where one is."""
            return min(sum(image.getpixel((x + dx, y + dy))) / 3 for dx in (-1, 0, 1) for dy in (-1, 0, 1))

        for right in (False, True):
            for bottom in (False, True):
                corner = f'page {number + 1}, {"bottom" if bottom else "top"} {"right" if right else "left"}'
                trim_x = round((width - 8 * px) if right else 8 * px)
                trim_y = round((height - 8 * px) if bottom else 8 * px)
                out_x = round(2 * px if not right else width - 2 * px)  # 2 mm from the sheet's edge
                out_y = round(2 * px if not bottom else height - 2 * px)
                assert darkest(trim_x, out_y) < 100, f'{corner}: the mark on the trim line, across'
                assert darkest(out_x, trim_y) < 100, f'{corner}: the mark on the trim line, down'
                assert image.getpixel((out_x, out_y)) == (255, 255, 255), f'{corner}: white around the marks'
                inner = (
                    round(4.5 * px if not right else width - 4.5 * px),
                    round(4.5 * px if not bottom else height - 4.5 * px),
                )
                assert image.getpixel(inner) == (255, 255, 255), f'{corner}: nothing between bleed and marks'
    # the band runs into the bleed: 1.5 mm outside the trim, top left, on page 1
    first = Image.open(sorted(tmp_path.glob('page-*.png'))[0]).convert('RGB')
    assert first.getpixel((round(6.5 * px), round(6.5 * px))) == deep


@pytest.mark.slow
def test_archival_pdf_is_pdf_a_3a_and_still_pdf_ua(project, built):
    project.start_from(built)  # the screen PDF's steps are the archive's hint
    code, _, stderr = project.run('--archival', '--only', 'pdf')
    assert code == 0 and stderr == ''
    assert (project.out / 'isecg-15.pdf').read_bytes() == built.pdf.read_bytes()  # the archive has a name of its own
    root = PdfReader(project.out / 'isecg-15.archive.pdf').trailer['/Root']
    xmp = root['/Metadata'].get_object().get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    assert 'pdfuaid:part="1"' in xmp
    assert '/OutputIntents' in root and '/StructTreeRoot' in root


@pytest.mark.fresh_layouts  # two processes' builds compared: each makes every step
@pytest.mark.slow
def test_two_builds_in_separate_processes_are_byte_identical(project, tmp_path, built):
    subprocess.run(
        [sys.executable, str(ROOT / 'build.py'), '--data', str(project.data), '--out', str(tmp_path / 'second')],
        check=True,
        capture_output=True,
    )
    outputs = [
        {path.relative_to(out): path.read_bytes() for path in out.rglob('*') if path.is_file()}
        for out in (built.out, tmp_path / 'second')  # the session's build, made in a test worker's process
    ]
    # the facts file, three charts, the handout, its card, the fact sheet, the manifest, the state, the lock
    assert len(outputs[0]) == 10
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_source_date_epoch_sets_the_modification_date(project, built):
    project.start_from(built)
    os.environ['SOURCE_DATE_EPOCH'] = '1700000000'
    try:
        assert project.run()[0] == 0
    finally:
        del os.environ['SOURCE_DATE_EPOCH']
    assert (
        '<meta name="dcterms.modified" content="2023-11-14T22:13:20Z">' in (project.out / 'isecg-15.html').read_text()
    )
    info = PdfReader(project.out / 'isecg-15.pdf').metadata
    assert info['/ModDate'].startswith('D:20231114221320')
    assert info['/CreationDate'].startswith('D:2022')


@needs_poppler
def test_pdfium_and_poppler_draw_the_pages_alike(built, tmp_path):
    """Chrome's and Edge's viewer (pdfium) and poppler agree region by region: a gradient with
    hard stops once gave the band a lighter blue and a dark disc in pdfium alone. At 80 dpi,
    so that a shape placed half a pixel apart by the two engines does not count."""
    pdfium = pytest.importorskip('pypdfium2', reason='pypdfium2 is not installed')
    from PIL import Image, ImageStat

    document = pdfium.PdfDocument(built.pdf)
    for number in range(len(document)):
        ours = document[number].render(scale=80 / 72).to_pil().convert('L')
        subprocess.run(
            [
                'pdftoppm',
                '-png',
                '-r',
                '80',
                '-f',
                str(number + 1),
                '-l',
                str(number + 1),
                '-singlefile',
                str(built.pdf),
                str(tmp_path / 'page'),
            ],
            check=True,
        )
        theirs = Image.open(tmp_path / 'page.png').convert('L')
        width, height = min(ours.width, theirs.width), min(ours.height, theirs.height)
        for y in range(0, height - 40, 40):  # cells of 40 px: 12.7 mm
            for x in range(0, width - 40, 40):
                cell = (x, y, x + 40, y + 40)
                a, b = (ImageStat.Stat(image.crop(cell)).mean[0] for image in (ours, theirs))
                assert abs(a - b) < 15, (number + 1, cell, a, b)


@needs_poppler
def test_the_qr_code_on_the_back_page_leads_to_the_forum(built, tmp_path):
    zxingcpp = pytest.importorskip('zxingcpp', reason='zxing-cpp is not installed')
    from PIL import Image

    subprocess.run(
        ['pdftoppm', '-png', '-r', '110', '-f', '2', '-l', '2', '-singlefile', str(built.pdf), str(tmp_path / 'back')],
        check=True,
    )
    page = Image.open(tmp_path / 'back.png')
    assert [code.text for code in zxingcpp.read_barcodes(page)] == ['https://www.globalspaceexploration.org/']
