"""Watch mode's helper: the clean, warm process that every worker starts from.

Watch mode's own process has threads (the file watcher's, the preview server's), and a
fork of a process with threads can copy a lock that one of them holds. So watch mode,
before it starts any thread, starts multiprocessing's forkserver with this module
preloaded, and every worker is then forked from that helper: without the watcher's
threads, memory or open files, and warm. Its import does the warm-up in two parts:

1. the libraries are imported, whole, with nothing that can interrupt an import halfway
   (a half-imported module would break every worker forked after it);
2. the documents are made once from the data, without writing them, under the build's
   time and memory limits. If that part fails or runs out of time or memory, the helper
   ends at once rather than serve from a state it cannot trust; the next worker then
   starts a new helper, which imports the libraries only."""

import os
import signal

HELPER = 'FACTSHEET_HELPER'  # set for the helper only: this module's import there warms it up
OPTIONS = 'FACTSHEET_HELPER_OPTIONS'  # the build's options, for the warm-up: how they reach the helper
WARMED = False  # in the helper (and the workers it forks): the documents were made once


def start(options, warm=True):
    """Start the helper (warming up in the background when `warm`); from now on, workers
    start from it."""
    import base64
    import multiprocessing
    import pickle
    from multiprocessing import forkserver

    from .project import ROOT
    from .workers import Worker

    forkserver.set_forkserver_preload([__name__])
    saved = dict(os.environ)
    # The helper is a new interpreter: it finds this package wherever the watcher started.
    os.environ['PYTHONPATH'] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get('PYTHONPATH')]))
    os.environ[HELPER] = '1'
    os.environ['OPENBLAS_NUM_THREADS'] = '1'  # no thread pool for NumPy (under matplotlib): one thread
    if warm:
        os.environ[OPTIONS] = base64.b64encode(pickle.dumps(options)).decode()
    try:
        forkserver.ensure_running()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    Worker.context, Worker.restart = multiprocessing.get_context('forkserver'), restart


def restart():
    """Replace a helper that has ended with one that imports the libraries only."""
    from multiprocessing import forkserver

    forkserver._forkserver._stop()  # reaps it (see stop())
    start(None, warm=False)


def stop():
    """Stop the helper and multiprocessing's resource tracker, reap both and remove their
    folder, as the interpreter does at exit: before the watcher replaces its program,
    which would leave them behind."""
    from multiprocessing import forkserver, resource_tracker, util

    # Both have had a _stop() since Python 3.8, and _run_finalizers() is what multiprocessing
    # runs at exit (it removes the folder).
    for server in (forkserver._forkserver, resource_tracker._resource_tracker):
        server._stop()
    util._run_finalizers()


def import_libraries():
    """Part 1: every library a worker uses, imported whole."""
    import jinja2  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import weasyprint  # noqa: F401

    from . import draw, jobs, render  # noqa: F401


def warm_up(options):
    """Part 2: make the charts, the handout and the fact sheet once, under the build's time
    and memory limits; on any failure, end the helper (see the module's docstring)."""
    import resource

    from .workers import memory_size

    def out_of_time(signum, frame):  # a handler that raises could be swallowed by a library
        os._exit(70)

    limit = resource.getrlimit(resource.RLIMIT_AS)
    signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, options.timeout)
    try:
        wanted = memory_size('VmSize') + (options.memory << 20)
        resource.setrlimit(resource.RLIMIT_AS, (wanted if limit[1] < 0 else min(wanted, limit[1]), limit[1]))
        from .derive import derive
        from .draw import draw_chart, read_palette, select_charts, tables
        from .load import load
        from .render import render, render_factsheet
        from .validate import validate

        files = load(options.data)
        validate(files)
        facts = derive(files)
        charts = select_charts(facts)
        palette = read_palette()
        svgs = {name: draw_chart(module, data, palette, facts['slug']) for name, (module, data) in charts.items()}
        render(facts, svgs, tables(charts), 'handout')
        if 'pdf' in options.targets:
            render_factsheet(facts, svgs, tables(charts), options)
    except BaseException:  # noqa: BLE001 - bad data, out of memory, a library's failure: never serve from here
        os._exit(71)
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_AS, limit)
    global WARMED
    WARMED = True


if os.environ.pop(HELPER, None):  # imported by the helper as it starts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as the forkserver itself does next: Ctrl-C is for the watcher
    import_libraries()
    if os.environ.get(OPTIONS):
        import base64
        import pickle

        warm_up(pickle.loads(base64.b64decode(os.environ.pop(OPTIONS))))
