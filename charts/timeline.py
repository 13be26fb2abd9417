"""The milestones on a to-scale time axis, with the forum's initial mandate and its extension.

Each year is a span of the axis, labelled under it; an event known to the month sits in
its month, one known to the year in the middle of its year. The mandate runs as two
bands under the years. Each milestone's words stand above the axis in a block joined to
its point by a leader. Where the blocks are placed is computed, never set by hand
(place()): in date order, each block as near its date as its neighbours allow, in one
row or, when the dates crowd, in rows stacked above one another, so that no block
overlaps another and no leader crosses one; each block's words are measured in the
chart's own font. Data that cannot be placed is an error that says so."""

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from factsheet.problems import UserError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from factsheet.derive import Facts

SIZE = (7.15, 1.35)  # inches: the fact sheet's A4 text width, so it prints at 1:1 (before the rows of words)
WIDE = '\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef'  # CJK characters and punctuation
OPENING = '「『（(【〈《'
CLOSING = '、。，．・：；？！」』）)】〉》ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ'
COLUMNS = (120, 104, 90, 78, 66, 56)  # points: the widths a block of words may take, widest first
MAX_ROWS = 4
TEXT, WHEN = 7.5, 8  # points: the words' size, the date's
LINE = 9.3  # points from one line of words to the next (7.5 pt at a line spacing of 1.24)
HEAD = 17  # points from the top of a block (the date's) to the baseline of its first line of words
GAP = 7  # points between two blocks side by side, or a block and a leader
ROW_GAP = 2  # points between a row of blocks and the one above it
RAIL = 8  # points above the axis where the leaders turn towards their points
BELOW = 24  # points under the axis: the years and the mandate bands
EDGE = 2  # points of margin at the chart's left and right


def tokens(text: str) -> list[tuple[str, str]]:
    """The pieces a line may break between, with what joins each to the one before: words
    at spaces (a non-breaking space keeps a number with its unit), and in Japanese or
    Chinese any character, but never before closing punctuation, after an opening one, or
    between a number and its counter (10年)."""
    pieces: list[tuple[str, str]] = []
    for i, word in enumerate(text.split(' ')):
        parts = re.findall(rf'[{OPENING}]*(?:[0-9]+[{WIDE}]|[{WIDE}]|[^{WIDE}]+)[{CLOSING}]*', word) or [word]
        pieces += [(' ' if i and j == 0 else '', part) for j, part in enumerate(parts)]
    return pieces


def width(text: str) -> int:
    """A text's width in Latin characters: a wide (Chinese or Japanese) character counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in text)


def balanced(text: str, columns: float, measure: Callable[[str], float] = width) -> list[str]:
    """The text in as few lines of at most `columns` wide (in Latin characters, or in what
    `measure` gives) as it fits in, broken where the lines come out most even (least
    squared slack): no word left alone on a line. A word wider than the column stands alone."""
    pieces = tokens(text)
    best: dict[int, tuple[float, list[str]]] = {len(pieces): (0, [])}  # from piece i on: (cost, lines)
    for i in reversed(range(len(pieces))):
        options = []
        for j in range(i + 1, len(pieces) + 1):
            line = pieces[i][1] + ''.join(joint + piece for joint, piece in pieces[i + 1 : j])
            if measure(line) > columns and j > i + 1:
                break
            cost, lines = best[j]
            options.append((cost + 10_000 + (columns - measure(line)) ** 2, [line, *lines]))  # a line costs most
        best[i] = min(options)
    return best[0][1]


def select(facts: 'Facts') -> dict[str, Any]:
    """The facts this chart reads: the milestones and the mandate periods."""
    values, labels, org = facts['values'], facts['charts']['timeline']['labels'], facts['org']
    formed = values['formed_year'] + (org['formed']['month'] - 0.5) / 12
    term_end = formed + values['term_years']
    periods = [{'label': labels['term'], 'start': formed, 'end': term_end}]
    if 'extension' in org:
        periods.append({'label': labels['extension'], 'start': term_end, 'end': term_end + values['extension_years']})
    return {
        'start': min(values['discussions_year'], *(milestone['year'] for milestone in facts['milestones'])),
        'end': max(values['anniversary_year'], *(milestone['year'] for milestone in facts['milestones'])),
        'milestones': [
            {
                'when': milestone['when'],
                'at': milestone['year'] + ((milestone['month'] - 0.5) / 12 if milestone['month'] else 0.5),
                'text': milestone['text'],
                'last': milestone['key'] == 'anniversary',
            }
            for milestone in facts['milestones']
        ],
        'periods': periods,
    }


@cache
def measured(text: str, size: float, bold: bool, family: tuple[str, ...]) -> float:
    """A text's width in points, in the chart's font (matplotlib's own measure, with its
    fallback fonts, as the SVG will name them)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    prop = FontProperties(family=list(family), size=size, weight='bold' if bold else 'normal')
    return float(text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0])


