"""The pipeline, written once: the steps from the data folder to an edition's documents.

    read(data_dir)                            load and validate every data file
    facts(files, options)                     each edition's facts, derived ({language: Facts})
    data(files, facts)                        the facts as data: the JSON file every PDF carries
    charts(facts)                             the charts an edition shows, with the data each reads
    draw(name, chart, facts, palette)         one chart's SVG, checked
    handout(facts, svgs, rows, ...)           the handout's HTML
    card(facts, palette)                      the share card its links show (PNG)
    factsheet(facts, svgs, rows, options, …)  the fact sheet's PDF, at the steps that fit each page,
                                              the facts file attached

A build runs read, facts and charts in its own process and hands the rest to its workers
(jobs.py); watch mode's helper runs every step once to warm up (documents()); bench/ and
the tests call the same functions. Nothing else lists the steps: STEPS names them, and a
test checks that the build and the warm-up run the same ones."""

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .card import draw as draw_card
from .card import select as select_card
from .colours import read_palette
from .derive import Facts, every_edition
from .draw import Chart, checked, draw_chart, select_charts, tables
from .editions import wanted
from .export import facts_json, facts_name
from .load import Loaded, load
from .pdf import Sheet, render_factsheet
from .render import render_handout
from .validate import validate

if TYPE_CHECKING:
    from .options import Options
    from .steps import Fit

STEPS = ('read', 'facts', 'data', 'charts', 'draw', 'handout', 'card', 'factsheet')


def read(data_dir: Path) -> dict[str, Loaded]:
    """Load and validate every data file (every language's words): {name: Loaded}, or a UserError."""
    files = load(data_dir)
    validate(files)
    return files


def facts(files: Mapping[str, Loaded], options: 'Options | None' = None) -> dict[str, Facts]:
    """The facts of the editions the options ask for, or of every edition: {language: Facts}."""
    return every_edition(files, wanted(options)) if options else every_edition(files)


def data(files: Mapping[str, Loaded], editions: Mapping[str, Facts]) -> tuple[str, bytes]:
    """The facts as data, one file for every edition: (its name, its bytes)."""
    return facts_name(next(iter(editions.values()))['slug']), facts_json(files, editions)


def charts(edition: Facts) -> dict[str, Chart]:
    """The charts an edition's facts show: {name: (module, the data it reads)}."""
    return select_charts(edition)


def draw(name: str, chart: Chart, edition: Facts, palette: Mapping[str, str]) -> str:
    """One chart's SVG (`chart`: (module, data), from charts()), parsed to check it."""
    module, data = chart
    return checked(draw_chart(module, data, palette, edition['slug'], edition['language']), name)


def handout(
    edition: Facts,
    svgs: Mapping[str, str],
    rows: Mapping[str, list[list[Any]]],
    modified: str | None = None,
    links: dict[str, Any] | None = None,
) -> str:
    """The handout's HTML."""
    return render_handout(edition, svgs, rows, modified, links)


def card(edition: Facts, palette: Mapping[str, str]) -> bytes:
    """The edition's share card, as PNG bytes."""
    return draw_card(select_card(edition), palette)


def factsheet(
    edition: Facts,
    svgs: Mapping[str, str],
    rows: Mapping[str, list[list[Any]]],
    options: 'Options',
    sheet: Sheet | None = None,
) -> 'tuple[bytes, Fit, int]':
    """The fact sheet: (PDF bytes, the density steps chosen, the page count); `sheet`, its
    paper, the steps an earlier build chose and the facts file (data()) it carries."""
    return render_factsheet(edition, svgs, rows, options, sheet or Sheet())


def documents(
    options: 'Options', hints: Mapping[tuple[str | None, str | None], Sequence[int]] | None = None
) -> Iterator[bytes]:
    """Every step once, writing nothing: what watch mode's helper does to warm up. Yields
    each document's bytes as it is made: the facts file, each edition's handout and card,
    and the first edition's fact sheet alone (most caches a layout fills serve the other
    editions too, and a save made meanwhile waits for the warm-up). `hints`:
    {(language, paper): steps} an earlier build chose, where the fact sheet's search begins."""
    palette = read_palette()
    files = read(options.data)
    editions = facts(files, options)
    attached = data(files, editions)
    yield attached[1]
    for number, edition in enumerate(editions.values()):
        shown = charts(edition)
        svgs = {name: draw(name, chart, edition, palette) for name, chart in shown.items()}
        rows = tables(shown)
        yield handout(edition, svgs, rows).encode()
        yield card(edition, palette)
        if 'pdf' in options.targets and number == 0:
            hint = (hints or {}).get((edition['language'], options.paper))
            yield factsheet(edition, svgs, rows, options, Sheet(hint=hint, attached=attached))[0]
