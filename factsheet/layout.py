"""Layout: fit the fact sheet on its two pages, and check that nothing was lost on the way.

Each page of the fact sheet takes the roomiest of a ladder of density steps at which it
fits on its page with nothing past the margins, down to a floor (body text 8 pt, small
print 7.5 pt). Steps are chosen by laying the document out and measuring its page boxes,
never by counting in Python, and the build always uses the roomiest step that fits, so
its bytes never depend on build history (steps.Search says in which order it looks). When even the floor
does not fit, the build fails and says which page overflows and by how much.

WeasyPrint can clip or drop content without an error, so the chosen layout's text
boxes are then searched for every agency, key figure and heading: each must be laid
out whole, inside its page and not clipped by a box around it.

This reads WeasyPrint's laid-out pages (`Document.pages[i]._page_box`), which is not
public API: pyproject.toml pins WeasyPrint's version range, and the tests exercise it.
"""

import math
from collections.abc import Callable, Container, Iterable, Sequence
from typing import TYPE_CHECKING

from .boxes import MM, content_area, is_band, is_marker, text_boxes, visible, walk
from .placeholders import fill
from .problems import UserError
from .steps import STEPS as STEPS  # render.py reads STEPS and Step here
from .steps import Fit, Search
from .steps import Step as Step

if TYPE_CHECKING:
    from weasyprint.document import Document
    from weasyprint.formatting_structure.boxes import PageBox

    from .derive import Facts

# (front step, back step, mm taller than the paper: 0, or TALLER to measure an overflow) -> (html, document)
LayOut = Callable[[Step, Step, float], tuple[str, 'Document']]

PAGES = 2
TALLER = 600  # mm: the page an overflow is measured on, as wide as the paper and this much taller


def fit(
    lay_out: LayOut,
    html_of: Callable[[Step, Step], str] | None,
    required: Iterable[str],
    steps: Sequence[Step] = STEPS,
    hint: Sequence[int] | None = None,
    figures: Iterable[str] = (),
) -> tuple[Fit, str, 'Document']:
    """The roomiest steps that fit, each page on its own, with their layout: (Fit, html, document).

    `lay_out(front, back, taller)` renders and lays the fact sheet out with one step for the
    front page's sections and one for the back's (the members begin the back page, on a
    page of their own), on a page `taller` mm taller than the paper (0 but to measure an
    overflow), and returns (html, document); html_of(front, back) renders the HTML at those
    steps without laying it out, or is None when a page's step may change the other page
    (a template that mixes the two pages' sections); `required` is every text that must
    be shown. Each page takes the first step of the ladder at which it fits, with nothing
    past its margins, whatever the other page takes. Raises UserError when a page does
    not fit even at the last step (saying by how much: see overflow), or when the layout
    lost some of the required text.

    One layout measures both pages, so the search (steps.Search) tries a step for each at
    once: first the `hint` (the steps an earlier build chose; checked, never trusted),
    else the floor, then the step each page's measured height predicts, then the steps
    still unknown before the first that fits (a page with less left to do waits at its step
    while the other guesses, so that the guess's layout is the answer's). What it chooses is
    what trying every step in order would: the steps depend on the document alone. Pages
    that fitted in different layouts are joined (each from its own, the HTML: html_of's),
    or, without html_of, laid out together once more."""
    search = Search(steps, hint, joins=html_of is not None)
    while (pair := search.next()) is not None:
        html, document = lay_out(steps[pair[0]], steps[pair[1]], 0)
        pages, front, back = measure(document)
        search.learn(pair, front, back, (html, document))
        if search.overflowing():  # said from the floor's own pages, whatever was laid out last
            floor = (len(steps) - 1,) * 2
            pages = pages if pair == floor else measure(lay_out(steps[-1], steps[-1], 0)[1])[0]
            raise UserError([overflow(pages, front_pages(pages), lay_out, steps[-1])])
    used, front_of, back_of = search.result() or (*in_order(lay_out, steps), None)
    html, document = front_of
    if back_of is not None and back_of is not front_of and html_of:  # the search joins only with html_of
        html, document = joined(document, back_of[1], html_of(used.front, used.back))
    pages = [page._page_box for page in document.pages]
    missing = lost(pages, required) + [
        f'the {name} chart (its image could not be read)' for name in undrawn(pages, figures)
    ]
    if missing:
        raise UserError([f'fact sheet: not shown in the {used.name} layout: {"; ".join(missing)}'])
    return used, html, document


