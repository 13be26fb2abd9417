"""The step search chooses what trying every step in order would, in fewer layouts."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from factsheet.steps import STEPS, Search, Step, as_tight, properties

# The ways of showing the members, from the roomiest: the model below scores a list tighter
# than cards (one world the search must be right in; it infers nothing between them).
MEMBERS = ('cards', 'list', 'list flowing')
DEFAULTS = {name: 2 * max(properties(step).get(name, 0) for step in STEPS) for s in STEPS for name in properties(s)}


def tightness(step, page, weights):
    """A score that respects as_tight: a step at least as tight never scores higher."""
    values = properties(step)
    score = sum(weights[name] * values.get(name, DEFAULTS[name]) / DEFAULTS[name] for name in DEFAULTS)
    return score + (weights['members'] * (2 - MEMBERS.index(step.members)) if page == 'back' else 0)


def run(search, fits, heights):
    """Drive a search with made-up pages; return (its choice, layouts) or 'overflow'."""
    while (pair := search.next()) is not None:
        front = (fits['front'](pair[0]), heights['front'](pair[0]), 100.0)
        back = (fits['back'](pair[1]), heights['back'](pair[1]), 100.0)
        search.learn(pair, front, back, pair)
        if search.overflowing():
            return 'overflow'
    used, front, back = search.result()
    # each page is handed back in a layout it fitted in at its chosen step
    assert (front[0], back[1]) == used.indices
    return used.indices, used.layouts


def first_fit(fits):
    return next((index for index in range(len(STEPS)) if fits(index)), None)


weights = st.fixed_dictionaries({name: st.floats(0, 3) for name in [*DEFAULTS, 'members']})


@settings(max_examples=examples(100, 300))
@given(
    weights=weights,
    thresholds=st.tuples(st.floats(0, 40), st.floats(0, 40)),
    noise=st.tuples(st.floats(0.5, 2), st.floats(0.5, 2)),
    hint=st.none() | st.tuples(st.integers(-2, 9), st.integers(-2, 9)),
)
def test_the_search_chooses_the_first_step_that_fits_each_page(weights, thresholds, noise, hint):
    scores = {page: [tightness(step, page, weights) for step in STEPS] for page in ('front', 'back')}
    fits, heights = {}, {}
    for page, threshold, scale in zip(('front', 'back'), thresholds, noise, strict=True):
        fits[page] = lambda index, page=page, threshold=threshold: scores[page][index] <= threshold
        # heights that predict badly: the search must stay right whatever they say
        heights[page] = lambda index, page=page, scale=scale: (
            100.0 * scale * scores[page][index] / max(scores[page][0], 1e-9)
        )
    expected = (first_fit(fits['front']), first_fit(fits['back']))
    outcome = run(Search(STEPS, hint), fits, heights)
    if None in expected:
        assert outcome == 'overflow'
    else:
        assert outcome[0] == expected


def scaled(page, answer, slack=0.99):
    """Heights as the steps' shares say they shrink: `slack` of the room at step `answer`."""
    share = (lambda step: step.front) if page == 'front' else (lambda step: step.back)
    return lambda index: 100 * slack * share(STEPS[index]) / share(STEPS[answer])


def test_a_sheet_that_fits_at_the_roomiest_takes_two_layouts():
    """The floor first (no hint), then the roomiest steps its heights predict, each page's
    height well inside its margin (SPARE)."""
    fits = {'front': lambda index: True, 'back': lambda index: True}
    heights = {'front': scaled('front', 0, 0.8), 'back': scaled('back', 0, 0.8)}
    assert run(Search(STEPS), fits, heights) == ((0, 0), 2)


@pytest.mark.parametrize('slack', [0.8, 0.9, 0.95, 0.99])
def test_heights_that_shrink_as_the_shares_say_take_a_few_layouts_and_a_right_hint_two(slack):
    """Every pair of steps, the page `slack` full at the step that fits: at most 6 layouts
    (trying every step in order takes up to 15), fewer than 4 on average with a fifth of the
    page to spare (the margins are set for the lumps of real pages: bench/steps.py); 2 or 3
    from a right hint."""
    counts = []
    for front_answer in range(len(STEPS)):
        for back_answer in range(len(STEPS)):
            heights = {'front': scaled('front', front_answer, slack), 'back': scaled('back', back_answer, slack)}
            fits = {page: lambda index, height=height: height(index) <= 100 for page, height in heights.items()}
            expected = (first_fit(fits['front']), first_fit(fits['back']))
            chosen, layouts = run(Search(STEPS), fits, heights)
            assert chosen == expected and layouts <= 6, (expected, layouts)
            counts.append(layouts)
            # from a right hint, one layout more for each check: a page's step before it, on the
            # back one for each way of showing the members before it (cards, a list)
            checks = max(int(expected[0] > 0), len({step.members for step in STEPS[: expected[1]]}))
            hinted = 1 + checks
            assert run(Search(STEPS, expected), fits, heights) == (expected, hinted)
    assert slack > 0.8 or sum(counts) / len(counts) < 4


def test_a_hint_that_is_right_takes_two_layouts_and_one_that_is_wrong_is_not_kept():
    fits = {'front': lambda index: index >= 1, 'back': lambda index: index >= 1}
    heights = dict.fromkeys(('front', 'back'), lambda index: 99.0)
    assert run(Search(STEPS, (1, 1)), fits, heights) == ((1, 1), 2)
    assert run(Search(STEPS, (7, 7)), fits, heights)[0] == (1, 1)


