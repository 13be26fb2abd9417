"""One module per chart, each with:

- SIZE: the figure size in inches (or size(data), when the data sets it);
- select(facts): the part of the derived facts the chart reads (plain JSON data). It is
  the chart's whole input: build.py redraws a chart only when this, the module, the
  style file, the palette or the libraries change;
- table(data): the same data as table rows, the chart's text alternative in the handout;
- draw(ax, data, palette): draws onto the Axes it is given. build.py creates the
  Figure (never pyplot), applies isecg.mplstyle and saves the SVG.
"""
