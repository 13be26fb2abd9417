"""Watch mode's helper: the clean, warm process that every worker starts from.

Watch mode's own process has threads (the file watcher's, the preview server's), and a
fork of a process with threads can copy a lock that one of them holds. So watch mode,
before it starts any thread, starts multiprocessing's forkserver with this module
preloaded, and every worker is then forked from that helper, without the watcher's
threads, memory or open files. Importing this module in the helper:

1. imports the libraries, whole, with nothing that can interrupt an import halfway (a
   half-imported module would break every worker forked after it);
2. when asked (after watch mode's first build), makes the documents once from the data
   without writing them (pipeline.documents: every edition's handout and card, the first
   edition's fact sheet, its search beginning at the steps that build chose, as the next
   build's does), so that workers start warm, under the build's time and memory
   limits. If that fails, or runs out of time or memory, the helper ends at once rather
   than serve from a state it cannot trust, and the next worker starts a new helper,
   which imports the libraries only."""

import os
import signal
import sys
from typing import TYPE_CHECKING, NoReturn

from .interrupts import held

if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType
    from typing import ParamSpec, Protocol, TypeVar

    from .options import Options
    from .workers import Launcher

    P = ParamSpec('P')
    R = TypeVar('R')

    class Whole(Protocol[P, R]):
        """A step that runs whole (uninterrupted); `__wrapped__` is the step itself."""

        __wrapped__: Callable[P, R]

        def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R: ...


OPTIONS = 'FACTSHEET_HELPER_OPTIONS'  # the build's options, for the warm-up: how they reach the helper
ROLE = 'FACTSHEET_HELPER_OF'  # the watcher's process id: a forkserver it starts is told it is the helper
WARMED = False  # in the helper (and the workers it forks): the documents were made once


def uninterrupted(step: 'Callable[P, R]') -> 'Whole[P, R]':
    """`step` run whole: a Ctrl-C or TERM that arrives meanwhile is raised after it, so that
    the helper is never left half started or half stopped."""
    import functools

    @functools.wraps(step)
    def whole(*args: 'P.args', **kwargs: 'P.kwargs') -> 'R':
        with held():
            return step(*args, **kwargs)

    return whole


@uninterrupted
def start(options: 'Options | None' = None) -> 'Launcher':
    """Start the helper, warming up in the background when given the build's options;
    return the Launcher with which workers start from it."""
    import base64
    import multiprocessing
    import pickle
    from multiprocessing import forkserver

    from .project import ROOT
    from .workers import Launcher

    forkserver.set_forkserver_preload([__name__])
    # Kept for the watcher's life, so that a helper multiprocessing starts again by itself
    # is the same: it finds this package wherever the watcher started, and NumPy (under
    # matplotlib) starts no pool of threads in it.
    if str(ROOT) not in os.environ.get('PYTHONPATH', '').split(os.pathsep):
        os.environ['PYTHONPATH'] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get('PYTHONPATH')]))
    os.environ['OPENBLAS_NUM_THREADS'] = '1'
    os.environ[ROLE] = str(os.getpid())
    if options is not None:
        os.environ[OPTIONS] = base64.b64encode(pickle.dumps(options)).decode()
    try:
        forkserver.ensure_running()
    finally:
        os.environ.pop(OPTIONS, None)
    return Launcher(multiprocessing.get_context('forkserver'), restart, kill)


def kill() -> None:
    """End the helper now, whatever it is doing (a warm-up, or stopped by a signal)."""
    from multiprocessing import forkserver

    pid = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]  # private, not in typeshed
    if pid is not None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@uninterrupted
def restart(options: 'Options | None' = None) -> None:
    """Replace the helper: with one that imports the libraries only, or that also warms up
    when given the build's options."""
    stop.__wrapped__()
    start.__wrapped__(options)  # the same context and hooks: the Launcher already handed out stays good


@uninterrupted
def stop() -> None:
    """End the helper and multiprocessing's resource tracker, reap both and remove their
    folder, as the interpreter does at exit: when watch mode ends or replaces its program,
    which would leave them behind."""
    from multiprocessing import forkserver, resource_tracker, util

    kill()  # a warming helper would finish its warm-up first
    # Both have had a _stop() since Python 3.8, and _run_finalizers() is what multiprocessing
    # runs at exit (it removes the folder).
    for server in (forkserver._forkserver, resource_tracker._resource_tracker):
        server._stop()  # type: ignore[union-attr]  # private, not in typeshed
    util._run_finalizers()  # type: ignore[attr-defined]  # private, not in typeshed


def import_libraries() -> None:
    """Part 1: every library a worker uses, imported whole."""
    import jinja2  # noqa: F401
    import matplotlib.figure  # noqa: F401

    from . import draw, jobs, render  # noqa: F401
    from .pdf import import_weasyprint

    import_weasyprint()


def warm_up(options: 'Options') -> None:
    """Part 2: run the pipeline once (pipeline.documents: each edition's charts, handout and
    card, and the first edition's fact sheet), under the build's time and memory limits, with
    the libraries' own messages kept out of the watcher's output; on any failure, end the
    helper (see the module's docstring)."""
    import resource

    from .limits import memory_size

    def out_of_time(
        signum: int, frame: 'FrameType | None'
    ) -> NoReturn:  # a handler that raises could be swallowed by a library
        os._exit(70)

    limit = resource.getrlimit(resource.RLIMIT_AS)
    stderr = os.dup(2)
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, options.timeout)
    try:
        wanted = memory_size('VmSize') + (options.memory << 20)
        resource.setrlimit(resource.RLIMIT_AS, (wanted if limit[1] < 0 else min(wanted, limit[1]), limit[1]))
        from .pipeline import documents
        from .state import BuildState

        hints = BuildState(options.out).layouts()[1]  # the first build's steps: a search of a layout or two
        for _ in documents(options, hints):  # every step of a build, nothing written
            pass
    except BaseException:  # noqa: BLE001 - bad data, out of memory, a library's failure: never serve from here
        os._exit(71)
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_AS, limit)
    os.dup2(stderr, 2)
    os.close(stderr)
    os.close(quiet)
    global WARMED
    WARMED = True


# Imported by the forkserver as it starts (it runs `python -c "from multiprocessing.forkserver
# import main; main(...)"`), told by its parent, which started it, that it is the helper.
# Anywhere else (a test runner's worker started with -c too), this module only defines the above.
if os.environ.get(ROLE) == str(os.getppid()) and 'multiprocessing.forkserver' in sys.modules:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as the forkserver itself does next: Ctrl-C is for the watcher
    import_libraries()
    if os.environ.get(OPTIONS):
        import base64
        import pickle

        warm_up(pickle.loads(base64.b64decode(os.environ.pop(OPTIONS))))
