"""Watch mode: build, then rebuild after every debounced batch of saves, until Ctrl-C.

A loop around a builder it is handed: on a user error it prints the problems and keeps
watching with the last good outputs in place; the next good save recovers by itself.
A change to the program (build.py or this package) restarts the process."""

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from . import helper
from .problems import UserError
from .project import ROOT, kind_of, program_files, watched_folders


def sources_filter(data_dir):
    """A watchfiles filter: the build's inputs, not editor swap or temporary files."""
    import watchfiles

    class Sources(watchfiles.DefaultFilter):
        def __call__(self, change, path):
            return super().__call__(change, path) and kind_of(Path(path), data_dir) is not None

    return Sources()


def display(path, data_dir):
    """A changed file's name as the user knows it."""
    for root, name in ((data_dir, 'data'), (ROOT, '')):
        if path.is_relative_to(root):
            return str(Path(name) / path.relative_to(root))
    return str(path)


def attempt(builder, options, log, warn, publish, cause):
    """One build in watch mode: report it, never raise for a user error."""
    started = time.perf_counter()
    try:
        written = builder(options)
    except Exception as error:  # noqa: BLE001 - a bug is shown with its traceback; watching goes on
        if isinstance(error, UserError):
            message = str(error)
        else:
            import traceback

            message = ''.join(traceback.format_exception(error))
        publish(message)  # first: a tab that is told hears of it before the log says so
        warn(message)
        log(f'build failed after {cause}; the last good outputs are kept')
        return
    publish(None)
    log(f'rebuilt after {cause}: {len(written)} file(s) written in {time.perf_counter() - started:.2f} s')


def compile_errors():
    """The program's syntax errors, as `file:line:col: message` lines ('' when it compiles):
    a half-saved module must not end watch mode."""
    problems = []
    for path in program_files():
        try:
            compile(path.read_bytes(), str(path), 'exec')
        except (SyntaxError, ValueError) as error:
            line, col = getattr(error, 'lineno', None) or 1, getattr(error, 'offset', None) or 1
            problems.append(f'{path.relative_to(ROOT)}:{line}:{col}: {getattr(error, "msg", error)}')
    return '\n'.join(problems)


def watch(options, builder, log, warn, publish=lambda error: None, stop=None, warm=lambda options: None):
    """Build with builder(options), then again after every batch of changes.

    warm(options) runs once after the first build, so that later builds start warm."""
    import logging

    import watchfiles

    logging.getLogger('watchfiles').setLevel(logging.ERROR)
    started = False
    # The watcher starts before the first build, so that no save is missed; it yields an
    # empty batch every rust_timeout ms, which is when that first build runs.
    for changes in watchfiles.watch(
        *watched_folders(options.data),
        watch_filter=sources_filter(options.data),
        debounce=150,
        step=10,
        rust_timeout=200,
        yield_on_timeout=True,
        stop_event=stop,
        raise_interrupt=False,
    ):
        if not started:
            started = True
            attempt(builder, options, log, warn, publish, 'start')
            options = replace(options, force=False)
            warm(options)
        if not changes:
            continue
        paths = sorted({Path(path) for _, path in changes})
        program = [path for path in paths if kind_of(path, options.data) == 'program']
        if program:
            broken = compile_errors()
            if not broken:
                log(f'{display(program[0], options.data)} changed: restarting')
                helper.stop()
                os.execv(sys.executable, [sys.executable, str(ROOT / 'build.py'), *sys.argv[1:]])
            publish(broken)
            warn(broken)
            log(f'{display(program[0], options.data)} changed but does not compile: still running the old program')
            continue
        # A language's words saved: that edition is built first.
        first = next((path.stem for path in paths if path.parent == options.data / 'words'), None)
        cause = ', '.join(display(path, options.data) for path in paths)
        attempt(builder, replace(options, first=first), log, warn, publish, cause)
    log('stopped watching')