def joined(front: 'Document', back: 'Document', html: str) -> tuple[str, 'Document']:
    """(html, the document of the front's pages of one layout and the back's of another):
    each page is laid out on its own (the back begins on a page of its own, and each page's
    step sets its own sections' properties), so it is what one layout of both would give."""
    ends = [front_pages([page._page_box for page in document.pages]) for document in (front, back)]
    return html, front.copy(front.pages[: ends[0]] + back.pages[ends[1] :])


def in_order(lay_out: LayOut, steps: Sequence[Step]) -> tuple[Fit, tuple[str, 'Document']]:
    """Every step in order, each page taking the next until it fits: what the search stands
    for, when a template makes one page's step change the other page."""
    front = back = 0
    for count in range(1, 2 * len(steps)):
        html, document = lay_out(steps[front], steps[back], 0)
        pages, (front_fits, *_), (back_fits, *_) = measure(document)
        if front_fits and back_fits:
            return Fit(steps[front], steps[back], (front, back), count), (html, document)
        floor = (front, back) == (len(steps) - 1,) * 2
        front, back = front + (not front_fits), back + (not back_fits and front_fits)
        if len(steps) in (front, back):  # said from the floor's own pages, as fit() says it
            pages = pages if floor else measure(lay_out(steps[-1], steps[-1], 0)[1])[0]
            break
    raise UserError([overflow(pages, front_pages(pages), lay_out, steps[-1])])


def front_pages(pages: Sequence['PageBox']) -> int:
    """How many pages the front's sections take: the index of the page the members begin."""
    return next((i for i, page in enumerate(pages) if shows_section(page, 'members')), len(pages))


def measure(document: 'Document') -> tuple[list['PageBox'], tuple[bool, float, float], tuple[bool, float, float]]:
    """(the page boxes, (front fits, its height, the room on a page), the same for the back),
    in mm. The back begins on a page of its own, so each is measured whatever the other does."""
    pages = [page._page_box for page in document.pages]
    split = front_pages(pages)
    _, top, _, bottom = content_area(pages[0])
    room = (bottom - top) / MM
    front = (split == 1 and not overruns(pages[:1]), used(pages[:split]) if split else math.inf, room)
    back = (len(pages) - split == 1 and not overruns(pages[split:]), demand(pages[split:], room), room)
    return pages, front, back


def demand(pages: Sequence['PageBox'], room: float) -> float:
    """The height the back's sections ask for, in mm: what they take on one page; when they
    run on, a full page (a region is never split: the gap one leaves counts) and what the
    last page holds. (The front's flow on: what each page holds counts.)"""
    if not pages:
        return math.inf
    return used(pages) if len(pages) == 1 else room * (len(pages) - 1) + used(pages[-1:])


def required_texts(facts: 'Facts') -> list[str]:
    """What the fact sheet must show: every agency's acronym, name and country, every key
    figure with its label, every heading and region, every source's title."""
    words, values = facts['words'], facts['values']
    texts = [fill(heading, values) for heading in words['headings'].values()]
    texts += [f'{figure["value"]} {figure["label"]}' for figure in facts['figures']]
    texts += [region['label'] for region in facts['regions']]
    for agency in facts['agencies']:
        texts += [agency['acronym'], agency['name'], agency['country_name']]
    return texts + [source['title'] for source in facts['sources']]


# --- Measuring the page boxes ----------------------------------------------------------


def overruns(pages: Iterable['PageBox'], tolerance: float = 0.5) -> list[str]:
    """What runs past its bounds: a box that paints past a page's left or right margin
    (outside the band, which runs to the sheet's edges on purpose), or a word wider than
    its column."""
    found = []
    for page in pages:
        left, _, right, _ = content_area(page)
        for box, _, _ in walk(page, skip=is_band):
            if visible(box):
                x0 = box.border_box_x()
                if x0 < left - tolerance or x0 + box.border_width() > right + tolerance:
                    found.append(f'{box.element_tag} past the margin')
        for text, x0, _, x1, _, _, column in text_boxes(page, skip=lambda box: is_band(box) or is_marker(box)):
            if column and (x0 < column[0] - tolerance or x1 > column[1] + tolerance):
                found.append(f'{text!r} wider than its column by {max(column[0] - x0, x1 - column[1]) / MM:.1f} mm')
    return found


