"""One module per chart. Each has SIZE (inches) and draw(ax, facts), which draws onto
the Axes it is given from the derived facts; build.py creates the Figure, applies
isecg.mplstyle and saves the SVG."""
