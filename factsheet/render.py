"""Render: the Jinja2 template into the handout's HTML and the fact sheet's (pdf.py makes its PDF)."""

import base64
import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .card import HEIGHT as CARD_HEIGHT
from .card import WIDTH as CARD_WIDTH
from .card import select as select_card
from .colours import colour_css, read_palette
from .columns import flowing_columns, list_columns, source_columns
from .derive import Facts
from .export import json_ld
from .language import English
from .placeholders import PLACEHOLDER, fill, present
from .problems import UserError
from .project import TEMPLATES

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

Rows = Mapping[str, list[list[Any]]]  # each chart's table rows (draw.tables)


@functools.cache
def environment() -> 'jinja2.Environment':
    """The Jinja2 environment: autoescaping for every template, undefined names are errors.

    Made once per process; templates are recompiled when their file's contents change
    (not its modification time), and a forked worker inherits the compiled ones."""
    import jinja2

    class ContentLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
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
    env.filters['tagged'] = tagged
    return env


# The values that name something: prose is hyphenated, but never inside these.
NAMES = ('name', 'acronym', 'strategy', 'top_region')


def prose(text: str, values: Mapping[str, Any]) -> 'Markup':
    """A words string filled as HTML, each name in a span that is never hyphenated; a part
    that names a value the data leaves out is left out (placeholders.present)."""
    from markupsafe import Markup, escape

    def value(match: re.Match[str]) -> Markup:
        filled = escape(str(values[match.group(1)]))
        if match.group(1) == 'strategy':  # a document's title
            return Markup('<cite class="proper">%s</cite>') % filled
        return Markup('<span class="proper">%s</span>') % filled if match.group(1) in NAMES else filled

    text = present(text, values)
    parts = PLACEHOLDER.split(text)  # text, name, text, name, ..., text
    html = Markup('').join(
        escape(part) if i % 2 == 0 else value(cast(re.Match[str], PLACEHOLDER.match('{' + part + '}')))
        for i, part in enumerate(parts)
    )
    return Markup('<span lang="en">%s</span>') % html if isinstance(text, English) else html


def tagged(text: str) -> 'Markup':
    """A phrase as an element's content: tagged lang="en" when the edition prints it in
    English until it is translated (language.English); escaped as any text."""
    from markupsafe import Markup, escape

    return Markup('<span lang="en">%s</span>') % text if isinstance(text, English) else escape(text)


# How each way of showing the members shares the regions out: cards in one flow, a list in
# columns of whole regions, the densest list in even columns (a region may run on).
MEMBER_COLUMNS: dict[str, Callable[[list[dict[str, Any]]], list[list[dict[str, Any]]]]] = {
    'cards': lambda regions: [regions],
    'list': list_columns,
    'list flowing': flowing_columns,
}
LONG_PART = 40  # characters: a part of a URL longer than this breaks before its hyphens and after its underscores too


def short_url(url: str) -> 'Markup':
    """A URL as shown: without https:// or a final slash, in unbreakable parts that end at a
    slash, a <wbr> between them, so that a line breaks after a slash, never after the scheme;
    a part longer than a column of sources holds also breaks before its hyphens (never after
    one, where a reader would take the hyphen for hyphenation) and after its underscores,
    between words; a piece still that long is left breakable, for overflow-wrap to break
    where it must."""
    from markupsafe import Markup, escape

    slashed = re.findall(r'[^/]+/?|/', url.removeprefix('https://').rstrip('/'))
    between = r'(?=-)|(?<=_)'
    parts = [piece for part in slashed for piece in (re.split(between, part) if len(part) > LONG_PART else [part])]
    return Markup('<wbr>').join(
        escape(part) if len(part) > LONG_PART else Markup('<span class="url-part">%s</span>') % escape(part)
        for part in parts
    )


CARD_SIZE = (CARD_WIDTH, CARD_HEIGHT)


def og_locale(language: str) -> str:
    """Open Graph's name of a language: its likeliest territory's ('en' gives 'en_US')."""
    from babel import Locale
    from babel.core import get_global

    likely = Locale.parse(cast(Mapping[str, str], get_global('likely_subtags')).get(language, language))
    return f'{likely.language}_{likely.territory}' if likely.territory else likely.language


CARDS_A_ROW = 7  # member cards a row in the fact sheet's grid (factsheet.css's --cards)


