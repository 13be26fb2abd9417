"""Each fact sheet laid out, each chart drawn and each share card made once per test run.

Many tests build the same data with the same options (a copy of the tests' data, built into
a folder of their own, then edited), and each such build lays its fact sheets out, draws
its charts and makes its cards again: in one run of the suite, 165 of its 388 layouts
repeated an earlier one. `remembered`, `drawn` and `carded` wrap the pipeline's steps that
do it (pipeline.factsheet, pipeline.draw, pipeline.card): a call with the same arguments
as an earlier one in this run returns the earlier result from a folder the run's processes
share. The key is everything that changes the result: the step's arguments (for a fact
sheet: the edition's facts, its charts, the options that change a PDF, options.pdf_values,
and the sheet: its paper, the hint and the facts file it carries; for the print shop, the
CMYK profile, its path, which the page's CSS names, and its bytes), and what every step is
made with (`program`): the package's modules as the process finds them, the files of
templates/ and charts/, the steps and their margins (a test may set others) and the fonts'
configuration file. A test that edits the program does so in a copy, whose builds then
make their outputs again. A session's own builds (`built`, `every_edition`...) are made
before any test's fixtures and never served: a test comparing its build with one of them
compares two layouts.

What a step said on the way is kept with it and said again: the warnings WeasyPrint
and fontTools log and those Python issues (workers.collecting_warnings hears both), so a
test that checks a build says nothing learns the same from a kept result.

The builds the tests run in processes of their own (a copy of the project, watch mode and
its helper) are served too: the tests start every process with tests/boot on PYTHONPATH,
whose sitecustomize.py wraps the steps there. A test of the steps themselves (what a
layout reads, what it is handed, how long it takes) is marked `fresh_layouts` and makes
everything every time."""

import hashlib
import logging
import os
import pickle
import warnings
from pathlib import Path

from factsheet import pipeline, project, steps
from factsheet.draw import CHART_DIR as CHARTS
from factsheet.pdf import Sheet

replace = os.replace  # the real one, whatever a test makes os.replace do to the outputs


def program():
    """What every kept result is made with besides its arguments: the package's modules as
    this process finds them, the files of templates/ and charts/, the steps and their
    margins (a test may set others) and the fonts' configuration file."""
    package = Path(pipeline.__file__).parent
    read = [
        sorted((str(path.relative_to(base)), path.read_bytes()) for path in files if path.is_file())
        for base, files in (
            (package, package.glob('*.py')),
            (project.TEMPLATES, project.TEMPLATES.iterdir()),
            (CHARTS, (path for path in CHARTS.rglob('*') if '__pycache__' not in path.parts)),
        )
    ]
    return (read, repr(steps.STEPS), repr(steps.SPARE), os.environ.get('FONTCONFIG_FILE'))


def key(edition, svgs, rows, options, sheet=None):
    """The digest of what one fact sheet is made from."""
    sheet = sheet or Sheet()
    profile = project.CMYK_PROFILE
    press = (str(profile), profile.read_bytes() if profile.is_file() else None) if options.print_shop else None
    made_of = (edition, dict(svgs), rows, options.pdf_values(sheet.paper or options.paper), sheet, press)
    return digest('factsheet', made_of)


def chart_key(name, chart, edition, palette):
    """The digest of what one chart is drawn from (its module is a file of charts/)."""
    return digest('chart', (name, chart[1], edition['slug'], edition['language'], dict(palette)))


def card_key(edition, palette):
    return digest('card', (edition, dict(palette)))


def digest(kind, made_of):
    return f'{kind}-' + hashlib.sha256(pickle.dumps((made_of, program()))).hexdigest()


def remembered(folder: Path, factsheet=pipeline.factsheet):
    """pipeline.factsheet, each result kept in `folder` by its key (see the module's note)."""
    return kept(
        folder, lambda edition, svgs, rows, options, sheet=None: factsheet(edition, svgs, rows, options, sheet), key
    )


def drawn(folder: Path, draw=pipeline.draw):
    """pipeline.draw (a chart's SVG), each kept in `folder` by its key."""
    return kept(folder, draw, chart_key)


def carded(folder: Path, card=pipeline.card):
    """pipeline.card (the share card's PNG), each kept in `folder` by its key."""
    return kept(folder, card, card_key)


def kept(folder, step, key_of):
    """The step, each result kept in `folder` under key_of(its arguments), with what it said."""

    def memo(*args):
        path = folder / key_of(*args)
        try:
            result, logged, issued = pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - not kept, or not whole: made again
            pass
        else:
            for name, level, message in logged:
                logging.getLogger(name).log(level, '%s', message)
            for category, message in issued:
                warnings.warn(message, category, stacklevel=2)
            return result
        (result, logged, issued) = heard(lambda: step(*args))
        partial = path.with_name(f'{path.name}.{os.getpid()}')
        partial.write_bytes(pickle.dumps((result, logged, issued)))
        replace(partial, path)  # whole or not at all, for the other worker
        return result

    return memo


def wrap(folder: Path, module=pipeline):
    """Wrap the steps of a pipeline module (this process's, or a copy's) in place."""
    module.factsheet = remembered(folder, module.factsheet)
    module.draw = drawn(folder, module.draw)
    module.card = carded(folder, module.card)


def heard(work):
    """(work's result, what it logged to the loggers a build listens to, the warnings it
    issued): what workers.collecting_warnings hears, kept as records and warnings rather
    than its lines, so that they can be said again. The records pass on as they are; the
    warnings are issued again once caught."""
    logged = []

    class Keep(logging.Handler):
        def emit(self, record):
            logged.append((record.name, record.levelno, record.getMessage()))

    handler, loggers = Keep(logging.WARNING), [logging.getLogger(name) for name in ('weasyprint', 'fontTools')]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter('always')
            result = work()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    issued = [(w.category, str(w.message)) for w in caught]
    for category, message in issued:
        warnings.warn(message, category, stacklevel=2)
    return result, logged, issued
