"""The milestones on a to-scale time axis, with the forum's initial mandate and its extension.

Each year is a span of the axis, labelled under it; an event known to the month sits in
its month, one known to the year in the middle of its year. The mandate runs as two
bands under the years. The milestones' words stand in evenly spaced columns above the
axis, each joined to its point by a leader that starts under its own last line."""

import re
import unicodedata
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from factsheet.derive import Facts

SIZE = (7.15, 1.35)  # inches: the fact sheet's A4 text width, so it prints at 1:1 (four lines of words)
WIDE = '\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef'  # CJK characters and punctuation
OPENING = '「『（(【〈《'
CLOSING = '、。，．・：；？！」』）)】〉》ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ'
COLUMN = 26  # characters a line of a milestone holds at 7.5 pt in a fifth of the width
TOP = 63  # points above the axis where the words begin, for four lines of them
LINE = 9.8  # points from one line of words to the next (7.5 pt at a line spacing of 1.1)
RAIL = 8  # points above the axis where the leaders turn towards their points


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


def balanced(text: str, columns: int) -> list[str]:
    """The text in as few lines of at most `columns` characters' width as it fits in, broken
    where the lines come out most even (least squared slack): no word left alone on a line."""
    pieces = tokens(text)
    best: dict[int, tuple[int, list[str]]] = {len(pieces): (0, [])}  # from piece i on: (cost, lines)
    for i in reversed(range(len(pieces))):
        options = []
        for j in range(i + 1, len(pieces) + 1):
            line = pieces[i][1] + ''.join(joint + piece for joint, piece in pieces[i + 1 : j])
            if width(line) > columns and j > i + 1:
                break
            cost, lines = best[j]
            options.append((cost + 10_000 + (columns - width(line)) ** 2, [line, *lines]))  # a line costs most
        best[i] = min(options)
    return best[0][1]


def select(facts: 'Facts') -> dict[str, Any]:
    """The facts this chart reads: the milestones and the mandate periods."""
    values, labels = facts['values'], facts['charts']['timeline']['labels']
    formed = values['formed_year'] + (facts['org']['formed']['month'] - 0.5) / 12
    term_end = formed + values['term_years']
    lines = max(len(balanced(milestone['text'], COLUMN)) for milestone in facts['milestones'])
    return {
        'top': TOP + max(0, lines - 4) * LINE,
        'start': values['discussions_year'],
        'end': values['anniversary_year'],
        'milestones': [
            {
                'when': milestone['when'],
                'at': milestone['year'] + ((milestone['month'] - 0.5) / 12 if milestone['month'] else 0.5),
                'text': milestone['text'],
            }
            for milestone in facts['milestones']
        ],
        'periods': [
            {'label': labels['term'], 'start': formed, 'end': term_end},
            {'label': labels['extension'], 'start': term_end, 'end': term_end + values['extension_years']},
        ],
    }


def size(data: dict[str, Any]) -> tuple[float, float]:
    """The figure's size: SIZE, taller by a line's height for every line of words past four."""
    return SIZE[0], SIZE[1] + (data['top'] - TOP) / 72


def table(data: dict[str, Any]) -> list[list[Any]]:
    """The chart's data as table rows: when, what."""
    return [[milestone['when'], milestone['text']] for milestone in data['milestones']]


def draw(ax: 'Axes', data: dict[str, Any], palette: Mapping[str, str]) -> None:
    """Draw the axis with its years, the two mandate bands under them and the milestones
    above. The y axis counts points, so the words keep their room at any height."""
    start, end, top = data['start'], data['end'] + 1, data['top']
    milestones = data['milestones']
    ax.plot([start, end], [0, 0], color=palette['ink'], linewidth=0.8, solid_capstyle='butt')
    for year in range(start, end + 1):
        ax.plot([year, year], [-2, 2], color=palette['ink'], linewidth=0.5)
    for year in range(start, end):
        ax.text(year + 0.5, -4, str(year), ha='center', va='top', fontsize=7, color=palette['muted'])
    for period in data['periods']:
        ax.fill_between([period['start'] + 0.04, period['end'] - 0.04], -26, -15, color=palette['mandate'], linewidth=0)
        label = period['label']
        ax.text(period['start'] + 0.15, -20.5, label, va='center', ha='left', color=palette['paper'], fontsize=7)
    width = (end - start) / len(milestones)
    for i, milestone in enumerate(milestones):
        left = start + i * width
        colour = palette['accent-ink'] if i == len(milestones) - 1 else palette['ink']
        lines = balanced(milestone['text'], COLUMN)
        ax.text(left, top, milestone['when'], fontweight='bold', va='top', ha='left', color=colour, fontsize=8)
        for k, line in enumerate(lines):  # on baselines a line apart, whatever the accents of each
            ax.text(left, top - 16 - k * LINE, line, va='baseline', ha='left', fontsize=7.5)
        below = top - 10 - len(lines) * LINE - 2.5  # a gap under this milestone's own last line
        ax.plot([left, left, milestone['at']], [below, RAIL, 2.5], color=palette['muted'], linewidth=0.5)
        ax.plot([milestone['at']], [0], marker='o', markersize=5, color=colour, markeredgecolor=palette['paper'])
    ax.set_xlim(start, end)
    ax.set_ylim(-27, top + 1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines['bottom'].set_visible(False)