@dataclass(frozen=True)
class Block:
    """A milestone's words as placed: its left edge (where its leader rises), its row, its
    lines, its width and height in points."""

    left: float
    row: int
    lines: list[str]
    width: float
    height: float


def blocks(milestones: Sequence[Mapping[str, Any]], column: float) -> list[tuple[list[str], float, float]]:
    """Each milestone's lines at this column width, with the block's width and height."""
    import matplotlib

    family = tuple(matplotlib.rcParams['font.family'])
    made = []
    for milestone in milestones:
        lines = balanced(milestone['text'], column, lambda text: measured(text, TEXT, False, family))
        wide = max(
            [measured(milestone['when'], WHEN, True, family)] + [measured(line, TEXT, False, family) for line in lines]
        )
        made.append((lines, wide, HEAD + (len(lines) - 1) * LINE + 3))
    return made


def place(ideal: Sequence[float], widths: Sequence[float], rows: int, room: float) -> list[float] | None:
    """The left edges of blocks in date order, block i in row i % rows: each as near its
    ideal place as the rules allow, or None when they cannot all fit in `room` points.

    A block keeps GAP clear after every earlier block of its row or of a row under it
    (so that its leader, which rises at its left edge, crosses no block), and leaders keep
    their order (so that none crosses another)."""
    count = len(ideal)

    def after(h: int, i: int) -> float:  # how far block i stands at least after block h
        return widths[h] + GAP if i % rows >= h % rows else GAP / 2

    low, high = [0.0] * count, [0.0] * count
    for i in range(count):
        low[i] = max([EDGE] + [low[h] + after(h, i) for h in range(i)])
    for i in reversed(range(count)):
        high[i] = min([room - EDGE - widths[i]] + [high[j] - after(i, j) for j in range(i + 1, count)])
    if any(low[i] > high[i] + 1e-6 for i in range(count)):
        return None
    left: list[float] = []
    for i in range(count):
        least = max([low[i]] + [left[h] + after(h, i) for h in range(i)])
        left.append(min(max(ideal[i], least), high[i]))
    return left


def layout(data: Mapping[str, Any], room: float) -> list[Block]:
    """The blocks of words, placed (place()) with the fewest rows and then the widest
    column that fit; the lowest chart wins."""
    start, end = data['start'], data['end'] + 1
    milestones = data['milestones']
    ideal = [(milestone['at'] - start) / (end - start) * room for milestone in milestones]
    best: tuple[float, list[Block]] | None = None
    for rows in range(1, MAX_ROWS + 1):
        for column in COLUMNS:
            made = blocks(milestones, column)
            left = place(ideal, [wide for _, wide, _ in made], rows, room)
            if left is None:
                continue
            placed = [
                Block(x, i % rows, lines, wide, tall)
                for i, (x, (lines, wide, tall)) in enumerate(zip(left, made, strict=True))
            ]
            height = rows_height(placed, rows)
            if best is None or height < best[0] - 1e-6:
                best = (height, placed)
    if best is None:
        raise UserError(
            [
                f'build.py: draw: the timeline cannot place {len(milestones)} milestones between {start} and {end - 1} '
                f'without overlapping words: shorten their phrases (words.milestones) or leave some out'
            ]
        )
    return best[1]


