"""The forum's mandate on a time axis: the initial term, then the extension."""

SIZE = (2.3, 1.45)


def draw(ax, facts):
    """Draw one bar per mandate period onto ax, labelled with its name and years."""
    values, palette, text = facts['values'], facts['palette'], facts['text']
    formed, extended, until = values['formed_year'], values['extension_year'], values['extension_until']
    spans = [(text['term'], formed, formed + values['term_years'], palette['secondary']),
             (text['extension'], extended, until, palette['deep'])]
    for row, (label, start, end, colour) in enumerate(spans):
        y = len(spans) - 1 - row
        ax.barh(y, end - start, left=start, height=0.5, color=colour)
        ax.text(start, y + 0.33, f'{label}, {start}–{end}', fontsize=7.5, va='bottom', ha='left')
    ticks = sorted({formed, extended, until})
    ax.set_xticks(ticks, [str(year) for year in ticks])
    ax.set_xlim(ticks[0] - 0.5, ticks[-1] + 0.5)
    ax.set_ylim(-0.5, len(spans) + 0.1)
    ax.set_yticks([])
    ax.grid(axis='x', color=palette['rule'], linewidth=0.6)
    ax.set_axisbelow(True)