def render_handout(
    facts: Facts, svgs: Mapping[str, str], rows: Rows, modified: str | None = None, links: dict[str, Any] | None = None
) -> str:
    """The handout's HTML. `modified` (an ISO date, from SOURCE_DATE_EPOCH) becomes its
    modification date; without it, it carries only the edition year, so that builds are
    reproducible. `links`: its PDF and the other languages' handouts (editions.py)."""
    from markupsafe import Markup

    slug, words, values = facts['slug'], facts['words'], facts['values']
    links = links or {'pdf': f'{slug}.pdf', 'letter': None, 'self': f'{slug}.html', 'others': []}
    title, description = fill(words['title'], values), fill(words['description'], values)
    shared = {  # what a link to it shows on social networks (Open Graph): the share card
        'locale': og_locale(facts['language']),
        'alternates': [og_locale(other['language']) for other in links['others']],
        'image': links.get('card'),
        'alt': select_card(facts)['alt'],
        'size': CARD_SIZE,
    }
    linked = Markup(json_ld(facts, title, description, links['self']))
    placed = {'modified': modified, 'links': links, 'json_ld': linked, 'shared': shared}
    return checked(render(facts, svgs, rows, 'handout', placed), 'the handout')


def render_sheet(
    facts: Facts,
    svgs: Mapping[str, str],
    rows: Rows,
    modified: str | None = None,
    page_css: str = '',
    members: str = 'cards',
) -> str:
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
            'region_columns': MEMBER_COLUMNS[members](facts['regions']),
            'source_columns': source_columns(facts['sources']),
        },
    )


def render(facts: Facts, svgs: Mapping[str, str], rows: Rows, target: str, placed: Mapping[str, Any]) -> str:
    """One document's HTML from the template: the facts, the charts (`svgs`, and `rows` for
    their tables), the target ('handout' or 'factsheet') and what render_handout() or
    render_sheet() place around them."""
    import jinja2
    from markupsafe import Markup

    css = {name: Markup((TEMPLATES / f'{name}.css').read_text(encoding='utf-8')) for name in ('theme', target)}
    css['theme'] = Markup(colour_css(('light', 'dark') if target == 'handout' else ('light',))) + '\n' + css['theme']
    drawn = {**svgs, 'mark': founding_mark()}
    if target == 'factsheet':  # unless `svgs` brings one of its own (a press file's, in black ink)
        drawn.setdefault('qr', qr_code(facts['org']['site']['url']))
    images = {name: data_uri(svg) for name, svg in drawn.items()}
    defaults = {
        'page_css': Markup(''),
        'members_layout': 'cards',
        'region_columns': [facts['regions']],
        'source_columns': [facts['sources']],
    }
    try:
        template = environment().get_template('page.html.j2')
        html = template.render(
            **facts,
            **{**defaults, **placed},
            images=images,
            tables=data_tables(facts, rows),
            css=css,
            target=target,
            cards=CARDS_A_ROW,
        )
    except jinja2.TemplateError as error:
        raise UserError([template_problem(error)]) from None
    return html


def data_tables(facts: Facts, rows: Rows) -> dict[str, dict[str, list[Any]]]:
    """Each chart's table: its columns and rows, without a column the data leaves out (None
    in every row: no founding agency, no founding column)."""
    shown = {}
    for name, body in rows.items():
        columns = facts['charts'][name]['table']['columns']
        keep = [i for i in range(len(columns)) if not body or any(row[i] is not None for row in body)]
        shown[name] = {'columns': [columns[i] for i in keep], 'rows': [[row[i] for i in keep] for row in body]}
    return shown


def checked(html: str, document: str) -> str:
    """The document's HTML, once it keeps structure's rules; a UserError naming each broken."""
    from . import structure  # html.parser: imported only by a build that renders

    broken = structure.problems(html, document)
    if broken:
        raise UserError(broken)
    return html


def qr_code(url: str) -> str:
    """A vector QR code to the forum's website, dark on light (an SVG)."""
    import io

    import segno

    svg = io.BytesIO()
    segno.make_qr(url, error='m').save(
        svg, kind='svg', xmldecl=False, dark=read_palette()['ink'], light='#ffffff', border=0
    )
    return svg.getvalue().decode()


def founding_mark() -> str:
    """The founding agencies' mark: a disc in the founding members' colour."""
    colour = read_palette()['deep']
    disc = f'<circle cx="5" cy="5" r="5" fill="{colour}"/>'
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{disc}</svg>'


def template_problem(error: 'jinja2.TemplateError') -> str:
    """Where a template went wrong, as `templates/page.html.j2:41: 'valeus' is undefined`."""
    import traceback

    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith('.j2')]
    line = getattr(error, 'lineno', None) or (frames[-1].lineno if frames else 0)
    name = getattr(error, 'name', None) or (Path(frames[-1].filename).name if frames else 'page.html.j2')
    return f'templates/{name}:{line}: {error.message}'


def data_uri(svg: str) -> str:
    """An SVG as a data: URL, for an <img> or a CSS url()."""
    return 'data:image/svg+xml;base64,' + base64.b64encode(svg.encode()).decode()
