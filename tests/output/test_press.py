"""--print-shop: a PDF/X-4 for a print shop, read with pikepdf and checked with tools that
are not WeasyPrint (qpdf, Ghostscript, poppler's pdffonts)."""

import json
import re
import shutil
import subprocess

import pytest

from factsheet import press as shop
from factsheet import project as paths
from factsheet.colours import read_palette

pikepdf = pytest.importorskip('pikepdf')
pytestmark = pytest.mark.slow  # the print shop's PDF is laid out of its own
MM = 72 / 25.4
COLOURS = {'rg', 'RG', 'k', 'K', 'g', 'G', 'sc', 'SC', 'scn', 'SCN', 'cs', 'CS'}


def tool(name):
    return pytest.mark.skipif(not shutil.which(name), reason=f'{name} is not installed')


@pytest.fixture(scope='module')
def sheet(press):
    with pikepdf.open(press.pdf) as pdf:
        yield pdf


def test_says_it_is_pdf_x_4_in_its_xmp_and_is_not_trapped(sheet, press):
    assert press.stderr == ''  # no warning: WeasyPrint took the profile and every colour
    assert sheet.pdf_version == '1.6'
    xmp = sheet.Root.Metadata.read_bytes().decode()
    assert '<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>' in xmp
    assert '<pdf:Trapped>False</pdf:Trapped>' in xmp and sheet.docinfo['/Trapped'] == '/False'
    for key in ('/Title', '/CreationDate', '/ModDate'):
        assert str(sheet.docinfo[key])
    assert len(sheet.trailer.ID) == 2


def test_its_output_intent_names_a_printing_condition_with_its_cmyk_profile(sheet):
    (intent,) = sheet.Root.OutputIntents
    assert intent.S == '/GTS_PDFX'
    assert str(intent.OutputConditionIdentifier) == 'CGATS TR 001'
    assert str(intent.RegistryName) == 'http://www.color.org'
    assert str(intent.Info) == 'Artifex CMYK SWOP Profile'  # the profile's own name
    profile = intent.DestOutputProfile
    assert profile.N == 4
    icc = profile.read_bytes()
    assert icc[12:20] == b'prtrCMYK'  # an output profile, of CMYK
    assert b'Artifex CMYK SWOP Profile' in icc


def test_every_page_has_its_trim_and_bleed(sheet):
    for page in sheet.pages:
        trim, bleed, media = (
            [float(value) for value in page.obj[key]] for key in ('/TrimBox', '/BleedBox', '/MediaBox')
        )
        assert [round(value / MM, 1) for value in trim] == [0, 0, 210.0, 297.0]
        assert [round((b - t) / MM, 1) for b, t in zip(bleed, trim, strict=True)] == [-3, -3, 3, 3]
        assert [round((m - t) / MM, 1) for m, t in zip(media, trim, strict=True)] == [-8, -8, 8, 8]


def resources_of(sheet):
    """Every resource dictionary of the pages and of the forms they draw."""
    for page in sheet.pages:
        yield page.Resources
    for item in sheet.objects:
        if isinstance(item, pikepdf.Stream) and item.get('/Subtype') == '/Form':
            yield item.Resources


def test_every_colour_is_tagged_with_a_profile(sheet):
    """PDF/X-4 refuses DeviceRGB not tagged with a profile: DefaultRGB, an sRGB profile,
    stands in every resource dictionary the sheet's RGB colours are painted with, and every
    transparency group blends in the output intent's CMYK profile."""
    srgb = shop.srgb_profile()
    for resources in resources_of(sheet):
        default = resources.ColorSpace.DefaultRGB
        assert default[0] == '/ICCBased' and default[1].N == 3 and default[1].read_bytes() == srgb
    groups = [item.Group for item in sheet.objects if isinstance(item, pikepdf.Stream) and '/Group' in item]
    assert groups and all(group.CS[0] == '/ICCBased' and group.CS[1].N == 4 for group in groups)
    painted = {str(op.operator) for page in sheet.pages for op in pikepdf.parse_content_stream(page)}
    assert {'rg', 'RG'} & painted  # what DefaultRGB is there for
    assert not {'k', 'K'} & painted  # no untagged CMYK either: none is drawn