def test_each_step_is_at_least_as_tight_as_every_step_before_it_showing_the_members_alike():
    """What lets a check just above the step that fits settle a page: every roomier step of
    the same kind fails too (on the back, the members as cards, as a list, or flowing)."""
    for page in ('front', 'back'):
        for later, step in enumerate(STEPS):
            alike = [before for before in STEPS[:later] if page == 'front' or before.members == step.members]
            assert all(as_tight(step, before, page) for before in alike), (page, step.name)
    assert not math.isnan(DEFAULTS['space'])


def test_a_list_that_fails_says_nothing_of_the_cards_before_it():
    """One large region, or a country too long for a list's line: the back fits as cards and
    not as a list (found by a probe; the search used to raise, or to choose a tighter step)."""
    cards = {index for index, step in enumerate(STEPS) if step.members == 'cards'}
    for fits_back in (lambda index: index in cards, lambda index: index in cards - {0} or index == len(STEPS) - 1):
        fits = {'front': lambda index: index >= 6, 'back': fits_back}
        back = lambda index, fits=fits_back: 94.0 if fits(index) else 124.0  # noqa: E731
        heights = {'front': scaled('front', 6), 'back': back}
        expected = (first_fit(fits['front']), first_fit(fits['back']))
        for hint in (None, (7, 7), (0, 7), (3, 3), (6, 6), (2, 5), expected):
            assert run(Search(STEPS, hint), fits, heights)[0] == expected, hint


def test_a_step_roomier_in_one_property_is_not_as_tight():
    snug, small, member_list = STEPS[1], STEPS[2], STEPS[3]
    assert as_tight(small, snug, 'front') and not as_tight(snug, small, 'front')
    roomier = Step('roomier', 'list', member_list.css + ' --space: 5mm;')
    assert not as_tight(roomier, small, 'front') and as_tight(member_list, small, 'front')
    assert not as_tight(member_list, small, 'back') and not as_tight(small, member_list, 'back')


def test_the_back_guesses_the_list_its_margin_allows_then_settles_the_cards_at_once():
    """A back page as today's sheets have it: the floor fits; the cards are far taller; the
    first list step fits. The floor's height predicts the list within the list's margin and
    the cards outside theirs: the list is tried next, then the tightest cards, which settle
    the cards. Not one step after another."""
    fits = {'front': lambda index: True, 'back': lambda index: index >= 3}
    heights = {
        'front': lambda index: 50.0,
        'back': lambda index: 140.0 if index < 3 else 88.0 * STEPS[index].back / STEPS[3].back,
    }
    search = Search(STEPS)
    tried = []
    while (pair := search.next()) is not None:
        tried.append(pair[1])
        front = (fits['front'](pair[0]), heights['front'](pair[0]), 100.0)
        back = (fits['back'](pair[1]), heights['back'](pair[1]), 100.0)
        search.learn(pair, front, back, pair)
    used, *_ = search.result()
    assert used.indices == (0, 3)
    assert tried == [7, 3, 2]


def test_a_page_left_with_one_check_waits_at_its_step_while_the_other_guesses():
    """The front fits only at the floor; the back's floor predicts its smaller type. The
    front, one check from settled, stays at the floor while the back tries that guess, so
    the layout that confirms it is the answer's; the checks of both pages then share a
    layout: four layouts, not five."""
    fits = {'front': lambda index: index == 7, 'back': lambda index: index >= 6}
    heights = {'front': scaled('front', 7, 0.97), 'back': lambda index: 84.0 * STEPS[index].back / STEPS[7].back}
    search, tried = Search(STEPS), []
    while (pair := search.next()) is not None:
        tried.append(pair)
        front = (fits['front'](pair[0]), heights['front'](pair[0]), 100.0)
        back = (fits['back'](pair[1]), heights['back'](pair[1]), 100.0)
        search.learn(pair, front, back, pair)
    assert search.result()[0].indices == (7, 6)
    assert tried == [(7, 7), (7, 6), (6, 5), (7, 2)]


@pytest.mark.parametrize('joins', [True, False])
def test_pages_that_fitted_in_different_layouts_are_not_laid_out_together_again(joins):
    """As the Japanese A4 sheet measured: the front fits from step 4 on, the back from its
    list's step 5 on (not at 4, nor as cards). The front's step is settled in the layout
    at (4, 4), the back's in the one at (5, 5): the result takes each page from its own
    layout, and no fifth layout lays out (4, 5); but for a search that may not join (a
    template that mixes the pages' sections), which lays out (4, 5)."""
    measured = {  # (fits, height) of each page at a step, as laid out (mm, on a 281 mm page)
        'front': {7: (True, 247.3), 5: (True, 273.1), 4: (True, 276.8), 3: (False, 279.1)},
        'back': {7: (True, 227.7), 5: (True, 265.6), 4: (False, 350.3), 2: (False, 350.3)},
    }
    search, tried = Search(STEPS, joins=joins), []
    while (pair := search.next()) is not None:
        tried.append(pair)
        front, back = measured['front'][pair[0]], measured['back'][pair[1]]
        search.learn(pair, (*front, 281.0), (*back, 281.0), pair)
    used, front_layout, back_layout = search.result()
    assert tried == [(7, 7), (5, 5), (4, 4), (3, 2)] + ([] if joins else [(4, 5)])
    layouts = ((4, 4), (5, 5)) if joins else ((4, 5), (4, 5))
    assert (used.indices, used.layouts, (front_layout, back_layout)) == ((4, 5), 4 + (not joins), layouts)
