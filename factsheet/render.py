"""Render: the Jinja2 template into the handout's HTML, and the fact sheet into a tagged PDF."""

import base64
import functools
import hashlib
import re
from pathlib import Path

from .colours import colour_css, read_palette
from .derive import fill
from .layout import STEPS, fit, list_columns, required_texts
from .placeholders import PLACEHOLDER
from .problems import UserError
from .project import TEMPLATES


@functools.cache
def environment():
    """The Jinja2 environment: autoescaping for every template, undefined names are errors.

    Made once per process; templates are recompiled when their file's contents change
    (not its modification time), and a forked worker inherits the compiled ones."""
    import jinja2

    class ContentLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            source, filename, _ = super().get_source(environment, template)
            return source, filename, lambda: Path(filename).read_text(encoding='utf-8') == source

    env = jinja2.Environment(
        loader=ContentLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters['fill'] = jinja2.pass_context(lambda context, text, **extra: fill(text, {**context['values'], **extra}))
    env.filters['prose'] = jinja2.pass_context(lambda context, text: prose(text, context['values']))
    env.filters['short_url'] = short_url
    return env


# The values that name something: prose is hyphenated, but never inside these.
NAMES = ('name', 'acronym', 'strategy', 'top_region')


def prose(text, values):
    """A words string filled as HTML, each name in a span that is never hyphenated."""
    from markupsafe import Markup, escape

    def value(match):
        filled = escape(str(values[match.group(1)]))
        if match.group(1) == 'strategy':  # a document's title
            return Markup('<cite class="proper">%s</cite>') % filled
        return Markup('<span class="proper">%s</span>') % filled if match.group(1) in NAMES else filled

    parts = PLACEHOLDER.split(text)  # text, name, text, name, ..., text
    return Markup('').join(
        escape(part) if i % 2 == 0 else value(PLACEHOLDER.match('{' + part + '}')) for i, part in enumerate(parts)
    )


def short_url(url):
    """A URL as shown: without https:// or a final slash, in unbreakable parts that end at a
    slash, so that a line breaks after a slash only, never after the scheme or at a hyphen."""
    from markupsafe import Markup, escape

    parts = re.findall(r'[^/]+/?|/', url.removeprefix('https://').rstrip('/'))
    return Markup('').join(Markup('<span class="url-part">%s</span>') % escape(part) for part in parts)


CARDS_A_ROW = 7  # member cards a row in the fact sheet's grid (factsheet.css's --cards)


def render_handout(facts, svgs, rows, modified=None, links=None):
    """The handout's HTML. `modified` (an ISO date, from SOURCE_DATE_EPOCH) becomes its
    modification date; without it, it carries only the edition year, so that builds are
    reproducible. `links`: its PDF and the other languages' handouts (editions.py)."""
    slug = facts['slug']
    links = links or {'pdf': f'{slug}.pdf', 'letter': None, 'self': f'{slug}.html', 'others': []}
    return checked(render(facts, svgs, rows, 'handout', {'modified': modified, 'links': links}), 'the handout')


def render_sheet(facts, svgs, rows, modified=None, page_css='', members='cards'):
    """The fact sheet's HTML, laid out by WeasyPrint: `page_css` sets the paper and each
    page's density step, `members` how the member agencies are shown (the step's)."""
    from markupsafe import Markup

    slug = facts['slug']
    return render(
        facts,
        svgs,
        rows,
        'factsheet',
        {
            'modified': modified,
            'links': {'pdf': f'{slug}.pdf', 'letter': None, 'self': f'{slug}.html', 'others': []},
            'page_css': Markup(page_css),
            'members_layout': members,
            'region_columns': list_columns(facts['regions']) if members == 'list' else [facts['regions']],
        },
    )


def render(facts, svgs, rows, target, placed):
    """One document's HTML from the template: the facts, the charts (`svgs`, and `rows` for
    their tables), the target ('handout' or 'factsheet') and what render_handout() or
    render_sheet() place around them."""
    import jinja2
    from markupsafe import Markup

    css = {name: Markup((TEMPLATES / f'{name}.css').read_text(encoding='utf-8')) for name in ('theme', target)}
    css['theme'] = Markup(colour_css(('light', 'dark') if target == 'handout' else ('light',))) + '\n' + css['theme']
    images = {name: data_uri(svg) for name, svg in {**svgs, 'mark': founding_mark()}.items()}
    if target == 'factsheet':
        images['qr'] = qr_code(facts['org']['site']['url'])
    defaults = {'page_css': Markup(''), 'members_layout': 'cards', 'region_columns': [facts['regions']]}
    try:
        template = environment().get_template('page.html.j2')
        html = template.render(
            **facts, **{**defaults, **placed}, images=images, tables=rows, css=css, target=target, cards=CARDS_A_ROW
        )
    except jinja2.TemplateError as error:
        raise UserError([template_problem(error)]) from None
    return html


def checked(html, document):
    """The document's HTML, once it keeps structure's rules; a UserError naming each broken."""
    from . import structure  # html.parser: imported only by a build that renders

    broken = structure.problems(html, document)
    if broken:
        raise UserError(broken)
    return html


def qr_code(url):
    """A vector QR code to the forum's website, dark on light, as a data: URI."""
    import segno

    return segno.make_qr(url, error='m').svg_data_uri(dark=read_palette()['ink'], light='#ffffff', border=0)


def founding_mark():
    """The founding agencies' mark: a disc in the founding members' colour."""
    colour = read_palette()['deep']
    disc = f'<circle cx="5" cy="5" r="5" fill="{colour}"/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{disc}</svg>'


def template_problem(error):
    """Where a template went wrong, as `templates/page.html.j2:41: 'valeus' is undefined`."""
    import traceback

    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith('.j2')]
    line = getattr(error, 'lineno', None) or (frames[-1].lineno if frames else 0)
    name = getattr(error, 'name', None) or (Path(frames[-1].filename).name if frames else 'page.html.j2')
    return f'templates/{name}:{line}: {error.message}'