def lost(pages: Iterable['PageBox'], required: Iterable[str]) -> list[str]:
    """Each required text that is not laid out whole, visible and inside a page."""
    shown = []
    for page in pages:
        width, height = page.margin_width(), page.margin_height()
        for text, x0, y0, x1, y1, clip, _ in text_boxes(page):
            inside = 0 <= x0 and x1 <= width and 0 <= y0 and y1 <= height
            unclipped = clip is None or (clip[0] <= x0 and x1 <= clip[2] and clip[1] <= y0 and y1 <= clip[3])
            if inside and unclipped:
                shown.append(text)
    pieces = [''.join(text.split()).casefold() for text in shown]
    joined, ends, at = ''.join(pieces), {0}, 0
    for piece in pieces:
        at += len(piece)
        ends.add(at)
    missing = [text for text in required if not whole(''.join(text.split()).casefold(), joined, ends)]
    return list(dict.fromkeys(missing))


def undrawn(pages: Iterable['PageBox'], figures: Iterable[str]) -> list[str]:
    """The charts (by name, each the figure #chart-<name>) that the layout holds no image
    for: WeasyPrint drops an image it cannot read, and shows its alt text instead."""
    from weasyprint.formatting_structure import boxes

    drawn = set()
    for page in pages:
        for box, _, _ in walk(page):
            element = getattr(box, 'element', None)
            name = (element.get('id') or '') if element is not None else ''
            if name.startswith('chart-') and any(isinstance(inner, boxes.ReplacedBox) for inner, _, _ in walk(box)):
                drawn.add(name.removeprefix('chart-'))
    return [name for name in figures if name not in drawn]


def whole(text: str, joined: str, ends: Container[int]) -> bool:
    """True when text (white space taken out) is laid out as whole pieces of text: it may
    run across lines, but "ASA" inside "NASA" does not count."""
    start = joined.find(text)
    while start >= 0:
        if start in ends and start + len(text) in ends:
            return True
        start = joined.find(text, start + 1)
    return False


def overflow(pages: Sequence['PageBox'], split: int, lay_out: LayOut, step: Step) -> str:
    """What does not fit at the floor step: which page, by how much, and what to shorten.
    `split` is the index of the page the back's sections begin on. By how much: what each
    page's sections take laid out on a page TALLER mm taller, less the page's room (a block
    kept whole moves on as one, leaving a gap: what the next page holds would say too much)."""
    front_extra, back_extra = pages[1:split], pages[max(split, 1) + 1 :]
    amounts = [0.0, 0.0]
    if front_extra or back_extra:
        long = [page._page_box for page in lay_out(step, step, TALLER)[1].pages]
        cut = max(front_pages(long), 1)
        back = pages[min(max(split, 1), len(pages) - 1)]
        rooms = [content_area(page) for page in (pages[0], back)]  # the band makes page 1's room larger
        amounts = [
            max(1.0, math.ceil(extent(part) - (bottom - top) / MM))
            for part, (_, top, _, bottom) in zip((long[:cut], long[cut:]), rooms, strict=True)
        ]
    parts = []
    if front_extra:
        parts.append(f'page 1 overflows by {amounts[0]:.0f} mm (about, milestones and charts)')
    if back_extra:
        parts.append(f'page 2 overflows by {amounts[1]:.0f} mm (member agencies, themes, documents and sources)')
    if not parts:  # each page's sections fit: something runs past its column, even at the floor
        for number, group in ((1, pages[: max(split, 1)]), (2, pages[max(split, 1) :])):
            parts += [f'on page {number}, {problem}' for problem in dict.fromkeys(overruns(group))]
    where = '; '.join(parts) or 'a word is wider than its column'
    return (
        f'fact sheet: {where}, even at the densest step ({step.name}); shorten the prose in '
        'data/words/, or the names, countries or titles in data/, or list fewer entries'
    )


def shows_section(page: 'PageBox', section_id: str) -> bool:
    """True when some of the section with this id is laid out on this page."""
    return any(
        getattr(box, 'element', None) is not None and box.element.get('id') == section_id for box, _, _ in walk(page)
    )


def extent(pages: Iterable['PageBox']) -> float:
    """The height the content takes on these pages, in mm, to the lowest edge of its text, its
    images and what paints a background or a border (the headline band left out)."""
    from weasyprint.formatting_structure import boxes

    total: float = 0
    for page in pages:
        _, top, _, _ = content_area(page)
        low = top
        for box, _, _ in walk(page, skip=is_band):
            if isinstance(box, boxes.TextBox | boxes.ReplacedBox) or (visible(box) and box is not page):
                low = max(low, box.border_box_y() + box.border_height())
        total += (low - top) / MM
    return total


def used(pages: Iterable['PageBox']) -> float:
    """The height the content takes on these pages, in millimetres."""
    total: float = 0
    for page in pages:
        _, top, _, _ = content_area(page)
        bottom = max((y1 for _, _, _, _, y1, _, _ in text_boxes(page)), default=top)
        total += max(bottom - top, 0)
    return total / MM
