"""The two workers' jobs: draw the charts and render the handout; lay out the PDF.

Two forked workers share the two cores: the "documents" worker draws the charts that
changed and renders the handout; the "pdf" worker imports WeasyPrint at once, then
waits for its job (the facts and every chart) and lays out the fact sheet. Each sends
its outputs back as soon as they are ready, and the parent writes them as they arrive."""

import time
from dataclasses import dataclass
from functools import partial

from .draw import draw_chart, load_chart, read_palette, tables
from .problems import UserError
from .render import WARM_UP, render, render_factsheet
from .workers import Worker, supervise


@dataclass(frozen=True)
class Output:
    """One output's bytes (name relative to the output folder), and how long it took."""

    name: str
    content: bytes
    seconds: float
    detail: str = ''  # said after the time, as "layout: standard"


@dataclass(frozen=True)
class Warnings:
    """What the libraries warned about while a worker rendered."""

    lines: list


@dataclass(frozen=True)
class DocumentsJob:
    """The documents worker's job: the facts, each chart's data, the outputs to build."""

    facts: dict
    chart_data: dict
    todo: list


@dataclass(frozen=True)
class PdfJob:
    """The PDF worker's job: the facts, the charts' table rows and every chart's SVG."""

    facts: dict
    rows: dict
    svgs: dict


def collecting_warnings(work):
    """Run work(); return the warnings WeasyPrint logged and matplotlib issued meanwhile."""
    import logging
    import warnings

    caught = []

    class Collect(logging.Handler):
        def emit(self, record):
            caught.append(f'{record.name}: {record.getMessage()}')

    handler = Collect(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ('weasyprint', 'fontTools')]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as issued:
            warnings.simplefilter('always')
            work()
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    # ResourceWarnings speak of a library's own files, not of the document.
    return caught + [
        f'{w.category.__name__}: {w.message}' for w in issued if not issubclass(w.category, ResourceWarning)
    ]


def documents_work(options, inbox, send):
    """The documents worker: warm up, then draw the charts and render the handout."""
    import jinja2  # noqa: F401 - imported while the data is read and checked
    import matplotlib.figure  # noqa: F401

    job = inbox()
    facts, todo = job.facts, job.todo
    charts = {name: (load_chart(name), data) for name, data in job.chart_data.items()}
    palette = read_palette()

    def draw_and_render():
        svgs = {}
        for name, (module, data) in charts.items():
            rel = f'charts/{name}.svg'
            if rel in todo:
                started = time.perf_counter()
                svgs[name] = draw_chart(module, data, palette, facts['slug'])
                send(Output(rel, svgs[name].encode(), time.perf_counter() - started))
            else:  # unchanged, and checked intact on disk
                svgs[name] = (options.out / rel).read_text(encoding='utf-8')
        rel = f'{facts["slug"]}.html'
        if rel in todo:
            started = time.perf_counter()
            html = render(facts, svgs, tables(charts), 'handout', modified=options.modified)
            send(Output(rel, html.encode(), time.perf_counter() - started))

    send(Warnings(collecting_warnings(draw_and_render)))


def pdf_work(options, inbox, send):
    """The PDF worker: warm up, then lay out the fact sheet once the charts are drawn."""
    import jinja2  # noqa: F401 - imported while the data is read and the charts drawn
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    # Load the fonts and fill WeasyPrint's caches while the charts are drawn.
    weasyprint.HTML(string=WARM_UP).write_pdf()
    job = inbox()

    def lay_out():
        started = time.perf_counter()
        try:
            pdf, steps = render_factsheet(job.facts, job.svgs, job.rows, options)
        except FatalURLFetchingError as error:
            raise UserError(
                [f'build.py: render: {error}: only data: URLs and files in templates/ and output/ may be loaded']
            ) from None
        send(Output(f'{job.facts["slug"]}.pdf', pdf, time.perf_counter() - started, f'layout: {steps.name}'))

    send(Warnings(collecting_warnings(lay_out)))


def start_workers(options):
    """Fork the workers before the data is read, so that their imports run meanwhile."""
    memory = options.memory << 20
    workers = {'documents': Worker('documents', partial(documents_work, options), memory, options.timeout)}
    if 'pdf' in options.targets:
        workers['pdf'] = Worker('pdf', partial(pdf_work, options), memory, options.timeout)
    return workers


def produce(facts, charts, todo, options, writer, warn, workers):
    """Give each worker its job and write every output as it arrives.

    The PDF worker's job goes out as soon as every chart is known: at once when no
    chart changed, otherwise when the documents worker has drawn the last one."""
    slug = facts['slug']
    if f'{slug}.pdf' not in todo and 'pdf' in workers:
        workers.pop('pdf').stop()
    if not set(todo) - {f'{slug}.pdf'}:
        workers.pop('documents').stop()
    pending = {f'charts/{name}.svg' for name in charts} & set(todo)
    svgs = {
        name: (options.out / f'charts/{name}.svg').read_text(encoding='utf-8')
        for name in charts
        if f'charts/{name}.svg' not in todo
    }

    def send_pdf_job():
        if 'pdf' in workers:
            workers['pdf'].send(PdfJob(facts, tables(charts), svgs))

    def receive(worker, message):
        if isinstance(message, Warnings):
            for line in message.lines:
                warn(f'warning: {line}')
            return
        writer.write(message.name, message.content, message.seconds, message.detail)
        if message.name in pending:
            pending.discard(message.name)
            svgs[message.name.removeprefix('charts/').removesuffix('.svg')] = message.content.decode()
            if not pending:
                send_pdf_job()

    if 'documents' in workers:
        workers['documents'].send(DocumentsJob(facts, {name: data for name, (_, data) in charts.items()}, todo))
    if not pending:
        send_pdf_job()
    supervise(list(workers.values()), receive, options.timeout)
