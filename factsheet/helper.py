"""Watch mode's helper: the clean, warm process that every worker starts from.

Watch mode's own process has threads (the file watcher's, the preview server's), and a
fork of a process with threads can copy a lock that one of them holds. So watch mode,
before it starts any thread, starts multiprocessing's forkserver with this module
preloaded: the helper makes the documents once without writing them (the warm-up: the
libraries imported, the fonts loaded, WeasyPrint's and Jinja2's caches filled), under the
build's time and memory limits, and every worker is then forked from it, warm, without
the watcher's threads, memory or open files."""

import os

OPTIONS = 'FACTSHEET_HELPER_OPTIONS'  # how the build's options reach the helper as it starts


def start(options):
    """Start the helper, which warms up while the watcher goes on; from now on workers
    start from it."""
    import base64
    import multiprocessing
    import pickle
    from multiprocessing import forkserver

    from .workers import Worker

    forkserver.set_forkserver_preload([__name__])
    os.environ[OPTIONS] = base64.b64encode(pickle.dumps(options)).decode()
    try:
        forkserver.ensure_running()
    finally:
        del os.environ[OPTIONS]
    Worker.context = multiprocessing.get_context('forkserver')


def clean_up():
    """Before the watcher replaces its program: the helper ends when the watcher's end of
    its pipe closes, but the folder of its socket would stay behind."""
    import shutil
    from multiprocessing import util

    shutil.rmtree(util.get_temp_dir(), ignore_errors=True)


def warm_up(options):
    """Make the charts, the handout and the fact sheet from the data once, without writing
    them, under the build's time and memory limits. A warm-up that fails or is stopped
    only leaves the workers to warm up by themselves; the build reports any problem."""
    import resource
    import signal

    from .workers import memory_size

    class Stopped(Exception):
        pass

    def stop(signum, frame):
        raise Stopped

    limit = resource.getrlimit(resource.RLIMIT_AS)
    previous = signal.signal(signal.SIGALRM, stop)
    try:
        wanted = memory_size('VmSize') + (options.memory << 20)
        resource.setrlimit(resource.RLIMIT_AS, (wanted if limit[1] < 0 else min(wanted, limit[1]), limit[1]))
        signal.setitimer(signal.ITIMER_REAL, options.timeout)
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
    except Exception:  # noqa: BLE001, S110 - out of time or memory, bad data, a library's failure
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        resource.setrlimit(resource.RLIMIT_AS, limit)


if os.environ.get(OPTIONS):  # imported by the helper as it starts
    import base64
    import pickle

    warm_up(pickle.loads(base64.b64decode(os.environ.pop(OPTIONS))))
