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
make their outputs again. A layout that read a file no key reads (the fetcher serves the
output folder's too) is not kept, nor a result whose key changed while it was made, and
the memo never fails a step. A session's own builds (`built`, `every_edition`...) are made
without it (conftest.made_once), whichever test asks first: a test comparing its build
with one of them compares two layouts.

What a step said on the way is kept with it and said again: the warnings WeasyPrint and
fontTools log and those Python issues (workers.collecting_warnings hears both), and what
it wrote to the standard error stream (matplotlib's messages), so a test that checks a
build says nothing learns the same from a kept result.

The builds the tests run in processes of their own (a copy of the project, watch mode and
its helper) are served too: the tests start every process with tests/boot on PYTHONPATH,
whose sitecustomize.py wraps the steps there. A test of the steps themselves (what a
layout reads, what it is handed, how long it takes) is marked `fresh_layouts` and makes
everything every time."""

import contextlib
import hashlib
import logging
import os
import pickle
import sys
import threading
import warnings
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from factsheet import pdf, pipeline, project, steps
from factsheet.draw import CHART_DIR as CHARTS
from factsheet.pdf import Sheet

replace = os.replace  # the real one, whatever a test makes os.replace do to the outputs
# Where the processes the tests start find the kept steps, and the start-up that wraps theirs
VARIABLE, BOOT = 'FACTSHEET_TEST_LAYOUTS', Path(__file__).resolve().parent / 'boot'
KEPT = ('factsheet', 'draw', 'card')  # the pipeline's steps kept


def started(folder: Path):
    """The kept steps of this run's folder, {step: wrapped}, and every process the tests
    start from now on told where it is."""
    folder.mkdir(exist_ok=True)
    os.environ[VARIABLE] = str(folder)
    os.environ['PYTHONPATH'] = os.pathsep.join(filter(None, [str(BOOT), os.environ.get('PYTHONPATH')]))
    return kept_steps(folder)


def program():
    """What every kept result is made with besides its arguments: the program as this
    process finds it (build.py and the package's modules), the files of templates/ and
    charts/, the steps and their margins (a test may set others) and the fonts'
    configuration file."""
    package = Path(pipeline.__file__).parent
    read = [
        sorted((str(path.relative_to(base)), path.read_bytes()) for path in files if path.is_file())
        for base, files in (
            (package.parent, [package.parent / 'build.py', *package.glob('*.py')]),
            (project.TEMPLATES, (path for path in project.TEMPLATES.rglob('*') if '__pycache__' not in path.parts)),
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
    """pipeline.factsheet, each result kept in `folder` by its key (see the module's note)
    unless its layout read a file the key does not read (one of the output folder's)."""

    def step(edition, svgs, rows, options, sheet=None):
        fetched = []
        real = pdf.make_fetcher

        def noting(roots):
            fetcher = real(roots)
            fetch = fetcher.fetch
            fetcher.fetch = lambda url, headers=None: fetched.append(url) or fetch(url, headers)
            return fetcher

        pdf.make_fetcher = noting
        try:
            result = factsheet(edition, svgs, rows, options, sheet)
        finally:
            pdf.make_fetcher = real
        read = [Path(url2pathname(urlsplit(url).path)).resolve() for url in fetched if url.startswith('file:')]
        keyed = [project.TEMPLATES.resolve(), project.CMYK_PROFILE.resolve()]
        return result, all(any(path.is_relative_to(root) for root in keyed) for path in read)

    return kept(folder, step, key)


def drawn(folder: Path, draw=pipeline.draw):
    """pipeline.draw (a chart's SVG), each kept in `folder` by its key."""
    return kept(folder, lambda *args: (draw(*args), True), chart_key)


def carded(folder: Path, card=pipeline.card):
    """pipeline.card (the share card's PNG), each kept in `folder` by its key."""
    return kept(folder, lambda *args: (card(*args), True), card_key)


def kept(folder, step, key_of):
    """The step (returning its result and whether it may be kept), each result kept in
    `folder` under key_of(its arguments), with what it said on the way (heard). Kept only
    when the key is the same after the step (a file it reads may be saved meanwhile), and
    only if it can be: the memo never fails a build."""

    def memo(*args):
        path = folder / key_of(*args)
        try:
            result, said = pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - not kept, or not whole: made again
            pass
        else:
            say(said)
            return result
        (result, keep), said = heard(lambda: step(*args))  # said on the way
        if keep and key_of(*args) == path.name:
            partial = path.with_name(f'{path.name}.{os.getpid()}')
            try:
                partial.write_bytes(pickle.dumps((result, said)))
                replace(partial, path)  # whole or not at all, for the other worker
            except (OSError, MemoryError, pickle.PicklingError):
                with contextlib.suppress(OSError):
                    partial.unlink(missing_ok=True)
        return result

    return memo


def kept_steps(folder: Path, module=pipeline):
    """{name: the step of a pipeline module (this process's, or a copy's), kept in `folder`}."""
    wrappers = zip(KEPT, (remembered, drawn, carded), strict=True)
    return {name: wrapper(folder, getattr(module, name)) for name, wrapper in wrappers}


def wrap(folder: Path, module=pipeline):
    """Wrap the steps of a pipeline module (this process's, or a copy's) in place."""
    for name, step in kept_steps(folder, module).items():
        setattr(module, name, step)


def heard(work):
    """(work's result, what it said): the records it logged to the loggers a build listens
    to and the warnings it issued (what workers.collecting_warnings hears), and the bytes it
    wrote to the standard error stream (matplotlib's messages, a library's own), all kept
    so that they can be said again (say). The records and the bytes pass on as they come;
    the warnings are issued again once caught."""
    logged = []

    class Keep(logging.Handler):
        def emit(self, record):
            logged.append((record.name, record.levelno, record.getMessage()))

    handler, loggers = Keep(logging.WARNING), [logging.getLogger(name) for name in ('weasyprint', 'fontTools')]
    for logger in loggers:
        logger.addHandler(handler)
    printed = []
    try:
        with warnings.catch_warnings(record=True) as caught, teed(printed):
            warnings.simplefilter('always')
            result = work()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        issued = [(w.category, str(w.message)) for w in caught]
        for category, message in issued:
            warnings.warn(message, category, stacklevel=3)
    return result, (logged, issued, b''.join(printed))


@contextlib.contextmanager
def teed(printed):
    """File descriptor 2 through a pipe while the block runs: each chunk written on to the
    stream it was, as it comes, and kept in `printed`. Without a descriptor 2, nothing kept."""
    sys.stderr.flush()
    try:
        stream = os.dup(2)
    except OSError:
        yield
        return
    reading, writing = os.pipe()
    os.dup2(writing, 2)
    os.close(writing)

    def pump():
        with contextlib.suppress(OSError):
            while chunk := os.read(reading, 65536):
                printed.append(chunk)
                written(stream, chunk)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(stream, 2)  # the pipe's last writer gone: the pump reads to its end
        thread.join(timeout=10)  # only a process the step left running could hold the pipe longer
        os.close(reading)
        os.close(stream)


def written(descriptor, data):
    """Write all of data, or as much as the stream takes: a stream no one reads is no error."""
    try:
        while data:
            data = data[os.write(descriptor, data) :]
    except OSError:
        pass


def say(said):
    """Say again what a step said (heard): its log records, its warnings, its bytes on the
    standard error stream."""
    records, issued, printed = said
    for name, level, message in records:
        logging.getLogger(name).log(level, '%s', message)
    for category, message in issued:
        warnings.warn(message, category, stacklevel=3)
    if printed:
        sys.stderr.flush()
        written(2, printed)
