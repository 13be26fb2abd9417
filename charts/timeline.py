"""The milestones on a to-scale time axis, with the forum's initial mandate and its extension.

Each year is a span of the axis; an event known to the month sits in its month, one known
to the year in the middle of its year. The milestones' words sit in evenly spaced
columns above the axis, each joined to its point on the axis by a leader line."""

import textwrap

SIZE = (7.15, 1.4)  # inches: the fact sheet's A4 text width, so it prints at 1:1
COLUMN = 27  # characters a milestone's line holds at 7.5 pt in a fifth of the width
TOP = 62  # points above the axis where the words begin: a date and up to four lines
LEADER = TOP - 10 - 4 * 8.3 - 3  # where the leader lines start, below the fourth line


def select(facts):
    """The facts this chart reads: the milestones and the mandate periods."""
    values, labels = facts['values'], facts['charts']['timeline']['labels']
    formed = values['formed_year'] + (facts['org']['formed']['month'] - 0.5) / 12
    term_end = formed + values['term_years']
    return {
        'start': values['discussions_year'],
        'end': values['anniversary_year'],
        'milestones': [
            {
                'when': f'{milestone["month"]} {milestone["year"]}' if milestone['month'] else str(milestone['year']),
                'at': milestone['year'] + ((milestone['month_number'] - 0.5) / 12 if milestone['month'] else 0.5),
                'text': milestone['text'],
            }
            for milestone in facts['milestones']
        ],
        'periods': [
            {'label': labels['term'], 'start': formed, 'end': term_end},
            {'label': labels['extension'], 'start': term_end, 'end': term_end + values['extension_years']},
        ],
    }


def table(data):
    """The chart's data as table rows: when, what."""
    return [[milestone['when'], milestone['text']] for milestone in data['milestones']]


def draw(ax, data, palette):
    """Draw the year axis, the two mandate bands under it and the milestones above it."""
    start, end = data['start'], data['end'] + 1
    milestones = data['milestones']
    # The axis, one tick label in the middle of each year.
    ax.plot([start, end], [0, 0], color=palette['ink'], linewidth=0.8, solid_capstyle='butt')
    for year in range(start, end + 1):
        ax.plot([year, year], [-2, 2], color=palette['ink'], linewidth=0.5)
    ax.set_xticks([year + 0.5 for year in range(start, end)], [str(year) for year in range(start, end)])
    ax.tick_params(axis='x', length=0, pad=1.5)
    # The mandate: two bands in one colour, parted by a gap, labelled inside. The y axis
    # counts points, so that the words keep their room whatever the chart's height.
    for period in data['periods']:
        ax.fill_between([period['start'] + 0.04, period['end'] - 0.04], -17, -6, color=palette['mandate'], linewidth=0)
        ax.text(
            period['start'] + 0.15, -11.5, period['label'], va='center', ha='left', color=palette['paper'], fontsize=7
        )
    # The milestones: words in columns, a leader to a point on the axis.
    width = (end - start) / len(milestones)
    for i, milestone in enumerate(milestones):
        left = start + i * width
        last = i == len(milestones) - 1
        colour = palette['accent-ink'] if last else palette['ink']
        lines = textwrap.wrap(milestone['text'], COLUMN, break_on_hyphens=False)
        ax.text(left, TOP, milestone['when'], fontweight='bold', va='top', ha='left', color=colour, fontsize=8)
        ax.text(left, TOP - 10, '\n'.join(lines), va='top', ha='left', fontsize=7.5, linespacing=1.1)
        ax.plot([left, left, milestone['at']], [LEADER, 10, 3], color=palette['muted'], linewidth=0.5)
        ax.plot([milestone['at']], [0], marker='o', markersize=5, color=colour, markeredgecolor=palette['paper'])
    ax.set_xlim(start, end)
    ax.set_ylim(-18, TOP + 1)
    ax.set_yticks([])
    ax.spines['bottom'].set_visible(False)
