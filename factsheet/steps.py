"""The density steps of the fact sheet, and the search for the first that fits each page.

A step sets CSS custom properties over templates/factsheet.css's defaults (every value at
most the default: a step only tightens) and says how the members are shown. The ladder runs
from the roomiest step to the floor, but it is not a total order for a page: 'member list'
sets the front page as 'snug' does, roomier than 'snug, small type' before it. So each page
takes the first step of the ladder at which it fits, and a step is known to fail when one
at least as roomy in every property failed, known to fit when one at least as tight fitted.
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast


@dataclass(frozen=True)
class Step:
    """One density step: how the members are shown, and the CSS custom properties that
    override templates/factsheet.css's defaults (each step includes the ones before)."""

    name: str
    members: str  # 'cards' (a grid), 'list' (three columns, regions whole) or 'list flowing'
    css: str
    # The height each page's sections take at this step, as a share of their height at the
    # first: measured once on the shipped editions (bench/steps.py prints them), kept with
    # the program. Only the search's guess of where to look: what it chooses is measured.
    front: float = 1.0
    back: float = 1.0


SNUG = '--space: 4mm; --band-top: 8mm; --band-bottom: 5.5mm;'
COMPACT = SNUG + ' --anniversary-size: 60pt; --figure-size: 26pt;'
SMALL = (
    COMPACT
    + ' --body-size: 9pt; --h2-size: 12pt; --small-size: 7.8pt; --lead: 1.38; --space: 3.5mm; --lede-size: 12pt;'
)
SMALLER = (
    SMALL
    + ' --body-size: 8.5pt; --h2-size: 11.5pt; --small-size: 7.5pt; --note-size: 8pt; --lead: 1.34; --qr-size: 14mm;'
    ' --lede-size: 11.5pt;'
)
FLOOR = SMALLER + (
    ' --body-size: 8pt; --h2-size: 11pt; --note-size: 7.5pt; --lead: 1.3; --space: 2.5mm; --qr-size: 12mm;'
    ' --anniversary-size: 52pt; --figure-size: 20pt; --band-top: 6mm; --band-bottom: 4.5mm; --lede-size: 10.5pt;'
)
STEPS = (
    Step('standard', 'cards', ''),
    Step('snug', 'cards', SNUG, front=0.978, back=0.991),
    Step(
        'snug, small type',
        'cards',
        SNUG + ' --space: 3mm; --band-top: 7mm; --band-bottom: 5mm; --body-size: 9pt;',
        front=0.938,
        back=0.968,
    ),
    Step('member list', 'list', SNUG, front=0.978, back=0.94),
    Step('compact', 'list', COMPACT, front=0.96, back=0.94),
    Step('small type', 'list', SMALL, front=0.924, back=0.9),
    Step('smaller type', 'list', SMALLER, front=0.895, back=0.86),
    Step('floor', 'list flowing', FLOOR, front=0.817, back=0.77),
)


@dataclass(frozen=True)
class Fit:
    """The steps a layout used: one for the front page, one for the back."""

    front: Step
    back: Step
    indices: tuple[int, ...] = (0, 0)  # of the steps in STEPS: the hint for the next build
    layouts: int = 1  # how many the search took

    @property
    def name(self) -> str:
        return self.front.name if self.front == self.back else f'{self.front.name} / {self.back.name}'


MEMBERS = ('cards', 'list', 'list flowing')  # from the roomiest
Measured = tuple[bool, float, float]  # what a layout showed of a page: (fits, height, room), in mm


def properties(step: Step) -> dict[str, float]:
    """The custom properties a step sets, as numbers (the last setting wins)."""
    return {name: float(value) for name, value in re.findall(r'--([a-z-]+):\s*([0-9.]+)', step.css)}


def as_tight(a: Step, b: Step, page: str) -> bool:
    """True when step a is at least as tight as step b for this page ('front' or 'back'):
    no property larger, and on the back the members shown no roomier."""
    pa, pb = properties(a), properties(b)
    if any(pa.get(name, math.inf) > pb.get(name, math.inf) for name in pa.keys() | pb.keys()):
        return False
    return page == 'front' or MEMBERS.index(a.members) >= MEMBERS.index(b.members)


