"""Workers: child processes under a memory limit and a deadline, with a pipe each way.

Process supervision only: what a worker does is the `work(inbox, send)` it is handed
(see jobs.py). A one-off build forks its workers, which inherit its imports; watch mode,
whose process has threads, starts them from a clean helper instead (see helper.py).
Whatever a worker allocates goes back to the system when it exits, so a long watch
session does not grow."""

import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from .limits import address_space, memory_size, out_of_memory
from .messages import OUTCOMES, Crashed, Died, Done, Failed, Outcome
from .problems import UserError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from queue import SimpleQueue

Work = Callable[[Callable[[], Any], Callable[[object], None]], None]  # work(inbox, send): see jobs.py

# --- The child ----------------------------------------------------------------------


def run_child(
    work: Work, memory: int, seconds: float, inbox: 'Connection', outbox: 'Connection', inherited: set[int]
) -> None:
    """A worker's whole life: set the limits, do the work, say how it ended, exit.

    `inherited` are other workers' pipe ends that a fork copied; they are closed, so that
    a worker that dies is seen to die. The parent kills a worker at its deadline; should
    the parent itself be gone, the worker ends a second later by itself."""
    import resource
    import traceback

    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # its default action ends the process
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it kills its workers
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a TERM for the worker alone ends it: the parent says so
    signal.setitimer(signal.ITIMER_REAL, seconds + 1)
    for fd in inherited:
        os.close(fd)
    # The limit counts from what the worker starts with (the parent's imports, and the
    # stacks of any thread it had), so that only the render's own memory is measured.
    baseline = memory_size('VmSize')
    try:
        limit = address_space(baseline + memory)
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
        memory = limit - baseline
        work(inbox.recv, outbox.send)  # recv raises EOFError when the parent closed its end
        outbox.send(Done())
    except UserError as error:
        outbox.send(Failed(error.problems))
    except BaseException as error:  # noqa: BLE001 - every failure goes to the parent
        if out_of_memory(error) or memory_size('VmPeak') - baseline >= memory * 0.9:
            outbox.send(Failed([f'build.py: render: ran out of memory (limit {memory >> 20} MiB, see --memory)']))
        else:
            outbox.send(Crashed(traceback.format_exc()))
    finally:
        os._exit(0)


# --- The parent's side --------------------------------------------------------------


@dataclass(frozen=True)
class Launcher:
    """How workers start: forked from this process (FORK, a one-off build's way), or from
    watch mode's helper (helper.start() returns its Launcher): its multiprocessing context,
    `restart()`, which replaces a helper that has ended, and `kill()`, which ends one that
    does not answer."""

    context: Any = None  # None: multiprocessing's "fork" start method
    restart: Callable[[], None] | None = None
    kill: Callable[[], None] | None = None


FORK = Launcher()


