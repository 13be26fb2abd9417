"""The density steps of the fact sheet, and the search for the first that fits each page.

A step sets CSS custom properties over templates/factsheet.css's defaults (every value at
most the default: a step only tightens) and says how the members are shown. The ladder runs
from the roomiest step to the floor, each step at least as tight as the ones before it in
every property. The search infers only what a layout showed: a step is known to fail when
one at least as roomy in every property failed, known to fit when one at least as tight
fitted; on the back page only between steps that show the members the same way."""

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
    members: str  # 'cards' (a grid), 'list' (three columns, regions whole) or 'list flowing' (a region may run on)
    css: str
    # The height each page's sections take at this step, as a share of their height at the
    # first: measured once on the shipped editions (bench/steps.py prints them), kept with
    # the program. Only the search's guess of where to look: what it chooses is measured.
    front: float = 1.0
    back: float = 1.0


SNUG = '--space: 4mm; --band-top: 8mm; --band-bottom: 5.5mm;'
SNUG_SMALL = SNUG + ' --space: 3mm; --band-top: 7mm; --band-bottom: 5mm; --body-size: 9pt;'
COMPACT = SNUG_SMALL + ' --anniversary-size: 60pt; --figure-size: 26pt;'
SMALL = COMPACT + ' --h2-size: 12pt; --small-size: 7.8pt; --lead: 1.38; --lede-size: 12pt;'
SMALLER = (
    SMALL
    + ' --body-size: 8.5pt; --h2-size: 11.5pt; --small-size: 7.5pt; --note-size: 8pt; --lead: 1.34; --qr-size: 14mm;'
    ' --lede-size: 11.5pt;'
)
FLOOR = SMALLER + (
    ' --body-size: 8pt; --h2-size: 11pt; --note-size: 7.5pt; --lead: 1.3; --space: 2.5mm; --qr-size: 12mm;'
    ' --anniversary-size: 52pt; --figure-size: 20pt; --band-top: 6mm; --band-bottom: 4.5mm; --lede-size: 10.5pt;'
    ' --source-size: 7.2pt; --source-lead: 1.25;'
)
# Each step is at least as tight as every step before it in every property (a test checks
# it), so a page that does not fit at one step fits at none before it that shows the
# members the same way (see as_tight).
STEPS = (
    Step('standard', 'cards', ''),
    Step('snug', 'cards', SNUG, front=0.98, back=0.994),
    Step('snug, small type', 'cards', SNUG_SMALL, front=0.935, back=0.971),
    Step('member list', 'list', SNUG_SMALL, front=0.935, back=0.906),
    Step('compact', 'list', COMPACT, front=0.919, back=0.906),
    Step('small type', 'list', SMALL, front=0.906, back=0.9),
    Step('smaller type', 'list', SMALLER, front=0.882, back=0.869),
    Step('floor', 'list flowing', FLOOR, front=0.815, back=0.795),
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


# A page's predicted height counts as fitting only with this share of the page to spare: a
# block that does not fit moves whole to the next page, so a page near full often does not.
SPARE = 0.97
Measured = tuple[bool, float, float]  # what a layout showed of a page: (fits, height, room), in mm


def properties(step: Step) -> dict[str, float]:
    """The custom properties a step sets, as numbers (the last setting wins)."""
    return {name: float(value) for name, value in re.findall(r'--([a-z-]+):\s*([0-9.]+)', step.css)}


def as_tight(a: Step, b: Step, page: str) -> bool:
    """True when step a is at least as tight as step b for this page ('front' or 'back'): no
    property larger, and on the back the members shown the same way. Cards and a list are
    not comparable: a list keeps each region whole in one column and a country on one line,
    so one large region or a long country makes it taller than the same members as cards."""
    pa, pb = properties(a), properties(b)
    if any(pa.get(name, math.inf) > pb.get(name, math.inf) for name in pa.keys() | pb.keys()):
        return False
    return page == 'front' or a.members == b.members


class Page:
    """What the search knows of one page: which steps fit, and its measured heights."""

    steps: Sequence[Step]
    page: str
    known: dict[int, bool]
    heights: dict[int, float]
    capacity: float | None
    asked: int  # steps proposed since one was known to fit (a guess that failed not counted)
    proposed: int | None  # the step proposed last

    def __init__(self, steps: Sequence[Step], page: str, hinted: bool = False) -> None:
        self.steps, self.page = steps, page
        # A hint is the guess already made: a page that fits there checks the step before it.
        self.known, self.heights, self.capacity, self.asked = {}, {}, None, int(hinted)
        self.proposed = None

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
        """The step to lay out next (see choose()), remembered: a guess that fails is made again."""
        self.proposed = self.choose()
        return self.proposed

    def choose(self) -> int | None:
        """The step to lay out next: first the roomiest unknown step predicted to fit in the
        page with SPARE (else the tightest unknown), again among the steps left when that guess
        fails; once one fits, the unknown steps are those before it: then the one just before the
        first that fits (which settles the steps alike when it fails), then the middle one of
        those left (heights jump where a block moves on); on the back, then the tightest step
        that shows the members another way."""
        first, unknown = self.open()
        if not unknown:
            return first
        if first is not None and (self.proposed is None or self.known.get(self.proposed) is not False):
            self.asked += 1  # a guess that failed is made again, from the same heights, among the steps left
            if self.asked >= 2:  # the guess is made: check, then halve, the steps alike
                alike = [i for i in unknown if as_tight(self.steps[first], self.steps[i], self.page)]
                if not alike:  # members shown another way: the tightest such step settles them all
                    return unknown[-1]
                return alike[-1] if self.asked == 2 else alike[len(alike) // 2]
        room = SPARE * cast(float, self.capacity)  # set by the first learn(), before any candidate
        return next((index for index in unknown if self.predicted(index) <= room), unknown[-1])

    def predicted(self, index: int) -> float:
        """The height the page would take at this step: a measured height scaled by the
        steps' shares, from the nearest step laid out that shows the members the same way
        (on the back), else from the roomiest that fitted (else the tightest laid out)."""
        share: Callable[[Step], float] = (lambda step: step.front) if self.page == 'front' else (lambda step: step.back)
        alike = [i for i in self.heights if self.page == 'front' or self.steps[i].members == self.steps[index].members]
        fitted = [i for i in self.heights if self.known[i]]
        basis = min(alike, key=lambda i: abs(i - index)) if alike else min(fitted) if fitted else max(self.heights)
        return self.heights[basis] * share(self.steps[index]) / share(self.steps[basis])


class Search:
    """The search for each page's first fitting step, one layout at a time (layout.fit)."""

    steps: Sequence[Step]
    layouts: int
    fitting: dict[tuple[int, ...], Any]  # the layouts at which both pages fit (opaque here: layout.fit's)
    tried: set[tuple[int, ...]]
    first: tuple[int, ...]

    def __init__(self, steps: Sequence[Step], hint: Sequence[int] | None = None) -> None:
        self.steps, self.layouts, self.fitting, self.tried = steps, 0, {}, set()
        valid = hint is not None and all(0 <= step < len(steps) for step in hint)
        self.front, self.back = Page(steps, 'front', valid), Page(steps, 'back', valid)
        floor = len(steps) - 1  # no hint: the tightest steps, whose heights predict the roomier ones
        self.first = tuple(cast(Sequence[int], hint)) if valid else (floor, floor)  # valid: not None

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