def test_the_text_is_printed_in_black_ink_alone(sheet):
    """Body text (the palette's ink) and the small navy words (acronyms, region names, links,
    the map's labels) in solid black, secondary text (muted) in a tint of it as light as the
    colour: four inks nowhere in them. Every text shown in the profile's CMYK is shown in
    black alone."""
    assert shop.black_text() == {'ink': 1.0, 'muted': 0.8}
    tints, text_in_rgb = [], 0
    for page in sheet.pages:
        state, saved = (None, None), []  # the fill's colour space and colour; q saves them, Q restores
        for operands, operator in pikepdf.parse_content_stream(page):
            name = str(operator)
            if name == 'q':
                saved.append(state)
            elif name == 'Q':
                state = saved.pop()
            elif name == 'cs':
                state = (str(operands[0]), None)
            elif name == 'scn':  # a colour, or a pattern's name
                named = any(isinstance(value, pikepdf.Name) for value in operands)
                state = (state[0], None if named else tuple(round(float(value), 2) for value in operands))
            elif name == 'rg':
                state = ('rgb', None)
            elif name in ('Tj', 'TJ'):
                if state[0] == '/DeviceCMYK':  # as the output intent's CMYK, which PDF/X-4 allows
                    tints.append(state[1])
                else:
                    text_in_rgb += 1
    assert len(tints) > 300 and set(tints) == {(0, 0, 0, 1.0), (0, 0, 0, 0.8)}
    assert text_in_rgb < len(tints) / 6  # the rest: headings, figures and the band's words, in navy, amber, white
    # nor is anything else (the charts' words and lines, the QR code) in those colours' RGB
    palette = read_palette()
    text_rgb = {
        tuple(round(int(palette[name][i : i + 2], 16) / 255, 3) for i in (1, 3, 5)) for name in ('ink', 'muted')
    }
    streams = [
        *sheet.pages,
        *(item for item in sheet.objects if isinstance(item, pikepdf.Stream) and item.get('/Subtype') == '/Form'),
    ]
    painted = {
        tuple(round(float(value), 3) for value in operands)
        for stream in streams
        for operands, operator in pikepdf.parse_content_stream(stream)
        if str(operator) in ('rg', 'RG')
    }
    assert painted and not painted & text_rgb


def test_a_press_file_holds_only_what_is_printed(sheet, press):
    """No links (PDF/X refuses annotations in the printed area), no tags and no attachment;
    the screen PDF keeps them. Every font is embedded."""
    assert all('/Annots' not in page.obj for page in sheet.pages)
    assert not [item for item in sheet.objects if isinstance(item, pikepdf.Dictionary) and '/URI' in repr(item)]
    assert '/StructTreeRoot' not in sheet.Root and not sheet.attachments
    fonts = [font for page in sheet.pages for font in page.Resources.Font.values()]
    assert fonts
    for font in fonts:
        descriptor = (font.DescendantFonts[0] if '/DescendantFonts' in font else font).FontDescriptor
        assert {'/FontFile', '/FontFile2', '/FontFile3'} & set(descriptor.keys()), font.BaseFont
    manifest = json.loads((press.out / 'manifest.json').read_text(encoding='utf-8'))
    entry = manifest['outputs']['isecg-15.print-shop.pdf']
    assert (entry['variant'], entry['format'], entry['pages']) == ('print shop', 'PDF/X-4, print', 2)


