"""The fact sheet's PDF: its page CSS (paper, bleed, marks, density steps), WeasyPrint's
options for a tagged PDF/UA-1 or PDF/A-3a, a URL fetcher that reads only the project's
files, and the layout search that picks each page's density step (layout.fit)."""

import base64
import datetime
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import press, project
from .colours import read_palette
from .derive import Facts
from .layout import STEPS, Step, fit, required_texts
from .options import Options
from .project import TEMPLATES
from .render import Rows, checked, data_uri, qr_code, render_sheet
from .schema import LANGUAGE
from .steps import Fit
from .structure import Pages

if TYPE_CHECKING:
    from weasyprint.document import Document
    from weasyprint.urls import URLFetcher, URLFetcherResponse

PAPER = {'a4': 'A4', 'letter': 'letter'}
PAPER_MM = {'a4': (210, 297), 'letter': (215.9, 279.4)}  # (width, height)
PDF_UA_XMP = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
    'pdfuaid:part="1"/></rdf:RDF>'
)


# The sections of each page: a density step sets its variables on one page's sections.
FRONT = '.band, .lede, #about, #milestones, #figures-charts'
BACK = '#members, #themes, #work, .next, #sources'


# With --print-marks: the band runs 3 mm past the trim (the bleed), on a sheet 8 mm larger
# than the trim each way, so that the crop marks, which WeasyPrint draws from the sheet's
# edge over half that margin, stand on white paper outside the bleed.
BLEED_MM, SHEET_MM = 3, 8


def page_css(options: Options, paper: str, front: Step = STEPS[0], back: Step = STEPS[0], taller: float = 0) -> str:
    """The @page size, sheet and marks the command line asked for, and each page's density
    step; `taller`: a page that many mm taller than the paper (what an overflow is measured on)."""
    sheet, bleed = (f'{SHEET_MM}mm', f'{BLEED_MM}mm') if options.print_marks else ('0mm', '0mm')
    marks = 'crop' if options.print_marks else 'none'
    width, height = PAPER_MM[paper]
    size = f'{width}mm {height + taller}mm' if taller else PAPER[paper]
    return (
        (press.css() + '\n' if options.print_shop else '')
        + f'@page {{ size: {size}; bleed: {sheet}; marks: {marks}; }}\n'
        f':root {{ --bleed: {bleed}; --rings: url("{data_uri(orbit_rings())}"); }}\n'
        f'{FRONT} {{ {front.css} }}\n{BACK} {{ {back.css} }}'
    )