class Worker:
    """A child process running work(inbox, send) under a memory limit (bytes), started as
    its Launcher says, with a multiprocessing Connection each way. `work` is pickled when
    the worker starts from the helper: a module-level function or a partial of one."""

    parent_ends: ClassVar[set[int]] = set()  # every worker's pipe ends in the parent; a forked child closes them

    def __init__(self, name: str, work: Work, memory: int, seconds: float, launcher: Launcher = FORK) -> None:
        import multiprocessing

        self.name, self.memory, self.seconds, self.started = name, memory, seconds, time.monotonic()
        self.outcome: Outcome | None = None
        self.status: int | None = None
        self.sending: threading.Thread | None = None
        self.listening: threading.Thread | None = None
        self.launcher = launcher
        context = launcher.context or multiprocessing.get_context('fork')
        inbox_reader, inbox_writer = multiprocessing.Pipe(duplex=False)
        outbox_reader, outbox_writer = multiprocessing.Pipe(duplex=False)
        inherited = set()  # a child of the helper inherits nothing but its own two ends
        if context.get_start_method() == 'fork':
            inherited = {*Worker.parent_ends, inbox_writer.fileno(), outbox_reader.fileno()}
        args = (work, memory, seconds, inbox_reader, outbox_writer, inherited)
        try:
            for attempt in range(3):
                self.process = context.Process(target=run_child, args=args, name=f'{name} worker')
                try:
                    self.start_within(self.started + seconds, seconds)
                    break
                except (EOFError, ConnectionError):  # the helper ended (its warm-up failed, or it was killed)
                    if launcher.restart is None or attempt == 2:
                        raise UserError(
                            [f'build.py: render: the {name} process could not be started (its helper process ended)']
                        ) from None
                    launcher.restart()  # once more, from a new helper
        finally:
            inbox_reader.close()
            outbox_writer.close()
        self.reader, self.writer = outbox_reader, inbox_writer
        Worker.parent_ends |= {self.reader.fileno(), self.writer.fileno()}

    def start_within(self, deadline: float, seconds: float) -> None:
        """Start the process; from the helper, give up at the deadline (a helper still
        warming up, or stopped by a signal, would hold the build without end)."""
        if self.launcher.kill is None:  # forked from here: under way at once
            self.process.start()
            return
        failed: list[BaseException] = []

        def start() -> None:
            try:
                self.process.start()
            except BaseException as error:  # noqa: BLE001 - raised again below, in this thread
                failed.append(error)

        starting = threading.Thread(target=start, daemon=True)
        starting.start()
        starting.join(max(deadline - time.monotonic(), 0))
        if starting.is_alive():
            self.launcher.kill()  # the start then fails at once; the next build starts a new helper
            starting.join()
            raise UserError([f'build.py: render: took longer than {seconds:g} s (see --timeout)'])
        if failed:
            raise failed[0]

    def send(self, message: object) -> None:
        """Send the child a message (its job), from a thread: a job larger than the
        pipe's buffer must not hold up the parent until the child reads it."""
        if self.sending:  # messages go in the order they were sent
            self.sending.join()
        self.sending = threading.Thread(target=self.deliver, args=(message,), daemon=True)
        self.sending.start()

    def deliver(self, message: object) -> None:
        """Send a message (the sending thread's work)."""
        try:
            self.writer.send(message)
        except OSError:  # the child is gone: its parent hears so from the other pipe
            pass

    def listen(self, heard: 'SimpleQueue[tuple[Worker, object]]') -> None:
        """Put each of the child's messages in `heard`, whole, as it arrives, from a
        thread (the parent keeps its deadline however slowly a message comes); Died()
        when the pipe closes."""

        def read() -> None:
            try:
                while True:
                    heard.put((self, self.reader.recv()))
            except (EOFError, OSError):
                heard.put((self, Died()))
            except Exception:  # noqa: BLE001 - a message that does not unpickle
                import traceback

                heard.put((self, Crashed(traceback.format_exc())))

        self.listening = threading.Thread(target=read, daemon=True)
        self.listening.start()

    def stop(self) -> int:
        """Kill the child unless it finished, and reap it (once); return its exit code
        (minus the signal's number when a signal ended it)."""
        if self.status is None:
            if not isinstance(self.outcome, Done):
                self.process.kill()
            self.process.join()
            self.status = self.process.exitcode
            self.process.close()
            for thread in (self.sending, self.listening):
                if thread:
                    thread.join()  # the child is gone: both pipes are closed at its end
            Worker.parent_ends -= {self.reader.fileno(), self.writer.fileno()}
            self.reader.close()
            self.writer.close()
        assert self.status is not None  # reaped: join() gave an exit code
        return self.status


def supervise(workers: list[Worker], receive: Callable[[Worker, Any], None], timeout: float) -> None:
    """Pass every message of the workers to receive(worker, message) until all are done.

    Raises UserError when one fails, dies or outlives the deadline, counted from when the
    first of them was started; the others are killed."""
    from queue import Empty, SimpleQueue

    deadline = min(worker.started for worker in workers) + timeout
    heard: SimpleQueue[tuple[Worker, object]] = SimpleQueue()
    try:
        for worker in workers:
            worker.listen(heard)
        running = list(workers)
        while running:
            left = deadline - time.monotonic()
            if left <= 0:
                raise UserError([f'build.py: render: took longer than {timeout:g} s (see --timeout)'])
            try:  # in slices, so that a signal another thread took is handled here at once
                worker, message = heard.get(timeout=min(left, 0.1))
            except Empty:
                continue
            if worker not in running:  # the pipe closing after the outcome
                continue
            if isinstance(message, OUTCOMES):
                worker.outcome = message
                running.remove(worker)
                check(worker)
            else:
                receive(worker, message)
    finally:
        for worker in workers:
            worker.stop()


def check(worker: Worker) -> None:
    """Raise what a finished worker reported, if anything went wrong."""
    outcome = worker.outcome
    if isinstance(outcome, Died) and worker.stop() == -signal.SIGALRM:  # its own deadline (see run_child)
        raise UserError([f'build.py: render: took longer than {worker.seconds:g} s (see --timeout)'])
    if isinstance(outcome, Died):
        code = worker.stop()
        status = f'killed by signal {-code}' if code < 0 else f'exit status {code}'
        raise UserError(
            [
                f'build.py: render: the {worker.name} process died ({status}); '
                f'if it ran out of memory, raise --memory (now {worker.memory >> 20} MiB)'
            ]
        )
    if isinstance(outcome, Failed):
        raise UserError(outcome.problems)
    if isinstance(outcome, Crashed):
        raise RuntimeError(f'the {worker.name} process failed:\n{outcome.traceback}')


def collecting_warnings(work: Callable[[], None]) -> list[str]:
    """Run work(); return the warnings WeasyPrint logged and matplotlib issued meanwhile."""
    import logging
    import warnings

    caught: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
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
