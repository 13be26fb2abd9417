"""Member agencies by region, founding members and later members stacked."""

SIZE = (2.3, 1.55)


def draw(ax, facts):
    """Draw one horizontal stacked bar per region onto ax, largest at the top."""
    palette, text = facts['palette'], facts['text']
    regions = sorted(facts['regions'], key=lambda region: region['count'])
    labels = [region['label'] for region in regions]
    founding = [region['founding'] for region in regions]
    later = [region['count'] - region['founding'] for region in regions]
    ax.barh(labels, founding, height=0.62, color=palette['deep'], label=text['founding'])
    ax.barh(labels, later, left=founding, height=0.62, color=palette['secondary-2'], label=text['later'])
    for y, region in enumerate(regions):
        ax.text(region['count'] + 0.3, y, str(region['count']), va='center', fontsize=8,
                fontweight='bold', color=palette['ink'])
    ax.set_xlim(0, max(region['count'] for region in regions) * 1.15)
    ax.set_xticks([])
    ax.spines['bottom'].set_visible(False)
    ax.legend(loc='lower right', handlelength=0.9, handleheight=0.9, borderaxespad=0)