PAPER = {'a4': 'A4', 'letter': 'letter'}
PDF_UA_XMP = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
    'pdfuaid:part="1"/></rdf:RDF>'
)


# The sections of each page: a density step sets its variables on one page's sections.
FRONT = '.band, #about, #milestones, #figures-charts'
BACK = '#members, #themes, #work, .closing, #sources'


# With --print-marks: the band runs 3 mm past the trim (the bleed), on a sheet 8 mm larger
# than the trim each way, so that the crop marks, which WeasyPrint draws from the sheet's
# edge over half that margin, stand on white paper outside the bleed.
BLEED_MM, SHEET_MM = 3, 8


def page_css(options, paper, front=STEPS[0], back=STEPS[0]):
    """The @page size, sheet and marks the command line asked for, and each page's density step."""
    sheet, bleed = (f'{SHEET_MM}mm', f'{BLEED_MM}mm') if options.print_marks else ('0mm', '0mm')
    marks = 'crop' if options.print_marks else 'none'
    return (
        f'@page {{ size: {PAPER[paper]}; bleed: {sheet}; marks: {marks}; }}\n'
        f':root {{ --bleed: {bleed}; --rings: url("{data_uri(orbit_rings())}"); }}\n'
        f'{FRONT} {{ {front.css} }}\n{BACK} {{ {back.css} }}'
    )


def orbit_rings():
    """The band's two thin orbit rings, around a point beyond the sheet's top right corner:
    an SVG of 120 x 60 mm set at the band's top right."""
    colour = read_palette()['deep-2']
    rings = ''.join(
        f'<circle cx="111.6" cy="-17" r="{radius}" fill="none" stroke="{colour}" stroke-width="0.7"/>'
        for radius in (52.35, 70.35)
    )
    return f'<svg xmlns="http://www.w3.org/2000/svg" width="120mm" height="60mm" viewBox="0 0 120 60">{rings}</svg>'


def data_uri(svg):
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode()


def make_fetcher(roots):
    """A WeasyPrint URL fetcher that serves data: URLs and files under `roots` only."""
    import mimetypes
    from urllib.parse import urlsplit
    from urllib.request import url2pathname

    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    class ProjectFetcher(URLFetcher):
        """Refuses the network, files outside the project's folders, and anything else."""

        def fetch(self, url, headers=None):
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


def pdf_options(html, options):
    """WeasyPrint's options for the fact sheet: tagged PDF/UA-1, or PDF/A-3a with --archival."""
    from weasyprint import DEFAULT_OPTIONS

    xmp = 'data:application/rdf+xml;base64,' + base64.b64encode(PDF_UA_XMP.encode()).decode()
    return {
        **DEFAULT_OPTIONS,
        'pdf_variant': 'pdf/a-3a' if options.archival else 'pdf/ua-1',
        'pdf_identifier': hashlib.md5(html.encode()).hexdigest().encode(),
        'xmp_metadata': [xmp] if options.archival else None,
    }


def lay_out_pdf(html, options):
    """WeasyPrint's layout of the fact sheet: a Document whose pages can be measured."""
    import weasyprint

    fetcher = make_fetcher([TEMPLATES.resolve(), options.out.resolve()])
    document = weasyprint.HTML(string=html, base_url=TEMPLATES.as_uri() + '/', url_fetcher=fetcher)
    return document.render(**pdf_options(html, options))


def render_pdf(html, options):
    """The fact sheet's HTML as PDF bytes, laid out as it is."""
    return write_pdf(lay_out_pdf(html, options), html, options)


def write_pdf(document, html, options):
    """A laid-out fact sheet as PDF bytes; with --print-marks, each page's BleedBox says
    where the bleed ends (WeasyPrint would give the whole sheet, marks included)."""

    def bleed_box(_, pdf):
        points = BLEED_MM * 72 / 25.4
        for page in pdf.objects:
            if isinstance(page, dict) and page.get('Type') == '/Page':
                left, bottom, right, top = page['TrimBox']
                page['BleedBox'] = type(page['TrimBox'])([left - points, bottom - points, right + points, top + points])

    return document.write_pdf(finisher=bleed_box if options.print_marks else None, **pdf_options(html, options))


def render_factsheet(facts, svgs, rows, options, paper=None, hint=None):
    """The fact sheet's PDF bytes at the roomiest density steps that fit each page, those
    steps and the page count. `hint`: the steps an earlier build chose (layout.fit)."""

    unchecked = [True]

    def lay_out(front, back):
        css = page_css(options, paper or options.paper, front, back)
        html = render_sheet(facts, svgs, rows, options.modified, css, back.members)
        if unchecked:  # no step changes the structure: checked once, on the first layout
            checked(html, 'the fact sheet')
            unchecked.clear()
        return html, lay_out_pdf(html, options)

    steps, html, document = fit(lay_out, required_texts(facts), hint=hint, figures=list(svgs))
    return write_pdf(document, html, options), steps, len(document.pages)


# A page that loads the fonts and fills WeasyPrint's caches, before the real job arrives.
WARM_UP = '<p style="font-family: Noto Sans">Noto <b>Sans</b> <i>Italic</i></p>'