@tool('qpdf')
def test_qpdf_finds_no_error(press):
    checked = subprocess.run(['qpdf', '--check', str(press.pdf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert 'No syntax or stream encoding errors found' in checked.stdout


@tool('pdffonts')
def test_poppler_lists_every_font_as_embedded(press):
    listed = subprocess.run(['pdffonts', str(press.pdf)], capture_output=True, text=True, check=True).stdout
    rows = listed.splitlines()[2:]
    assert rows and all(re.search(r'\byes yes yes\b', row) for row in rows), listed


@tool('gs')
def test_ghostscript_prints_both_pages_in_cmyk_ink_without_an_error_or_a_warning(press):
    """Ghostscript, stopping on any error or warning, separates each page into its four
    inks (ink_cov: the share of the page each ink covers, in %): both pages carry ink, and
    black most of all on the back page, whose text is in black alone."""
    inked = subprocess.run(
        ['gs', '-q', '-dNOPAUSE', '-dBATCH', '-dSAFER', '-dPDFSTOPONERROR', '-dPDFSTOPONWARNING']
        + ['-dUsePDFX3Profile', '-sDEVICE=ink_cov', '-o', '-', str(press.pdf)],
        capture_output=True,
        text=True,
    )
    assert inked.returncode == 0 and inked.stderr == '', inked.stderr
    pages = [line.split() for line in inked.stdout.splitlines() if line.strip().endswith('CMYK OK')]
    assert len(pages) == 2
    coverage = [[float(value) for value in page[:4]] for page in pages]
    assert all(sum(page) > 10 for page in coverage), coverage
    assert max(coverage[1]) == coverage[1][3], coverage


def test_print_shop_and_archival_exclude_each_other(project, capsys):
    assert project.run('--print-shop', '--archival')[0] == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert error == 'build.py: error: argument --archival: not allowed with argument --print-shop'


def test_without_its_profile_it_says_which_package_and_touches_nothing(project, press, monkeypatch):
    from conftest import snapshot, start_from

    start_from(press, project.out)
    before = snapshot(project.out)
    monkeypatch.setattr(paths, 'CMYK_PROFILE', project.out / 'no-such-profile.icc')
    code, stdout, stderr = project.run('--print-shop', '--force')
    assert code == 1 and stdout == ''
    assert stderr == (
        f'build.py: --print-shop needs the CMYK profile {project.out / "no-such-profile.icc"}: '
        'install it with apt-get install libgs-common\n'
    )
    assert snapshot(project.out) == before
    (project.out / 'not-a-profile.icc').write_bytes(b'\0' * 200)
    monkeypatch.setattr(paths, 'CMYK_PROFILE', project.out / 'not-a-profile.icc')
    before = snapshot(project.out)
    code, stdout, stderr = project.run('--print-shop', '--force')
    assert code == 1 and stderr == (
        f'build.py: --print-shop needs the CMYK profile {project.out / "not-a-profile.icc"}: that file is not '
        'an ICC profile of a CMYK printer; reinstall it with apt-get install --reinstall libgs-common\n'
    )
    assert snapshot(project.out) == before


def test_another_cmyk_profile_rebuilds_the_print_shop_pdf_alone(project, press, monkeypatch, tmp_path):
    """The profile is an input of the print-shop PDF: a libgs-common upgrade that changes it
    remakes that PDF, and only it (the handout and the charts do not read it)."""
    from conftest import start_from

    start_from(press, project.out)
    profile = tmp_path / 'profile.icc'
    profile.write_bytes(paths.CMYK_PROFILE.read_bytes())
    monkeypatch.setattr(paths, 'CMYK_PROFILE', profile)
    assert project.run('--print-shop', '--only', 'pdf')[0] == 0  # a profile at another path: its name is read too
    assert 'nothing to do' in project.run('--print-shop', '--only', 'pdf')[1]
    profile.write_bytes(profile.read_bytes()[:-1] + b'\1')  # one byte of its tags changed
    code, stdout, _ = project.run('--print-shop', '--only', 'pdf')
    assert code == 0
    assert [line.split()[1].rsplit('/', 1)[-1] for line in stdout.splitlines() if line.startswith('wrote ')] == [
        'isecg-15.print-shop.pdf',
        'manifest.json',
    ]


@pytest.mark.fresh_layouts  # two layouts of the same sheet, compared
def test_the_same_sheet_gives_the_same_bytes(project, press, monkeypatch):
    """With SOURCE_DATE_EPOCH, two builds give one PDF/X, byte for byte: its document id
    comes from the document (WeasyPrint would draw one at random)."""
    from conftest import start_from

    monkeypatch.setenv('SOURCE_DATE_EPOCH', '1700000000')
    made = []
    for name in ('first', 'second'):
        project.out = project.out.parent / name
        start_from(press, project.out)
        assert project.run('--print-shop', '--only', 'pdf', '--force')[0] == 0
        made.append((project.out / 'isecg-15.print-shop.pdf').read_bytes())
    assert made[0] == made[1]
    assert b'xmp.did:' in made[0] and b'<xmp:ModifyDate>2023-11-14T22:13:20Z</xmp:ModifyDate>' in made[0]
