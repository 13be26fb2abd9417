"""The workers' jobs: the "documents" worker draws the charts that changed and renders the
handouts; each "pdf" worker imports WeasyPrint at once, then lays out the fact sheets it is
handed, one after another. Each sends its outputs back as soon as they are ready, and the
parent writes them as they arrive."""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from . import pipeline
from .colours import read_palette
from .draw import Chart, load_chart, tables
from .limits import inherited_limit
from .pdf import Sheet, import_weasyprint, warm_up
from .problems import Problem, UserError
from .workers import FORK, Launcher, Worker, collecting_warnings, supervise

if TYPE_CHECKING:
    from .derive import Facts
    from .editions import Edition
    from .options import Options
    from .write import Writer

Log = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    """One output's bytes (name relative to the output folder), and how long it took."""

    name: str
    content: bytes
    seconds: float
    detail: str = ''  # said after the time, as "layout: standard"
    record: dict[str, Any] | None = None  # what the state file keeps of a PDF: its pages and layout steps


@dataclass(frozen=True)
class Warnings:
    lines: list[str]  # what the libraries warned about while a worker rendered


@dataclass(frozen=True)
class DocumentsJob:
    """The documents worker's job: each edition with its facts and its charts' data, and
    the outputs to build."""

    editions: list['Edition']
    facts: dict[str, 'Facts']  # {language: Facts}
    chart_data: dict[str, dict[str, dict[str, Any]]]  # {language: {chart: data}}
    todo: list[str]


@dataclass(frozen=True)
class PdfJob:
    """A PDF worker's job: one edition's facts, its charts' table rows and SVGs, and the sheet:
    its paper, the steps the last build chose for it (state.hints), the facts file it carries."""

    name: str
    facts: 'Facts'
    rows: dict[str, list[list[Any]]]
    svgs: dict[str, str]
    sheet: Sheet


def documents_work(options: 'Options', inbox: Callable[[], Any], send: Callable[[object], None]) -> None:
    """The documents worker: warm up, then draw every edition's charts, render its handout
    and draw its share card."""
    import jinja2  # noqa: F401 - imported while the data is read and checked
    import matplotlib.figure  # noqa: F401

    job: DocumentsJob = inbox()
    modules = {name: load_chart(name) for name in {name for data in job.chart_data.values() for name in data}}
    palette = read_palette()
    svgs: dict[str, dict[str, str]] = {edition.language: {} for edition in job.editions}

    def draw_and_render() -> None:
        for edition in job.editions:  # every chart first: the PDF workers wait for them
            for name, data in job.chart_data[edition.language].items():
                rel = edition.charts[name]
                if rel in job.todo:
                    started = time.perf_counter()
                    svg = pipeline.draw(rel, (modules[name], data), job.facts[edition.language], palette)
                    send(Output(rel, svg.encode(), time.perf_counter() - started))
                else:  # unchanged, and checked intact on disk
                    svg = (options.out / rel).read_text(encoding='utf-8')
                svgs[edition.language][name] = svg
        for edition in job.editions:  # each handout, then the share card its links show
            for name in (edition.handout, edition.card):
                if name in job.todo:
                    started = time.perf_counter()
                    send(Output(name, document(edition, name), time.perf_counter() - started))

    def document(edition: 'Edition', name: str) -> bytes:
        facts, language = job.facts[edition.language], edition.language
        if name == edition.card:
            return pipeline.card(facts, palette)
        charts = {chart: (modules[chart], data) for chart, data in job.chart_data[language].items()}
        return pipeline.handout(facts, svgs[language], tables(charts), options.modified, edition.links).encode()

    send(Warnings(collecting_warnings(draw_and_render)))


def pdf_work(options: 'Options', inbox: Callable[[], Any], send: Callable[[object], None]) -> None:
    """A PDF worker: warm up, then lay out fact sheets, one job after another, until told
    there are no more (None)."""
    import jinja2  # noqa: F401 - imported while the data is read and the charts drawn

    import_weasyprint()
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    # Load the fonts, fill WeasyPrint's caches and load the hyphenation while the charts are drawn.
    weasyprint.HTML(string=warm_up(options.data)).write_pdf()
    while (job := inbox()) is not None:

        def lay_out(job: PdfJob = job) -> None:
            started = time.perf_counter()
            try:
                pdf, steps, pages = pipeline.factsheet(job.facts, job.svgs, job.rows, options, job.sheet)
            except FatalURLFetchingError as error:
                raise UserError(
                    [f'build.py: render: {error}: only data: URLs and files in templates/ and output/ may be loaded']
                ) from None
            except UserError as error:  # which edition does not fit (a template's error is every edition's)
                raise UserError([named(job.name, problem) for problem in error.problems]) from None
            record = {'pages': pages, 'layout': list(steps.indices)}
            detail = f'layout: {steps.name}; {steps.layouts} layout' + ('s' if steps.layouts != 1 else '')
            send(Output(job.name, pdf, time.perf_counter() - started, detail, record))

        send(Warnings(collecting_warnings(lay_out)))


def named(pdf: str, problem: Problem | str) -> Problem | str:
    """A layout problem with the PDF it is of; a template's problem as it is, the same
    whichever worker reports it first."""
    return problem if str(problem).startswith('templates/') else f'{pdf}: {problem}'


PDF_WORKERS = max(1, min(4, len(os.sched_getaffinity(0))))  # one a core


