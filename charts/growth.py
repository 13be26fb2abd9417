"""Membership then and now: the founding agencies against today's members."""

SIZE = (2.23, 1.3)  # inches: a third of the fact sheet's A4 text width, so it prints at 1:1


def select(facts):
    """The facts this chart reads: the two years and the two counts."""
    values = facts['values']
    return {
        'axis': facts['charts']['growth']['labels']['axis'],
        'bars': [
            {'year': values['discussions_year'], 'count': values['founding']},
            {'year': values['anniversary_year'], 'count': values['members']},
        ],
    }


def table(data):
    """The chart's data as table rows."""
    return [[bar['year'], bar['count']] for bar in data['bars']]


def draw(ax, data, palette):
    """Draw one bar per year, labelled with its count."""
    bars = data['bars']
    drawn = ax.bar(
        [str(bar['year']) for bar in bars],
        [bar['count'] for bar in bars],
        width=0.55,
        color=[palette['secondary-2'], palette['deep']],
    )
    ax.bar_label(drawn, padding=2, fontsize=11, fontweight='bold')
    ax.set_ylim(0, max(bar['count'] for bar in bars) * 1.25)
    ax.set_yticks([])
    ax.set_ylabel(data['axis'])
