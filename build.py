#!/usr/bin/env python3
"""Build the ISECG anniversary fact sheet (PDF) and handout (HTML) from data/.

This file is the command line and the table of contents; each step lives in a module
of the factsheet/ package (factsheet/pipeline.py lists them), and the data flows one way:

    read (load, validate) -> facts -> editions -> plan -> produce (draw, render) -> finish

Nothing in output/ is touched until every data file has been loaded and validated, and the
colour table and the stylesheets checked.
Heavy libraries (PyYAML, jsonschema, Jinja2, matplotlib, WeasyPrint) are imported
inside the step that needs them, so that `--help` and a build with nothing to do stay
fast: they decide with the standard library alone.
"""

import signal
import sys


def stopped_loading(number: int, frame: object) -> None:
    """A Ctrl-C or TERM while the program loads, before it has read or made anything: it ends, saying so."""
    print('build.py: stopped as it started; nothing was changed', file=sys.stderr)
    raise SystemExit(130)


if __name__ == '__main__':  # from here until a command takes the signals (see the end of this file)
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stopped_loading)

import os
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from factsheet import editions, pipeline, press
from factsheet.cli import options_from, parser, words_parser
from factsheet.colours import check as check_colours
from factsheet.inputs import Inputs
from factsheet.interrupts import STOPS, Stopper, held, settle
from factsheet.jobs import Work, produce, start_workers
from factsheet.plan import plan
from factsheet.problems import UsageError, UserError
from factsheet.review import counts
from factsheet.review import notes as translation_notes
from factsheet.state import MANIFEST, STATE_NAME, BuildState, retired_chart
from factsheet.workers import FORK
from factsheet.write import Writer, folder_lock, output_path, writable_folder

if TYPE_CHECKING:
    import argparse
    from pathlib import Path

    from factsheet.derive import Facts
    from factsheet.draw import Chart
    from factsheet.editions import Edition
    from factsheet.options import Options
    from factsheet.workers import Launcher, Worker

Log = Callable[[str], None]  # says one line (see say())
FACTS_ENTRY = {'language': None, 'paper': None, 'variant': 'facts', 'format': 'JSON'}  # in the manifest


def build(options: 'Options', log: Log, warn: Log, launcher: 'Launcher' = FORK) -> 'list[Path]':
    """Run the pipeline; write the outputs whose inputs changed; return the paths written.

    `log` receives one line per output rendered; `warn` each render warning; `launcher`
    starts the workers (forked from here, or from watch mode's helper). One build at a
    time writes into an output folder: a second one waits for the first."""
    with folder_lock(writable_folder(options.out), log):
        state = BuildState(options.out)
        inputs = Inputs.read(options)  # read once, here: a save made meanwhile is seen by the next build
        if not options.force and state.up_to_date(inputs):
            log('nothing to do: every output is up to date')
            return []
        # The workers start importing matplotlib and WeasyPrint now, while the data is read.
        workers = start_workers(options, log, launcher)
        writer = Writer(options.out, log)
        try:
            make(options, warn, state, inputs, workers, writer)
        except BaseException as error:
            with held(deliver=False):  # a second Ctrl-C or TERM cannot stop the rollback halfway
                stop(workers)
                failed = writer.roll_back()
            if failed:
                raise UserError([*getattr(error, 'problems', [error]), *failed]) from None
            raise
        stop(workers)
    return [path for path in writer.changed if path != state.path]


