"""Watch mode: build, then rebuild after every debounced batch of saves, until Ctrl-C.

A loop around a builder it is handed: on a user error it prints the problems and keeps
watching with the last good outputs in place; the next good save recovers by itself.
A change to the program (build.py or this package) restarts the process, once the program
as saved compiles and imports: until then the old program keeps watching."""

import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .problems import UsageError, UserError, shown
from .project import CHART_DIR, ROOT, TEMPLATES, kind_of, program_files, watched_folders

if TYPE_CHECKING:
    import watchfiles

    from .options import Options

Log = Callable[[str], None]
Publish = Callable[[str | None], None]  # tells the preview of a build: None (it went well) or its error
Builder = Callable[['Options'], list[Path]]  # a build: the paths it wrote


class Helper(Protocol):
    """Watch mode's helper process, as watch() uses it (the module helper.py)."""

    def restart(self, options: 'Options | None' = None) -> None: ...

    def stop(self) -> None: ...


IMPORT_SECONDS = 30  # the program as saved must import within this time
# Run in a child in the project's folder: import every module named, then print `ok`, or
# `file:line: message` for the deepest line of those modules on the failing import's way.
IMPORT_CHECK = """
import importlib, sys, traceback
from pathlib import Path
root, names, verdict, sys.stdout = Path(sys.argv[1]), sys.argv[2:], sys.stdout, sys.stderr
sys.path.insert(0, str(root))
paths = [root.joinpath(*name.split('.')) for name in names]
files = {file for path in paths for file in (path.with_suffix('.py'), path / '__init__.py')}
try:
    for name in names:
        importlib.import_module(name)
except BaseException as error:
    frames = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(error.__traceback__)]
    if isinstance(error, SyntaxError) and error.filename:
        frames.append((error.filename, error.lineno or 1))
    mine = [(Path(name), line) for name, line in frames if Path(name) in files] or [(root / 'build.py', 1)]
    name, line = mine[-1]
    print(f'{name.relative_to(root)}:{line}: {type(error).__name__}: {error}', file=verdict)
    sys.exit(1)
print('ok', file=verdict)
"""


def sources_filter(data_dir: Path) -> 'watchfiles.DefaultFilter':
    """A watchfiles filter: the build's inputs, not editor swap or temporary files."""
    import watchfiles

    class Sources(watchfiles.DefaultFilter):
        def __call__(self, change: watchfiles.Change, path: str) -> bool:
            return super().__call__(change, path) and kind_of(Path(path), data_dir) is not None

    return Sources()


def display(path: Path, data_dir: Path) -> str:
    """A changed file's name as the user knows it."""
    for root, name in ((data_dir, 'data'), (ROOT, '')):
        if path.is_relative_to(root):
            return str(Path(name) / path.relative_to(root))
    return str(path)


def attempt(builder: Builder, options: 'Options', log: Log, warn: Log, publish: Publish, cause: str) -> None:
    """One build in watch mode: report it, never raise for a user error (but wrong usage at
    the start, a --lang the data lacks: watch mode ends, as a one-off build exits 2)."""
    started = time.perf_counter()
    try:
        written = builder(options)
    except UserError as error:
        if isinstance(error, UsageError) and cause == 'start':
            raise
        failed(str(error), log, warn, publish, cause)
        return
    except Exception as error:  # noqa: BLE001 - a bug is shown with its traceback; watching goes on
        import traceback

        failed(''.join(traceback.format_exception(error)), log, warn, publish, cause)
        return
    publish(None)
    log(f'rebuilt after {cause}: {len(written)} file(s) written in {time.perf_counter() - started:.2f} s')


def failed(message: str, log: Log, warn: Log, publish: Publish, cause: str) -> None:
    publish(message)  # first: a tab that is told hears of it before the log says so
    warn(message)
    log(f'build failed after {cause}; the last good outputs are kept')


