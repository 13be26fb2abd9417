"""Membership over time: the member count by year of joining, as a step chart.

The founding agencies are the dark base; later members rise above it in the colour of
later members everywhere, each rise labelled with how many joined; members no page dates
close the chart as a hatched last step, so that it still reaches today's count."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from factsheet.derive import Facts

SIZE = (3.4, 1.3)  # inches: half the fact sheet's A4 text width, so it prints at 1:1


class Step(TypedDict):
    """One step of the chart's data, as select() keeps it (derive.membership_steps makes it)."""

    year: int
    by_month: int | None  # the month by which a page says the members had joined
    when: str | int  # the table's cell
    added: int
    total: int


def select(facts: 'Facts') -> dict[str, Any]:
    """The facts this chart reads: the steps, the founding count and the years shown."""
    values, membership = facts['values'], facts['membership']
    return {
        'labels': facts['charts']['membership']['labels'],
        'steps': [
            {key: step[key] for key in ('year', 'by_month', 'when', 'added', 'total')} for step in membership['steps']
        ],
        'founding': values['founding'] or 0,
        'members': values['members'],
        'undated': membership['undated'],
        'start': values['formed_year'],
        'end': values['anniversary_year'],
        'busiest': values['busiest_year'],
    }


def table(data: dict[str, Any]) -> list[list[Any]]:
    """The chart's data as table rows: when, members joining, members in all."""
    rows = [[step['when'], step['added'], step['total']] for step in data['steps']]
    if data['undated']:
        rows.append([data['labels']['undated'], data['undated'], data['members']])
    return rows


def position(step: Step) -> float:
    """Where a step rises on the year axis: at the start of its year, or at the end of
    the month by which a page says it had happened."""
    return step['year'] + (step['by_month'] / 12 if step['by_month'] else 0)


def ticks(data: dict[str, Any], gap: int = 2) -> list[int]:
    """The years labelled under the axis: the first, the caption's busiest year and the
    last always; each other year of a step where it leaves room."""
    kept = sorted({data['start'], data['busiest']})
    if all(abs(data['end'] - other) > gap for other in kept):  # "2020 2022" would read as one
        kept.append(data['end'])
    for year in sorted({step['year'] for step in data['steps']}):
        if all(abs(year - other) >= gap for other in kept):
            kept.append(year)
    return sorted(kept)


RISE_GAP = 2.5  # points between two labels of rises


def apart(xs: list[float], texts: list[str], data: dict[str, Any]) -> list[float]:
    """Where the labels of the rises stand, centred over their steps unless two would touch:
    then each is moved right of the one before by its width (measured in the chart's font),
    so that rises a month apart (by December 2021, then 2022) never print one over the other.
    None runs past the end of the axis, where the undated box (or the total) stands: the
    last ones move back left, each by the width of the one after it."""
    import matplotlib
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    span = data['end'] + 1 + (5.5 if data['undated'] else 0.5) - data['start']  # the x axis, in years
    per_point: float = span / (SIZE[0] * 72 * 0.95)  # years a point, the axes nearly the figure's width

    def width(text: str, weight: str = 'normal', size: float = 7) -> float:  # in years
        prop = FontProperties(family=matplotlib.rcParams['font.family'], size=size, weight=weight)
        return float(text_to_path.get_text_width_height_descent(text, prop, ismath=False)[0]) * per_point

    widths, gap = [width(text) for text in texts], RISE_GAP * per_point
    placed: list[float] = []
    for x, wide, previous in zip(xs, widths, [0.0, *widths], strict=False):
        placed.append(max(x, placed[-1] + (previous + wide) / 2 + gap) if placed else x)
    # the undated box begins at the axis's end; without it, the total stands there, centred
    end = data['end'] + 1 - (0 if data['undated'] else width(str(data['members']), 'bold', 8) / 2)
    for i in reversed(range(len(placed))):
        right = end if i == len(placed) - 1 else placed[i + 1] - widths[i + 1] / 2
        placed[i] = min(placed[i], right - gap - widths[i] / 2)
    return placed


def draw(ax: 'Axes', data: dict[str, Any], palette: Mapping[str, str]) -> None:
    """Draw the founding base, the later members' steps and the undated remainder."""
    labels, steps = data['labels'], data['steps']
    start, end = data['start'], data['end'] + 1  # the axis runs to the end of the edition's year
    founding, members = data['founding'], data['members']
    top = steps[-1]['total'] if steps else 0
    if founding:
        ax.fill_between([start, end], 0, founding, color=palette['deep'], linewidth=0)
        ax.text(start + 0.3, founding / 2, labels['founding'], va='center', color=palette['paper'])
    later = [step for step in steps if step['total'] > founding]
    if later:
        xs = [position(step) for step in later] + [end]
        totals = [step['total'] for step in later]
        ax.fill_between(xs, founding, totals + totals[-1:], step='post', color=palette['secondary'], linewidth=0)
        for step, x in zip(later, xs, strict=False):
            if step['by_month']:  # only "a member by then": the rise is dashed
                rise = [step['total'] - step['added'], step['total']]
                ax.plot([x, x], rise, color=palette['paper'], linewidth=1, linestyle=(0, (2, 1.5)))
        rises = [f'+{step["added"]}' for step in later]
        for text, x, step in zip(rises, apart(xs[:-1], rises, data), later, strict=True):
            ax.text(x, step['total'] + 0.4, text, ha='center', va='bottom', fontsize=7)
    if data['undated']:
        ax.bar(
            end,
            data['undated'],
            bottom=top,
            width=1.2,
            align='edge',
            color=palette['paper'],
            edgecolor=palette['secondary'],
            hatch='/////',
            linewidth=0.8,
        )
        ax.text(end + 1.5, top + data['undated'] / 2, f'+{data["undated"]} {labels["undated"]}', va='center')
    total_at = end + (0.6 if data['undated'] else 0)
    ax.text(total_at, members + 0.5, str(members), ha='center', va='bottom', fontweight='bold')
    ax.set_xlim(start, end + (5.5 if data['undated'] else 0.5))
    ax.set_ylim(0, members * 1.22)
    ax.spines['bottom'].set_bounds(start, end)
    labelled = ticks(data)
    ax.set_xticks(labelled, [str(year) for year in labelled])
    ax.set_xticks(range(start, end + 1), minor=True)
    ax.tick_params(axis='x', which='minor', length=1.5, color=palette['rule'])
    ax.set_yticks([])
