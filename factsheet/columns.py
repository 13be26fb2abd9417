"""Columns that Python shares out: the fact sheet's member list (the 'list' steps) and its
sources. Each keeps its entries whole and in reading order, in runs whose estimated heights
are the most even, as CSS column balancing would make them at a fraction of its cost
(WeasyPrint balances by laying the content out again and again: the sources' two columns
alone cost a third of each layout). The estimate counts a line's characters, wide ones
twice; the layout that follows measures what it gives (layout.fit)."""

import itertools
import math
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Entry = TypeVar('Entry')

# The member list: 3 columns; a line holds about LIST_LINE characters at 7.5 pt.
LIST_COLUMNS, LIST_LINE = 3, 40
HEADING = 2  # lines: a region's heading and the gap before it
ALONE = 1.0  # lines: what leaving one agency of a region alone under its heading costs a column
# The sources: 2 columns; a line holds about SOURCE_LINE characters at 7.5 pt.
SOURCE_COLUMNS, SOURCE_LINE = 2, 62


def width(text: str) -> int:
    """A text's width in characters, an East Asian wide or full-width one counting two."""
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in text)


def lines(text: str, line: int) -> int:
    """The lines a text is estimated to take, `line` characters a line."""
    return max(1, math.ceil(width(text) / line))


def even_runs(
    entries: Sequence[Entry],
    heights: Sequence[float],
    columns: int,
    starting: Sequence[float] = (),
    cost: Callable[[tuple[int, ...]], float] = lambda bounds: 0,
) -> list[list[Entry]]:
    """The entries in `columns` runs (reading order kept) whose heights are the most even:
    the tallest as short as it can be, earlier columns the longer. `starting[i]`: what a run
    that begins at entry i costs more (a heading repeated), 0 where not given; `cost`: what
    the runs between these bounds (0, cuts..., len) cost more, in lines (an awkward cut)."""
    count = min(columns, len(entries))
    more = [*starting, *[0.0] * (len(entries) - len(starting))]
    best: tuple[tuple[float, list[float]], list[list[Entry]]] | None = None
    for cuts in itertools.combinations(range(1, len(entries)), count - 1):
        bounds = (0, *cuts, len(entries))
        tall = [more[a] + sum(heights[a:b]) for a, b in itertools.pairwise(bounds)]
        score = (max(tall) + cost(bounds), [-t for t in tall])
        if best is None or score < best[0]:
            best = (score, [list(entries[a:b]) for a, b in itertools.pairwise(bounds)])
    return best[1] if best else [list(entries)]


def list_columns(regions: list[dict[str, Any]], columns: int = LIST_COLUMNS) -> list[list[dict[str, Any]]]:
    """The member list's regions in columns: each region a heading, a gap, and each agency's
    lines with its gap."""

    def height(region: dict[str, Any]) -> float:
        agencies = (f'{a["acronym"]} {a["name"]} · {a["country_name"]}' for a in region['agencies'])
        return HEADING + sum(lines(text, LIST_LINE) + 0.15 for text in agencies)

    return even_runs(regions, [height(region) for region in regions], columns)


def flowing_columns(regions: list[dict[str, Any]], columns: int = LIST_COLUMNS) -> list[list[dict[str, Any]]]:
    """The member list at its densest: the agencies in even columns, a region running on
    into the next column where that evens them, its part there headed again and marked
    `continued` (never a region's agencies under another's heading); one of its agencies
    alone under a heading, on either side, only where that saves the tallest column more
    than ALONE lines."""
    agencies = [(i, agency) for i, region in enumerate(regions) for agency in region['agencies']]
    first = [k == 0 for region in regions for k in range(len(region['agencies']))]
    heights = [
        lines(f'{a["acronym"]} {a["name"]} · {a["country_name"]}', LIST_LINE) + 0.15 + HEADING * starts
        for (_, a), starts in zip(agencies, first, strict=True)
    ]
    owner, sizes = [i for i, _ in agencies], [len(region['agencies']) for region in regions]

    def alone(bounds: tuple[int, ...]) -> float:  # a line for each agency alone under its region's heading
        parts = (Counter(owner[a:b]).items() for a, b in itertools.pairwise(bounds))
        return sum(ALONE for part in parts for i, count in part if count == 1 and sizes[i] > 1)

    shared = []
    starting = [0 if starts else HEADING for starts in first]
    for run in even_runs(agencies, heights, columns, starting, alone):
        parts: list[dict[str, Any]] = []
        for i, agency in run:
            if not parts or parts[-1]['key'] != regions[i]['key']:
                continued = agency is not regions[i]['agencies'][0]
                parts.append({**regions[i], 'agencies': [], 'continued': continued})
            parts[-1]['agencies'].append(agency)
        shared.append(parts)
    return shared


def source_columns(sources: list[dict[str, Any]], columns: int = SOURCE_COLUMNS) -> list[list[dict[str, Any]]]:
    """The fact sheet's sources in columns: each its title, its address and a gap."""

    def height(source: dict[str, Any]) -> float:
        address = (source['url'] or source['file'] or '').removeprefix('https://')
        return lines(f'{source["title"]}: {address}', SOURCE_LINE) + 0.3

    return even_runs(sources, [height(source) for source in sources], columns)