def start_workers(options: 'Options', log: Log, launcher: Launcher = FORK) -> dict[str, Worker]:
    """Start the workers before the data is read, so that their imports run meanwhile: one
    for the charts and handouts, and for the PDFs one a core (one, for a single PDF). Says
    so when an inherited limit on memory is lower than --memory. `launcher`: forked from
    here, or from watch mode's helper."""
    memory = options.memory << 20
    if note := inherited_limit(memory):
        log(note)
    work = {'documents': documents_work}
    if 'pdf' in options.targets:
        work.update((f'pdf {i + 1}', pdf_work) for i in range(PDF_WORKERS if options.all_editions else 1))
    return {name: Worker(name, partial(job, options), memory, options.timeout, launcher) for name, job in work.items()}


@dataclass(frozen=True)
class Work:
    """What a build hands its workers: the editions, their facts and charts, the outputs to
    make (`todo`), and the layout steps the last build chose for each PDF (`hints`)."""

    editions: list['Edition']
    facts: dict[str, 'Facts']  # {language: Facts}
    charts: dict[str, dict[str, Chart]]  # {language: {chart: (module, data)}}
    todo: list[str]
    hints: dict[str, tuple[int, ...]]
    page_hints: dict[tuple[str | None, str | None], tuple[int, ...]]  # (language, paper): steps (state.Plan)
    attached: tuple[str, bytes]  # the facts file (pipeline.data): written first, carried by every PDF


def produce(
    work: Work, options: 'Options', workers: dict[str, Worker], writer: 'Writer', warn: Log
) -> dict[str, dict[str, Any]]:
    """Give each worker its jobs and write every output as it arrives; return what the
    state file is to keep of each PDF written ({name: {'pages': 2, 'layout': [0, 3]}})."""
    return Scheduler(work, options, workers, writer, warn).run()


class Scheduler:
    """The jobs of one build, handed out as they become ready.

    An edition's PDF jobs are ready as soon as its charts are known: at once when none of
    them changed, otherwise when the documents worker has drawn its last one. Each PDF
    worker takes the next ready job when it is done with its last; a worker with no job
    left is told so and ends."""

    ready: list[PdfJob]  # the PDF jobs whose charts are known, in order
    records: dict[str, dict[str, Any]]

    def __init__(self, work: Work, options: 'Options', workers: dict[str, Worker], writer: 'Writer', warn: Log) -> None:
        self.work, self.options, self.writer, self.warn = work, options, writer, warn
        self.wanted = [
            (edition, paper, name)
            for edition in work.editions
            for paper, name in edition.pdfs.items()
            if name in work.todo
        ]
        pdf_workers = [worker for name, worker in workers.items() if name.startswith('pdf')]
        for worker in pdf_workers[len(self.wanted) :]:  # more workers than PDFs to make
            worker.stop()
        self.pdf_workers = pdf_workers[: len(self.wanted)]
        self.documents = workers['documents']
        if set(work.todo) <= {name for _, _, name in self.wanted} | {work.attached[0]}:
            self.documents.stop()
        self.pending = {  # the charts each edition still waits for
            edition.language: {rel for rel in edition.charts.values() if rel in work.todo} for edition in work.editions
        }
        self.svgs = {edition.language: self.charts_on_disk(edition) for edition in work.editions}
        self.ready, self.idle, self.records = [], list(self.pdf_workers), {}

    def charts_on_disk(self, edition: 'Edition') -> dict[str, str]:
        """An edition's charts that this build does not draw, as the last one wrote them."""
        todo, out = self.work.todo, self.options.out
        return {
            name: (out / rel).read_text(encoding='utf-8') for name, rel in edition.charts.items() if rel not in todo
        }

    def run(self) -> dict[str, dict[str, Any]]:
        running = self.pdf_workers + ([self.documents] if self.documents.status is None else [])
        if self.documents in running:
            work = self.work
            chart_data = {
                edition.language: {n: d for n, (_, d) in work.charts[edition.language].items()}
                for edition in work.editions
            }
            self.documents.send(DocumentsJob(work.editions, work.facts, chart_data, work.todo))
        for edition in self.work.editions:
            if not self.pending[edition.language]:
                self.enqueue(edition)
        self.dispatch()
        supervise(running, self.receive, self.options.timeout)
        return self.records

    def enqueue(self, edition: 'Edition') -> None:
        """An edition's PDF jobs, now that its charts are known."""
        language, work = edition.language, self.work
        rows = tables(work.charts[language])
        for job_edition, paper, name in self.wanted:
            if job_edition is edition:
                hint = work.hints.get(name) or work.page_hints.get((language, paper))
                sheet = Sheet(paper, hint, work.attached)
                self.ready.append(PdfJob(name, work.facts[language], rows, self.svgs[language], sheet))

    def dispatch(self) -> None:
        """Each idle PDF worker its next ready job; none left for any: each is told so."""
        while self.ready and self.idle:
            self.idle.pop(0).send(self.ready.pop(0))
        if not any(self.pending.values()) and not self.ready:
            while self.idle:
                self.idle.pop(0).send(None)  # no more jobs: the worker ends

    def receive(self, worker: Worker, message: Output | Warnings) -> None:
        """A worker's warnings (a PDF worker's job is then done), or an output to write."""
        if isinstance(message, Warnings):
            for line in message.lines:
                self.warn(f'warning: {line}')
            if worker in self.pdf_workers:
                self.idle.append(worker)
                self.dispatch()
            return
        self.writer.write(message.name, message.content, message.seconds, message.detail)
        if message.record:
            self.records[message.name] = message.record
        self.chart_drawn(message)

    def chart_drawn(self, message: Output) -> None:
        """A chart arrived: an edition whose charts are all known has its PDF jobs ready."""
        for edition in self.work.editions:
            if message.name in self.pending[edition.language]:
                self.pending[edition.language].discard(message.name)
                chart = next(name for name, rel in edition.charts.items() if rel == message.name)
                self.svgs[edition.language][chart] = message.content.decode()
                if not self.pending[edition.language]:
                    self.enqueue(edition)
                    self.dispatch()