def orbit_rings() -> str:
    """The band's two thin orbit rings, around a point beyond the sheet's top right corner:
    an SVG of 120 x 60 mm set at the band's top right."""
    colour = read_palette()['deep-2']
    rings = ''.join(
        f'<circle cx="111.6" cy="-17" r="{radius}" fill="none" stroke="{colour}" stroke-width="0.7"/>'
        for radius in (52.35, 70.35)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="120mm" height="60mm" viewBox="0 0 120 60">{rings}</svg>'


def import_weasyprint() -> None:
    """Import WeasyPrint, its C libraries loaded by their file names. WeasyPrint tries each
    library under several names, Windows' first, and cffi hands a name without a dot to
    ctypes.util.find_library, which on Linux runs ldconfig, then gcc and ld, for each name it
    cannot find: some fifty processes and 0.2 s at every build's start. Told no for the
    time of the import, WeasyPrint goes on to the names with '.so.' (or '.dylib'), which
    load as they are."""
    import ctypes.util

    real = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library = real


def make_fetcher(roots: Sequence[Path]) -> 'URLFetcher':
    """A WeasyPrint URL fetcher that serves data: URLs and the files at or under `roots` only."""
    import mimetypes
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types: its classes are Any
        """Refuses the network, files outside the project's folders, and anything else."""

        def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> 'URLFetcherResponse':
            scheme = urlsplit(url).scheme.lower()
            if scheme == 'data':
                return super().fetch(url, headers)
            if scheme == 'file':
                path = Path(url2pathname(urlsplit(url).path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in roots):
                    return URLFetcherResponse(
                        url, path.read_bytes(), {'Content-Type': mimetypes.guess_type(path.name)[0] or ''}
                    )
            raise FatalURLFetchingError(f'refused to fetch {url[:200]}')

    return ProjectFetcher(allowed_protocols=('data', 'file'), allow_redirects=False)


def pdf_options(html: str, options: Options) -> dict[str, Any]:
    """WeasyPrint's options for the fact sheet: tagged PDF/UA-1, PDF/A-3a with --archival,
    tagged PDF/X-4 with --print-shop."""
    from weasyprint import DEFAULT_OPTIONS

    xmp = 'data:application/rdf+xml;base64,' + base64.b64encode(PDF_UA_XMP.encode()).decode()
    variant = 'pdf/x-4' if options.print_shop else 'pdf/a-3a' if options.archival else 'pdf/ua-1'
    return {
        **DEFAULT_OPTIONS,
        'pdf_variant': variant,
        'pdf_tags': not options.print_shop,  # a press file holds only what is printed (press.py)
        'pdf_identifier': hashlib.md5(html.encode()).hexdigest().encode(),
        'xmp_metadata': [xmp] if options.archival else None,
    }


def lay_out_pdf(html: str, options: Options, images: dict[str, Any] | None = None) -> 'Document':
    """WeasyPrint's layout of the fact sheet: a Document whose pages can be measured.
    `images`: WeasyPrint's image cache, kept by the caller across the layouts of one
    search, so that each chart (a data: URL) is read and parsed once, not at every layout."""
    import weasyprint

    roots = [
        TEMPLATES.resolve(),
        options.out.resolve(),
        *([project.CMYK_PROFILE.resolve()] if options.print_shop else []),
    ]
    fetcher = make_fetcher(roots)
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + '/', url_fetcher=fetcher)
    return document.render(**{**pdf_options(html, options), 'cache': images})


def render_pdf(html: str, options: Options) -> bytes:
    """The fact sheet's HTML as PDF bytes, laid out as it is."""
    return write_pdf(lay_out_pdf(html, options), html, options)


def write_pdf(
    document: 'Document', html: str, options: Options, attached: tuple[str, bytes] | None = None, year: int = 2000
) -> bytes:
    """A laid-out fact sheet as PDF bytes, carrying `attached` (the facts file: its name and
    bytes, dated 1 January of `year`, so that the same data gives the same bytes) as data
    (AFRelationship /Data, as PDF/A-3 has it); with --print-marks, each page's BleedBox says
    where the bleed ends (WeasyPrint would give the whole sheet, marks included); with
    --print-shop, what PDF/X-4 asks beyond WeasyPrint's (press.finish)."""
    import pydyf
    from weasyprint import Attachment

    attached = None if options.print_shop else attached  # a press file holds only what is printed
    chosen = pdf_options(html, options)

    def finish(_: 'Document', pdf: Any) -> None:
        points = BLEED_MM * 72 / 25.4
        for page in pdf.objects:
            if options.print_marks and isinstance(page, dict) and page.get('Type') == '/Page':
                left, bottom, right, top = page['TrimBox']
                page['BleedBox'] = type(page['TrimBox'])([left - points, bottom - points, right + points, top + points])
        if attached:  # said once (WeasyPrint's PDF/A-3 code lists it twice), for every variant
            specs: list[Any] = [o for o in pdf.objects if isinstance(o, dict) and o.get('Type') == '/Filespec']
            for spec in specs:
                spec['AFRelationship'] = '/Data'
            pdf.catalog['AF'] = pydyf.Array([spec.reference for spec in specs])
        if options.print_shop:
            press.finish(pdf, chosen['pdf_identifier'])

    files = []
    if attached:
        name, content = attached
        dated = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
        files = [
            Attachment(
                string=content.decode(),
                name=name,
                description='The facts of this fact sheet, as data (JSON)',
                created=dated,
                modified=dated,
                relationship='Data',
            )
        ]
    return cast(bytes, document.write_pdf(finisher=finish, **{**chosen, 'attachments': files}))


@dataclass(frozen=True)
class Sheet:
    """One fact sheet to make: its paper (the options' by default), the steps an earlier
    build chose for it (layout.fit's hint) and the facts file it carries (write_pdf)."""

    paper: str | None = None
    hint: Sequence[int] | None = None
    attached: tuple[str, bytes] | None = None


def render_factsheet(
    facts: Facts, svgs: Mapping[str, str], rows: Rows, options: Options, sheet: Sheet = Sheet()
) -> tuple[bytes, Fit, int]:
    """The fact sheet's PDF bytes at the roomiest density steps that fit each page, those
    steps and the page count."""
    paper, hint = sheet.paper, sheet.hint
    drawn = press.black_ink({**svgs, 'qr': qr_code(facts['org']['site']['url'])}) if options.print_shop else svgs

    unchecked = [True]
    images: dict[str, Any] = {}  # the charts, read once for every layout

    def html_of(front: Step, back: Step, taller: float = 0) -> str:
        css = page_css(options, paper or options.paper, front, back, taller)
        return render_sheet(facts, drawn, rows, options.modified, css, back.members)

    def lay_out(front: Step, back: Step, taller: float = 0) -> tuple[str, 'Document']:
        html = html_of(front, back, taller)
        if unchecked:  # no step changes the structure: checked once, on the first layout
            checked(html, 'the fact sheet')
            unchecked.clear()
        return html, lay_out_pdf(html, options, images)

    apart = Pages(html_of(STEPS[-1], STEPS[-1]), FRONT, BACK, 'members').apart  # each page's step its own
    steps, html, document = fit(
        lay_out, html_of if apart else None, required_texts(facts), hint=hint, figures=list(svgs)
    )
    year = facts['values']['anniversary_year']
    return write_pdf(document, html, options, sheet.attached, year), steps, len(document.pages)


def warm_up(data: Path) -> str:
    """A page that loads the fonts, fills WeasyPrint's caches and loads the hyphenation
    dictionary of each language the data has words for (words/<language>.yaml; a word
    hyphenated in a column one letter wide), before the real job arrives."""
    try:
        names = sorted(path.stem for path in (data / 'words').glob('*.yaml'))
    except OSError:
        names = []
    languages = [name for name in names if re.fullmatch(LANGUAGE['pattern'], name)]  # as the schema has codes
    hyphenated = ''.join(f'<p lang="{language}">hyphenation</p>' for language in languages)
    return (
        '<style>p { font-family: Noto Sans; hyphens: auto; width: 1em }</style>'
        f'<p>Noto <b>Sans</b> <i>Italic</i></p>{hyphenated}'
    )