def make(
    options: 'Options', warn: Log, state: BuildState, inputs: Inputs, workers: 'dict[str, Worker]', writer: Writer
) -> None:
    """Everything a build does once it has its workers: data -> facts -> editions -> plan ->
    produce -> finish (the manifest, the state file and the removal of what it now makes
    under another name, together). It says what it does through the writer's log."""
    log = writer.log
    files = pipeline.read(options.data)
    facts = pipeline.facts(files, options)
    check_colours()  # the design's rules: a palette or stylesheet that breaks them builds nothing
    if options.print_shop:
        press.check()  # the printing condition's CMYK profile is installed
    chosen = editions.choose(options, facts)
    before_making(log, state, [facts[edition.language] for edition in chosen], counts(files), options.data)
    started = time.perf_counter()
    attached = pipeline.data(files, facts)
    seconds = time.perf_counter() - started
    charts = {edition.language: pipeline.charts(facts[edition.language]) for edition in chosen}
    plan = state.plan(output_keys(facts, chosen, charts, options, inputs.common(), attached), options.force)
    made: dict[str, dict[str, Any]] = {}
    if plan.todo:  # write the facts file, draw the charts, render the documents, write each as it arrives
        if attached[0] in plan.todo:
            writer.write(*attached, seconds)
        work = Work(chosen, facts, charts, plan.todo, plan.hints, plan.page_hints, attached)
        if set(plan.todo) - {attached[0]}:
            made = produce(work, options, workers, writer, warn)
    else:
        log('nothing to do: no output reads what changed')
    listed = {name: entry for edition in chosen for name, entry in edition.outputs().items()}
    listed[attached[0]] = FACTS_ENTRY
    described = {name: {**listed.get(name, {}), **made.get(name, {})} for name in plan.keys}
    manifest, next_state = state.finish(plan, inputs, described)
    with held() as received:  # the build ends whole; a signal meanwhile rolls all of it back
        writer.write(MANIFEST, manifest)
        writer.write(STATE_NAME, next_state, said=False)
        for name in plan.leftovers:
            writer.remove(
                name,
                'no chart of that name is drawn now'
                if retired_chart(name)
                else 'this build makes it under another name',
            )
        if not received:  # done: a signal from now on (the workers stopping, the lock let go) stops nothing
            settle()


def output_keys(
    facts: 'Mapping[str, Facts]',
    chosen: 'Sequence[Edition]',
    charts: 'Mapping[str, Mapping[str, Chart]]',
    options: 'Options',
    common: str,
    attached: tuple[str, bytes],
) -> dict[str, str]:
    """Every output's key ({name: key}), each name (and the manifest's and the state
    file's) checked before anything is written: inside --out, with nothing but a file of an
    output's size where it goes (write.output_path)."""
    keys = plan(facts, chosen, charts, options, common, attached)
    for name in [*keys, MANIFEST, STATE_NAME]:
        output_path(options.out, name)
    return keys


def before_making(
    log: Log, state: BuildState, made: 'Sequence[Facts]', others: Mapping[str, tuple[int, int]], data_dir: 'Path'
) -> None:
    """What a build says before it makes anything: a full build when the state file is of
    no use, then the translations' notes (of the editions it makes, and how many phrases
    the `others` lack)."""
    if not state.usable:
        log(f'full build: no usable state file in {state.out}')
    for line in translation_notes(made, data_dir, others):
        log(line)


def stop(workers: 'dict[str, Worker]') -> None:
    for worker in workers.values():
        worker.stop()


# --- Command line ----------------------------------------------------------------


def words(argv: Sequence[str], log: Log, warn: Log) -> int | str | None:
    """`build.py words ...`: exit status 0, 1 on a user error, 2 on wrong usage."""
    from factsheet import words

    try:
        args = words_parser().parse_args(argv)
    except SystemExit as exit:
        return exit.code
    return one_off(
        lambda: words.run(args, args.data.resolve(), log), warn, 'build.py: words: interrupted; the data is as it was'
    )


