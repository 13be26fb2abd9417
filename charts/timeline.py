"""The forum's mandate on a time axis: the initial term, then the extension."""

SIZE = (2.23, 1.3)  # inches: a third of the fact sheet's A4 text width, so it prints at 1:1


def select(facts):
    """The facts this chart reads: the mandate periods."""
    values, labels = facts['values'], facts['charts']['timeline']['labels']
    return {
        'periods': [
            {'label': labels['term'], 'start': values['formed_year'], 'end': values['term_until']},
            {'label': labels['extension'], 'start': values['extension_year'], 'end': values['extension_until']},
        ]
    }


def table(data):
    """The chart's data as table rows."""
    return [[period['label'], period['start'], period['end']] for period in data['periods']]


def draw(ax, data, palette):
    """Draw one bar per mandate period, labelled with its name and years."""
    periods = data['periods']
    colours = [palette['secondary'], palette['deep']]
    for row, period in enumerate(periods):
        y = (len(periods) - 1 - row) * 1.6
        ax.barh(
            y, period['end'] - period['start'], left=period['start'], height=0.55, color=colours[row % len(colours)]
        )
        ax.text(
            period['start'],
            y + 0.45,
            f'{period["label"]}, {period["start"]}–{period["end"]}',
            fontsize=7.5,
            va='bottom',
            ha='left',
        )
    ticks = sorted({year for period in periods for year in (period['start'], period['end'])})
    ax.set_xticks(ticks, [str(year) for year in ticks])
    ax.set_xlim(ticks[0] - 0.5, ticks[-1] + 0.5)
    ax.set_ylim(-0.6, (len(periods) - 1) * 1.6 + 1.3)
    ax.set_yticks([])