def program_bytes() -> list[tuple[Path, bytes | None]]:
    """Every program file with its bytes (None for one gone since it was listed)."""

    def read(path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    return [(path, read(path)) for path in program_files()]


def compile_errors() -> str:
    """The program's syntax errors, as `file:line:col: message` lines ('' when it compiles):
    a half-saved module must not end watch mode."""
    problems: list[str] = []
    for path, text in program_bytes():
        try:
            compile(text or b'', str(path), 'exec')
        except (SyntaxError, ValueError) as error:
            line, col = getattr(error, 'lineno', None) or 1, getattr(error, 'offset', None) or 1
            problems.append(f'{path.relative_to(ROOT)}:{line}:{col}: {getattr(error, "msg", error)}')
    return '\n'.join(problems)


def module_names() -> list[str]:
    """The program's modules by import name: build, factsheet, factsheet.derive, ..."""
    names = [path.relative_to(ROOT).with_suffix('').as_posix().replace('/', '.') for path in program_files()]
    return [name.removesuffix('.__init__') for name in names]


def import_errors(names: Sequence[str], root: Path = ROOT, timeout: float = IMPORT_SECONDS) -> str:
    """Where the program as saved fails to import, as `file:line: message` ('' when every
    module imports), found in a child process: a module that compiles may still not import."""
    import subprocess

    command = [sys.executable, '-B', '-c', IMPORT_CHECK, str(root), *names]
    try:
        done = subprocess.run(
            command, cwd=root, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return f'build.py: the program took longer than {timeout} s to import'
    if done.returncode == 0 and done.stdout == 'ok\n':
        return ''
    if done.returncode == 1 and done.stdout.strip():
        return done.stdout.strip()
    last = (done.stderr.strip().splitlines() or [f'exit status {done.returncode}'])[-1]
    return f'build.py: importing the program ended early: {last}'


def program_errors() -> tuple[str | None, str]:
    """What keeps the program as saved from replacing the running one: ('compile', its syntax
    errors), ('import', where it fails to import) or (None, '')."""
    broken = compile_errors()
    if broken:
        return 'compile', broken
    broken = import_errors(module_names())
    return ('import' if broken else None), broken


def restart_or_keep(changed: str, log: Log, warn: Log, publish: Publish, stop_helper: Callable[[], None]) -> None:
    """A program file changed: restart with the program as saved, or say why the old one
    keeps running."""
    saved = program_bytes()
    failing, broken = program_errors()
    if not broken and program_bytes() != saved:
        return  # saved again while being checked: the next batch holds that save
    if not broken:
        log(f'{changed} changed: restarting')
        stop_helper()
        os.execv(sys.executable, [sys.executable, str(ROOT / 'build.py'), *sys.argv[1:]])
    publish(broken)
    warn(broken)
    log(f'{changed} changed but does not {failing}: still running the old program')


def watching(data_dir: Path) -> str:
    """What watch mode says once, at its start: what it follows, and how to stop it."""
    folders = [shown(folder) + '/' for folder in (data_dir, TEMPLATES, CHART_DIR)]
    return f'watching {", ".join(folders)} and the program for saves; press Ctrl-C to stop'


def watch(options: 'Options', builder: Builder, log: Log, warn: Log, publish: Publish, helper: Helper) -> None:
    """Build with builder(options), then again after every batch of changes; `publish` tells
    the preview (if any) of each build. `helper` is watch mode's helper process (helper.py,
    handed in: this module never imports it): helper.restart(options) runs once after the
    first build, so that later builds start warm, and helper.stop() before a restart."""
    import logging

    import watchfiles

    logging.getLogger('watchfiles').setLevel(logging.ERROR)
    started = False
    log(watching(options.data))
    # The watcher starts before the first build, so that no save is missed; it yields an
    # empty batch every rust_timeout ms, which is when that first build runs.
    for changes in watchfiles.watch(
        *watched_folders(options.data),
        watch_filter=sources_filter(options.data),
        debounce=150,
        step=10,
        rust_timeout=200,
        yield_on_timeout=True,
        raise_interrupt=False,
    ):
        if not started:
            started = True
            attempt(builder, options, log, warn, publish, 'start')
            options = replace(options, force=False)
            helper.restart(options)
        if not changes:
            continue
        paths = sorted({Path(path) for _, path in changes})
        program = [path for path in paths if kind_of(path, options.data) == 'program']
        if program:
            restart_or_keep(display(program[0], options.data), log, warn, publish, helper.stop)
            continue
        # A language's words saved: that edition is built first.
        first = next((path.stem for path in paths if path.parent == options.data / 'words'), None)
        cause = ', '.join(display(path, options.data) for path in paths)
        attempt(builder, replace(options, first=first), log, warn, publish, cause)
    log('stopped watching')
