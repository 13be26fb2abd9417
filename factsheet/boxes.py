"""Reading WeasyPrint's laid-out boxes (`Document.pages[i]._page_box`, not public API:
pyproject.toml pins WeasyPrint's version range, and the tests exercise it): every box with
the clip and column around it, every piece of text, each page's content area."""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint.formatting_structure.boxes import Box, PageBox

MM = 96 / 25.4  # CSS pixels per millimetre
Rect = tuple[float, float, float, float]  # (x0, y0, x1, y1)
Span = tuple[float, float]  # (x0, x1)


def walk(
    box: 'Box', clip: Rect | None = None, column: Span | None = None, skip: 'Callable[[Box], bool]' = lambda box: False
) -> 'Iterator[tuple[Box, Rect | None, Span | None]]':
    """Yield (box, clip, column) for a box and every box inside it, margin boxes (and those
    `skip` says) left out. `clip` is the rectangle (x0, y0, x1, y1) the boxes around it
    cut their content to; `column` the (x0, x1) of the nearest block's padding box."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox) or skip(box):
        return
    yield box, clip, column
    if isinstance(box, boxes.BlockContainerBox):
        column = (box.padding_box_x(), box.padding_box_x() + box.padding_width())
    if box.style['overflow'] != 'visible' and hasattr(box, 'padding_width'):
        x0, y0 = box.padding_box_x(), box.padding_box_y()
        x1, y1 = x0 + box.padding_width(), y0 + box.padding_height()
        clip = (
            (x0, y0, x1, y1)
            if clip is None
            else (max(clip[0], x0), max(clip[1], y0), min(clip[2], x1), min(clip[3], y1))
        )
    for child in getattr(box, 'children', ()):
        yield from walk(child, clip, column, skip)


def text_boxes(
    page: 'PageBox', skip: 'Callable[[Box], bool]' = lambda box: False
) -> Iterator[tuple[str, float, float, float, float, Rect | None, Span | None]]:
    """Every piece of text laid out on a page: (text, x0, y0, x1, y1, clip, column)."""
    from weasyprint.formatting_structure import boxes

    for box, clip, column in walk(page, skip=skip):
        if isinstance(box, boxes.TextBox) and box.text.strip():
            x0, y0 = box.position_x, box.position_y
            yield box.text, x0, y0, x0 + box.width, y0 + box.height, clip, column


def content_area(page: 'PageBox') -> Rect:
    """The page's area inside its margins: (x0, y0, x1, y1)."""
    x0, y0 = page.margin_left, page.margin_top
    return x0, y0, page.margin_width() - page.margin_right, page.margin_height() - page.margin_bottom


def visible(box: 'Box') -> bool:
    """True for a box that paints something of its own: a background or a border."""
    return hasattr(box, 'border_width') and (
        getattr(box, 'background', None) is not None
        or any(box.style[f'border_{side}_width'] for side in ('top', 'right', 'bottom', 'left'))
    )


def is_marker(box: 'Box') -> bool:
    """A list item's marker (its bullet or number), which stands outside the item on purpose."""
    return str(getattr(box, 'element_tag', '')).endswith('::marker')


def is_band(box: 'Box') -> bool:
    """The headline band, which runs to the sheet's edges on purpose."""
    return getattr(box, 'element_tag', None) == 'header'
