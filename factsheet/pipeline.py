"""The pipeline, written once: the steps from the data folder to an edition's documents.

    read(data_dir)                            load and validate every data file
    facts(files, options)                     each edition's facts, derived ({language: Facts})
    charts(facts)                             the charts an edition shows, with the data each reads
    draw(name, chart, facts, palette)         one chart's SVG, checked
    handout(facts, svgs, rows, ...)           the handout's HTML
    factsheet(facts, svgs, rows, options, …)  the fact sheet's PDF, at the steps that fit each page

A build runs read, facts and charts in its own process and hands the rest to its workers
(jobs.py); watch mode's helper runs every step once to warm up (documents()); bench/ and
the tests call the same functions. Nothing else lists the steps: STEPS names them, and a
test checks that the build and the warm-up run the same ones."""

from .colours import read_palette
from .derive import every_edition
from .draw import checked, draw_chart, select_charts, tables
from .editions import wanted
from .load import load
from .render import render_factsheet, render_handout
from .validate import validate

STEPS = ('read', 'facts', 'charts', 'draw', 'handout', 'factsheet')


def read(data_dir):
    """Load and validate every data file (every language's words): {name: Loaded}, or a UserError."""
    files = load(data_dir)
    validate(files)
    return files


def facts(files, options=None):
    """The facts of the editions the options ask for, or of every edition: {language: Facts}."""
    return every_edition(files, wanted(options)) if options else every_edition(files)


def charts(edition):
    """The charts an edition's facts show: {name: (module, the data it reads)}."""
    return select_charts(edition)


def draw(name, chart, edition, palette):
    """One chart's SVG (`chart`: (module, data), from charts()), parsed to check it."""
    module, data = chart
    return checked(draw_chart(module, data, palette, edition['slug'], edition['language']), name)


def handout(edition, svgs, rows, modified=None, links=None):
    """The handout's HTML."""
    return render_handout(edition, svgs, rows, modified, links)


def factsheet(edition, svgs, rows, options, paper=None, hint=None):
    """The fact sheet: (PDF bytes, the density steps chosen, the page count)."""
    return render_factsheet(edition, svgs, rows, options, paper, hint)


def documents(options):
    """Every step once, for each edition the options ask for, writing nothing: what watch
    mode's helper does to warm up. Yields each document's bytes as it is made."""
    palette = read_palette()
    for edition in facts(read(options.data), options).values():
        shown = charts(edition)
        svgs = {name: draw(name, chart, edition, palette) for name, chart in shown.items()}
        rows = tables(shown)
        yield handout(edition, svgs, rows).encode()
        if 'pdf' in options.targets:
            yield factsheet(edition, svgs, rows, options)[0]