def rows_height(placed: Sequence[Block], rows: int) -> float:
    """The height, in points, that the rows of blocks take above the rail."""
    return sum(max([block.height for block in placed if block.row == row] or [0]) + ROW_GAP for row in range(rows))


def row_bottoms(placed: Sequence[Block]) -> list[float]:
    """Where each row of blocks begins, in points above the axis."""
    bottoms: list[float] = []
    bottom = float(RAIL + ROW_GAP)
    for row in range(max(block.row for block in placed) + 1):
        bottoms.append(bottom)
        bottom += max([block.height for block in placed if block.row == row] or [0]) + ROW_GAP
    return bottoms


def size(data: dict[str, Any]) -> tuple[float, float]:
    """The figure's size: SIZE's width, as tall as the rows of words need."""
    placed = layout(data, SIZE[0] * 72)
    return SIZE[0], (RAIL + rows_height(placed, max(block.row for block in placed) + 1) + BELOW + 2) / 72


def table(data: dict[str, Any]) -> list[list[Any]]:
    """The chart's data as table rows: when, what."""
    return [[milestone['when'], milestone['text']] for milestone in data['milestones']]


def draw(ax: 'Axes', data: dict[str, Any], palette: Mapping[str, str]) -> None:
    """Draw the axis with its years, the mandate bands under them and the milestones'
    blocks above. Both axes count points, so the words keep their room at any size."""
    figure = cast('Figure', ax.get_figure())  # draw.py's Figure, never a subfigure
    width, height = (float(side) * 72 for side in figure.get_size_inches())
    figure.set_layout_engine('none')
    ax.set_position((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(-BELOW, height - BELOW)
    start, end = data['start'], data['end'] + 1

    def x(year: float) -> float:  # the axis' scale
        return float((year - start) / (end - start) * width)

    draw_axis(ax, data, x, palette)
    placed = layout(data, width)
    bottoms = row_bottoms(placed)
    tops = [bottom + max(b.height for b in placed if b.row == row) for row, bottom in enumerate(bottoms)]
    for milestone, block in zip(data['milestones'], placed, strict=True):
        colour = palette['accent-ink'] if milestone['last'] else palette['ink']
        top = tops[block.row]  # a row's blocks hang from one line
        ax.text(block.left, top, milestone['when'], fontweight='bold', va='top', ha='left', color=colour, fontsize=WHEN)
        for k, line in enumerate(block.lines):  # on baselines a line apart, whatever the accents of each
            ax.text(block.left, top - HEAD - k * LINE, line, va='baseline', ha='left', fontsize=TEXT)
        ax.plot(
            [block.left, block.left, x(milestone['at'])],
            [top - block.height - 1, RAIL, 2.5],  # from under its own last line
            color=palette['muted'],
            linewidth=0.5,
        )
        ax.plot([x(milestone['at'])], [0], marker='o', markersize=5, color=colour, markeredgecolor=palette['paper'])
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def draw_axis(ax: 'Axes', data: Mapping[str, Any], x: Callable[[float], float], palette: Mapping[str, str]) -> None:
    """The axis, a tick at the start of each year, the years under it, the mandate bands."""
    start, end = data['start'], data['end'] + 1
    ax.plot([x(start), x(end)], [0, 0], color=palette['ink'], linewidth=0.8, solid_capstyle='butt')
    for year in range(start, end + 1):
        ax.plot([x(year)] * 2, [-2, 2], color=palette['ink'], linewidth=0.5)
    for year in range(start, end):
        ax.text(x(year + 0.5), -4, str(year), ha='center', va='top', fontsize=7, color=palette['muted'])
    for period in data['periods']:
        left, right = x(period['start'] + 0.04), x(period['end'] - 0.04)
        ax.fill_between([left, right], -23.5, -13, color=palette['mandate'], linewidth=0)
        ax.text(
            x(period['start'] + 0.15),
            -18.25,
            period['label'],
            va='center',
            ha='left',
            color=palette['paper'],
            fontsize=7,
        )