class Page:
    """What the search knows of one page: which steps fit, and its measured heights."""

    steps: Sequence[Step]
    page: str
    known: dict[int, bool]
    heights: dict[int, float]
    capacity: float | None

    def __init__(self, steps: Sequence[Step], page: str) -> None:
        self.steps, self.page = steps, page
        self.known, self.heights, self.capacity = {}, {}, None

    def learn(self, index: int, fits: bool, height: float, capacity: float) -> None:
        self.known[index], self.heights[index], self.capacity = fits, height, capacity

    def status(self, index: int) -> bool | None:
        """True or False when the step is known (laid out, or inferred) to fit or not; None otherwise."""
        if index in self.known:
            return self.known[index]
        step = self.steps[index]
        if any(not fits and as_tight(self.steps[i], step, self.page) for i, fits in self.known.items()):
            return False
        if any(fits and as_tight(step, self.steps[i], self.page) for i, fits in self.known.items()):
            return True
        return None

    def open(self) -> tuple[int | None, list[int]]:
        """(the first step known to fit or None, the steps still unknown before it)."""
        unknown: list[int] = []
        for index in range(len(self.steps)):
            status = self.status(index)
            if status:
                return index, unknown
            if status is None:
                unknown.append(index)
        return None, unknown

    def answer(self) -> int | None:
        """The first step that fits, once every step before it is known not to; else None."""
        first, unknown = self.open()
        return None if unknown else first

    def candidate(self) -> int | None:
        """The step to lay out next. While none is known to fit: the first unknown one at which
        the height measured at the tightest step laid out, scaled by the steps' shares, fits in
        the page (else the floor). Then the unknown steps before the first that fits, from the
        one just before it."""
        first, unknown = self.open()
        if not unknown:
            return first
        if first is not None:
            return unknown[-1]
        share: Callable[[Step], float] = (lambda step: step.front) if self.page == 'front' else (lambda step: step.back)
        measured = max(self.heights)
        for index in unknown:
            if self.heights[measured] * share(self.steps[index]) / share(self.steps[measured]) <= cast(
                float, self.capacity
            ):
                return index
        return unknown[-1]


class Search:
    """The search for each page's first fitting step, one layout at a time (layout.fit)."""

    steps: Sequence[Step]
    layouts: int
    fitting: dict[tuple[int, ...], Any]  # the layouts at which both pages fit (opaque here: layout.fit's)
    tried: set[tuple[int, ...]]
    first: tuple[int, ...]

    def __init__(self, steps: Sequence[Step], hint: Sequence[int] | None = None) -> None:
        self.steps, self.layouts, self.fitting, self.tried = steps, 0, {}, set()
        self.front, self.back = Page(steps, 'front'), Page(steps, 'back')
        valid = hint is not None and all(0 <= step < len(steps) for step in hint)
        self.first = tuple(cast(Sequence[int], hint)) if valid else (0, 0)  # valid: not None

    def next(self) -> tuple[int, ...] | None:
        """The (front, back) steps to lay out next, or None when both pages are settled and
        laid out together."""
        if not self.layouts:
            return self.first
        pair = (self.front.candidate(), self.back.candidate())
        if None in pair or pair in self.tried:  # settled (or the pages are not independent: see result)
            return None
        return cast(tuple[int, ...], pair)  # no None in it: see above

    def learn(self, pair: tuple[int, ...], front: Measured, back: Measured, layout: Any) -> None:
        """What one layout at these steps showed: (fits, height, room) for each page, in mm."""
        self.layouts += 1
        self.tried.add(pair)
        self.front.learn(pair[0], *front)
        self.back.learn(pair[1], *back)
        if front[0] and back[0]:
            self.fitting[pair] = layout

    def overflowing(self) -> bool:
        """True when a page fits at no step."""
        return any(page.open() == (None, []) for page in (self.front, self.back))

    def result(self) -> tuple[Fit, Any] | None:
        """(Fit, the layout at the steps chosen); None if the pages did not fit at the steps
        each was found to fit at on its own (one page's step changed the other's: a template
        that breaks the independence the search relies on)."""
        pair = cast(tuple[int, ...], (self.front.answer(), self.back.answer()))  # None in it: never in fitting
        if pair not in self.fitting:
            return None
        return Fit(self.steps[pair[0]], self.steps[pair[1]], pair, self.layouts), self.fitting[pair]