def serve_and_watch(options: 'Options', args: 'argparse.Namespace', log: Log, warn: Log) -> int:
    """--watch and --serve: build, then rebuild after every save; exit status 0 or 1."""
    from factsheet import helper
    from factsheet.watch import watch

    stopper = Stopper()  # a TERM ends watch mode as Ctrl-C does: workers killed, the helper ended, its
    for number in STOPS:  # folder removed; one more as it ends changes nothing, caught below or not yet
        signal.signal(number, stopper)
    publish: Callable[[str | None], None] = lambda error: None  # noqa: E731 - no preview: nobody to tell
    try:
        launcher = helper.start()  # before any thread: the workers start from it; it warms up after the first build
        if args.serve:
            from factsheet.preview import Preview

            try:
                preview = Preview(options.out, args.port)
            except OSError as error:
                warn(f'build.py: cannot serve the preview on 127.0.0.1:{args.port}: {error.strerror}')
                return 1
            publish = preview.publish
            log(f'serving the handout at {preview.address} and the PDF at {preview.address}factsheet')
        watch(options, lambda options: build(options, log, warn, launcher), log, warn, publish, helper)
    except UsageError as error:
        warn(str(error))
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        for number in (signal.SIGINT, signal.SIGTERM):  # stopping already: a second Ctrl-C changes nothing
            signal.signal(number, signal.SIG_IGN)
        helper.stop()
    return 0


def say(stream: TextIO) -> Log:
    """A function that prints a line to the stream, and says nothing when its reader is gone."""

    def line(text: str) -> None:
        try:
            print(text, file=stream, flush=True)
        except (BrokenPipeError, ValueError):  # a reader that went away (build.py | head) stops no rollback
            pass

    return line


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int | str | None:
    """Entry point: exit status 0 on success, 1 on a user error, 2 on wrong usage."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ['words']:
        return words(argv[1:], say(stdout), say(stderr))
    if argv[:1] == ['diff']:  # what changed between two editions' facts
        from factsheet import compare

        said: list[int | str | None] = []  # its exit status; stopped by Ctrl-C or TERM, 130 (it writes nothing)
        log, warn = say(stdout), say(stderr)
        stopped = one_off(lambda: said.append(compare.main(argv[1:], log, warn)), warn, 'build.py: diff: stopped')
        return said[0] if said else stopped
    try:
        args = parser().parse_args(argv)
    except SystemExit as exit:
        return exit.code
    try:
        options = options_from(args, os.environ)
    except (ValueError, OverflowError):
        print('build.py: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970', file=stderr)
        return 2
    except (RuntimeError, OSError) as error:  # a folder that is a loop of links
        print(f'build.py: --data or --out cannot be followed: {error}', file=stderr)
        return 2

    log, warn = say(stdout), say(stderr)
    if args.watch or args.serve:
        return serve_and_watch(options, args, log, warn)
    # What a build wrote is put back when it is stopped, and it says so.
    return one_off(
        lambda: build(options, log, warn), warn, 'build.py: interrupted; every output is as it was before this build'
    )


def one_off(work: Callable[[], object], warn: Log, interrupted: str) -> int:
    """Run work() as a one-off command: exit 0; a user error said, exit 1 (2 for wrong
    usage); stopped, `interrupted` said, exit 130. TERM stops it as Ctrl-C does, and the
    signals after the first change nothing: it is stopping already. Nor does any signal
    once the work has settled (interrupts.settle) or ended: it has nothing left to stop."""
    handler = Stopper.running = Stopper()
    previous = {number: signal.signal(number, handler) for number in STOPS}
    try:
        try:
            work()
        finally:
            handler.settled = True  # over, whichever way it ended: a signal from now on stops nothing
    except UserError as error:
        warn(str(error))
        return 2 if isinstance(error, UsageError) else 1
    except KeyboardInterrupt:
        warn(interrupted)
        return 130
    finally:
        for number, restored in previous.items():
            signal.signal(number, restored)
        Stopper.running = None
    return 0


if __name__ == '__main__':
    # Ctrl-C and TERM are let go but where a command takes them (one_off, watch mode): one as
    # the command ends would only print a traceback over what it has done and said.
    for number in STOPS:
        signal.signal(number, signal.SIG_IGN)
    sys.exit(main())
