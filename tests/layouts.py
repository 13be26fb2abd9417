"""Each fact sheet laid out once per test run.

Many tests build the same data with the same options (a copy of the tests' data, built into
a folder of their own, then edited), and each such build lays its fact sheets out again: in
one run of the suite, 165 of its 388 layouts repeated an earlier one. `remembered` wraps
pipeline.factsheet, the step that lays a fact sheet out and writes its PDF: a call with the
same arguments as an earlier one in this run returns the earlier result from a folder the
run's processes share. The key is everything that changes the PDF: the edition's facts, its
charts, the options that change a PDF (options.pdf_values), the sheet (its paper, the hint
and the facts file it carries), for the print shop the CMYK profile (its path, which the
page's CSS names, and its bytes), the files of templates/, the steps and their margins (a
test may set others), the fonts' configuration file and the package's modules as the
process finds them (a test that edits the program does so in a copy, whose builds then
lay out again). A session's own builds (`built`, `every_edition`...) are made before any
test's fixtures and never served: a test comparing its build with one of them compares two
layouts.

What the layout said on the way is kept with it and said again: the warnings WeasyPrint
and fontTools log and those Python issues (workers.collecting_warnings hears both), so a
test that checks a build says nothing learns the same from a kept layout.

The builds the tests run in processes of their own (a copy of the project, watch mode and
its helper) are served too: the tests start every process with tests/boot on PYTHONPATH,
whose sitecustomize.py wraps the step there. A test of the layout itself (what it reads,
what it is handed, how long it takes) is marked `fresh_layouts` and lays out every time."""

import hashlib
import logging
import os
import pickle
import warnings
from pathlib import Path

from factsheet import pipeline, project, steps
from factsheet.pdf import Sheet

replace = os.replace  # the real one, whatever a test makes os.replace do to the outputs


def key(edition, svgs, rows, options, sheet):
    """The digest of what one fact sheet is made from."""
    sheet = sheet or Sheet()
    profile = project.CMYK_PROFILE
    press = (str(profile), profile.read_bytes() if profile.is_file() else None) if options.print_shop else None
    templates = sorted((path.name, path.read_bytes()) for path in project.TEMPLATES.iterdir() if path.is_file())
    modules = sorted(Path(pipeline.__file__).parent.glob('*.py'))  # the package as this process has it
    code = [(path.name, path.read_bytes()) for path in modules]
    program = (repr(steps.STEPS), repr(steps.SPARE), os.environ.get('FONTCONFIG_FILE'), code)
    made_of = (edition, dict(svgs), rows, options.pdf_values(sheet.paper or options.paper), sheet, press)
    return hashlib.sha256(pickle.dumps((made_of, templates, program))).hexdigest()


def remembered(folder: Path, factsheet=pipeline.factsheet):
    """pipeline.factsheet, each result kept in `folder` by its key (see the module's note)."""

    def memo(edition, svgs, rows, options, sheet=None):
        kept = folder / key(edition, svgs, rows, options, sheet)
        try:
            result, logged, issued = pickle.loads(kept.read_bytes())
        except Exception:  # noqa: BLE001 - not kept, or not whole: laid out again
            pass
        else:
            for name, level, message in logged:
                logging.getLogger(name).log(level, '%s', message)
            for category, message in issued:
                warnings.warn(message, category, stacklevel=2)
            return result
        (result, logged, issued) = heard(lambda: factsheet(edition, svgs, rows, options, sheet))
        partial = kept.with_name(f'{kept.name}.{os.getpid()}')
        partial.write_bytes(pickle.dumps((result, logged, issued)))
        replace(partial, kept)  # whole or not at all, for the other worker
        return result

    return memo


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
