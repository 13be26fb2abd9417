"""Membership then and now: the founding agencies against today's members."""

SIZE = (2.3, 1.55)


def draw(ax, facts):
    """Draw two bars, founders and members, labelled with their years and counts."""
    values, palette = facts['values'], facts['palette']
    years = [str(values['discussions_year']), str(values['anniversary_year'])]
    counts = [values['founding'], values['members']]
    bars = ax.bar(years, counts, width=0.55, color=[palette['secondary-2'], palette['deep']])
    ax.bar_label(bars, padding=2, fontsize=11, fontweight='bold', color=palette['ink'])
    ax.set_ylim(0, max(counts) * 1.25)
    ax.set_yticks([])
    ax.set_ylabel(facts['text']['axis'])
