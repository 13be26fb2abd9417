"""Each fact sheet laid out once per test run.

Many tests build the same data with the same options (a copy of the tests' data, built into
a folder of their own, then edited), and each such build lays its fact sheets out again:
a third of the suite's work was the same layouts over and over. `remembered` wraps
pipeline.factsheet, the step that lays a fact sheet out and writes its PDF: a call with the
same arguments as an earlier one in this run returns the earlier result from a folder the
run's processes share. What an argument is made of is everything that changes the PDF: the
edition's facts, its charts, the options that change a PDF (options.pdf_values), the sheet
(its paper, the hint and the facts file it carries) and, for the print shop, the bytes of
the CMYK profile. The program and templates cannot change within a run (a test that edits
them does so in a copy, built in a process of its own, which this does not reach).

What the layout said on the way is kept with it and said again: the warnings WeasyPrint
and fontTools log and those Python issues (workers.collecting_warnings hears both), so a
test that checks a build says nothing learns the same from a kept layout.

Only builds in the test process and the workers it forks are served so. A test of the
layout itself (what it reads, what it is handed) is marked `fresh_layouts` and lays out
every time."""

import hashlib
import logging
import os
import pickle
import warnings
from pathlib import Path

from factsheet import pipeline, project
from factsheet.pdf import Sheet


def key(edition, svgs, rows, options, sheet):
    """The digest of what one fact sheet is made from."""
    sheet = sheet or Sheet()
    profile = project.CMYK_PROFILE.read_bytes() if options.print_shop and project.CMYK_PROFILE.is_file() else b''
    made_of = (edition, dict(svgs), rows, options.pdf_values(sheet.paper or options.paper), sheet, profile)
    return hashlib.sha256(pickle.dumps(made_of)).hexdigest()


def remembered(folder: Path, factsheet=pipeline.factsheet):
    """pipeline.factsheet, each result kept in `folder` by its key (see the module's note)."""

    def memo(edition, svgs, rows, options, sheet=None):
        kept = folder / key(edition, svgs, rows, options, sheet)
        try:
            result, logged, issued = pickle.loads(kept.read_bytes())
        except FileNotFoundError:
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
        os.replace(partial, kept)  # whole or not at all, for the other worker
        return result

    return memo


def heard(work):
    """(work's result, what it logged to the loggers a build listens to, the warnings it
    issued): the records pass on as they are; the warnings are issued again once caught."""
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
