"""The step search chooses what trying every step in order would, in fewer layouts."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from factsheet.steps import MEMBERS, STEPS, Search, as_tight, properties

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
    used, layout = search.result()
    assert layout == used.indices  # the layout handed back is the one at the chosen steps
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


def test_a_page_that_fits_at_once_takes_one_layout():
    fits = {'front': lambda index: True, 'back': lambda index: True}
    heights = dict.fromkeys(('front', 'back'), lambda index: 90.0)
    assert run(Search(STEPS), fits, heights) == ((0, 0), 1)


def test_a_right_guess_and_a_check_below_it_suffice():
    """The back fits from step 3 on ('member list'); its height at the first says so."""
    fits = {'front': lambda index: True, 'back': lambda index: index >= 3}
    heights = {'front': lambda index: 90.0, 'back': lambda index: 100 / STEPS[3].back * (STEPS[index].back)}
    assert run(Search(STEPS), fits, heights)[0] == (0, 3)
    assert run(Search(STEPS), fits, heights)[1] <= 3


def test_a_hint_that_is_right_takes_two_layouts_and_one_that_is_wrong_is_not_kept():
    fits = {'front': lambda index: index >= 1, 'back': lambda index: index >= 1}
    heights = dict.fromkeys(('front', 'back'), lambda index: 99.0)
    assert run(Search(STEPS, (1, 1)), fits, heights) == ((1, 1), 2)
    assert run(Search(STEPS, (7, 7)), fits, heights)[0] == (1, 1)


def test_the_ladder_is_not_a_total_order_on_the_front_page():
    """'member list' sets the front as 'snug' does: roomier than 'snug, small type' before it."""
    snug, small, member_list = STEPS[1], STEPS[2], STEPS[3]
    assert as_tight(small, member_list, 'front') and not as_tight(member_list, small, 'front')
    assert as_tight(member_list, snug, 'front') and as_tight(snug, member_list, 'front')
    assert not math.isnan(DEFAULTS['space'])
