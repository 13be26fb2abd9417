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


# A page's predicted height counts as fitting only with this share of the page to spare, by
# what the page shows: the front's text flows on, so a prediction errs little; the members
# are laid out in whole blocks (a region, a row of cards) that move on as one when they do
# not fit, so a list or cards need more room. Set from the shipped editions and the tests'
# data (`bench/steps.py data tests/fixture/data` prints, for each, the largest predicted
# share that fitted and the smallest that did not: for cards 0.914 and 0.913, for a list
# 0.920 and 0.917, so the two share a margin) and from the same data with 15 to 45 members
# and the prose at its limits. Only the search's guess of where to look: what it chooses is
# measured.
SPARE = {'front': 0.98, 'cards': 0.922, 'list': 0.922, 'list flowing': 0.922}
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
    capacity: float

    def __init__(self, steps: Sequence[Step], page: str) -> None:
        self.steps, self.page, self.known, self.heights, self.capacity = steps, page, {}, {}, math.inf

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

    def proposal(self) -> tuple[int | None, str]:
        """The step to lay out next, and what it is: 'answer' (the page is settled: its first
        step that fits, None if none does), 'guess' (the roomiest unknown step predicted to
        fit, else the tightest unknown when none is known to fit) or 'check' (none is
        predicted to fit before the first known to fit: the step just before it, which
        settles the steps alike when it fails; on the back, then the tightest step that
        shows the members another way, which settles those)."""
        first, unknown = self.open()
        if not unknown:
            return first, 'answer'
        likely = [i for i in unknown if self.predicted(i) <= SPARE[self.kind(i)] * self.capacity]
        if likely:
            return likely[0], 'guess'
        if first is None:  # none known to fit: the tightest unknown
            return unknown[-1], 'guess'
        alike = [i for i in unknown if as_tight(self.steps[first], self.steps[i], self.page)]
        return (alike or unknown)[-1], 'check'

    def work(self, guess: int | None = None) -> int:
        """The layouts this page still expects to take: the guess (if given), then a check
        for each way of showing the members among the unknown steps before it."""
        first, unknown = self.open()
        end = first if guess is None else guess
        return (guess is not None) + len({self.kind(i) for i in unknown if end is None or i < end})

    def kind(self, index: int) -> str:
        return 'front' if self.page == 'front' else self.steps[index].members

    def predicted(self, index: int) -> float:
        """The height the page would take at this step: a measured height scaled by the
        steps' shares, from the nearest step that fitted and shows the members the same way
        (on the back), else from any that fitted (a page that overflows is measured by the
        whole blocks moved on: not a height to scale), else from the nearest laid out."""
        share: Callable[[Step], float] = (lambda step: step.front) if self.page == 'front' else (lambda step: step.back)
        alike = [i for i in self.heights if self.kind(i) == self.kind(index)]
        fitted = [i for i in self.heights if self.known[i]]
        near = [i for i in alike if self.known[i]] or fitted or alike or list(self.heights)
        basis = min(near, key=lambda i: abs(i - index))
        return self.heights[basis] * share(self.steps[index]) / share(self.steps[basis])


class Search:
    """The search for each page's first fitting step, one layout at a time (layout.fit)."""

    steps: Sequence[Step]
    layouts: int
    # For each page, its roomiest step that fitted and a layout it fitted in (opaque here:
    # layout.fit's), which the result takes that page from.
    best: dict[str, tuple[int, Any]]
    tried: set[tuple[int, ...]]
    first: tuple[int, ...]

    def __init__(self, steps: Sequence[Step], hint: Sequence[int] | None = None, joins: bool = True) -> None:
        """`joins`: the result may take each page from a layout of its own (else both from one)."""
        self.steps, self.layouts, self.best, self.tried, self.joins = steps, 0, {}, set(), joins
        valid = hint is not None and all(0 <= step < len(steps) for step in hint)
        self.front, self.back = Page(steps, 'front'), Page(steps, 'back')
        floor = len(steps) - 1  # no hint: the tightest steps, whose heights predict the roomier ones
        self.first = tuple(cast(Sequence[int], hint)) if valid else (floor, floor)  # valid: not None

    def next(self) -> tuple[int, ...] | None:
        """The (front, back) steps to lay out next, or None when both pages are settled, each
        laid out at its answer (together or not: see result)."""
        if not self.layouts:
            return self.first
        (front, front_is), (back, back_is) = self.front.proposal(), self.back.proposal()
        # A page left with checks only, and fewer than the other's guess leaves it, waits at
        # its first step known to fit: if the guess is right, that layout is the answer's.
        if front_is == 'check' and back_is == 'guess' and self.front.work() < self.back.work(back):
            front = self.front.open()[0]
        elif back_is == 'check' and front_is == 'guess' and self.back.work() < self.front.work(front):
            back = self.back.open()[0]
        if front is None or back is None or (front, back) in self.tried:  # settled (or see result)
            return None
        if front_is == back_is == 'answer' and self.composed((front, back)):
            return None
        return front, back

    def composed(self, pair: tuple[int | None, ...]) -> bool:
        """True when each page was laid out at its step of the pair and fitted (in one layout,
        unless the search joins)."""
        laid_out = [self.best.get(page, (None, None)) for page in ('front', 'back')]
        together = laid_out[0][1] is laid_out[1][1]
        return [step for step, _ in laid_out] == list(pair) and (self.joins or together)

    def learn(self, pair: tuple[int, ...], front: Measured, back: Measured, layout: Any) -> None:
        """What one layout at these steps showed: (fits, height, room) for each page, in mm."""
        self.layouts += 1
        self.tried.add(pair)
        self.front.learn(pair[0], *front)
        self.back.learn(pair[1], *back)
        pages = (('front', pair[0], front[0]), ('back', pair[1], back[0]))
        best = {page: self.best.get(page, (len(self.steps),))[0] for page, _, _ in pages}
        both = all(fits and step <= best[page] for page, step, fits in pages)
        for page, step, fits in pages:  # the first layout a page fitted in at its roomiest
            if fits and (step < best[page] or both):  # step, or a later one both pages fitted in
                self.best[page] = (step, layout)

    def overflowing(self) -> bool:
        """True when a page fits at no step."""
        return any(page.open() == (None, []) for page in (self.front, self.back))

    def result(self) -> tuple[Fit, Any, Any] | None:
        """(Fit, the layout the front page fitted in at its step, the one the back did: the
        same when the two were laid out together); None if a page's step has no layout it
        fitted in (one page's step changed the other's: a template that breaks the
        independence the search relies on)."""
        pair = cast(tuple[int, ...], (self.front.answer(), self.back.answer()))  # None in it: never composed
        if not self.composed(pair):
            return None
        fit = Fit(self.steps[pair[0]], self.steps[pair[1]], pair, self.layouts)
        return fit, self.best['front'][1], self.best['back'][1]
