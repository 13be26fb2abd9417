"""Workers: child processes under a memory limit and a deadline, with a pipe each way.

Process supervision only: what a worker does is the `work(inbox, send)` it is handed
(see jobs.py). A one-off build forks its workers, which inherit its imports; watch mode,
whose process has threads, starts them from a clean helper instead (see helper.py).
Whatever a worker allocates goes back to the system when it exits, so a long watch
session does not grow."""

import os
import re
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .messages import OUTCOMES, Crashed, Decoder, Died, Done, Failed, encode, write_all
from .problems import UserError

# --- The child ----------------------------------------------------------------------


def run_child(work, memory, seconds, inbox, outbox, inherited):
    """A worker's whole life: set the limits, do the work, say how it ended, exit.

    `inherited` are other workers' pipe ends that a fork copied; they are closed, so that
    a worker that dies is seen to die. The parent kills a worker at its deadline; should
    the parent itself be gone, the worker ends a second later by itself."""
    import resource
    import traceback

    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # its default action ends the process
    signal.setitimer(signal.ITIMER_REAL, seconds + 1)
    for fd in inherited:
        os.close(fd)
    reader, writer = inbox.fileno(), outbox.fileno()
    decoder, pending = Decoder(), []

    def inbox():
        while not pending:
            chunk = os.read(reader, 1 << 20)
            if not chunk:
                raise EOFError('the parent closed the pipe')
            pending.extend(decoder.feed(chunk))
        return pending.pop(0)

    def send(message):
        write_all(writer, encode(message))

    # The limit counts from what the worker starts with (the parent's imports, and the
    # stacks of any thread it had), so that only the render's own memory is measured.
    baseline = memory_size('VmSize')
    try:
        limit = address_space(baseline + memory)
        resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
        memory = limit - baseline
        work(inbox, send)
        send(Done())
    except UserError as error:
        send(Failed(error.problems))
    except BaseException as error:  # noqa: BLE001 - every failure goes to the parent
        if out_of_memory(error) or memory_size('VmPeak') - baseline >= memory * 0.9:
            send(Failed([f'build.py: render: ran out of memory (limit {memory >> 20} MiB, see --memory)']))
        else:
            send(Crashed(traceback.format_exc()))
    finally:
        os._exit(0)


def address_space(wanted):
    """The address-space limit to set: the one wanted, or the hard limit this process
    inherited when that is lower (it cannot be raised)."""
    import resource

    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)


def inherited_limit(memory):
    """A line that says so when the inherited hard limit on address space is below what the
    workers would get (`memory` bytes over this process's own size); None otherwise."""
    size = memory_size('VmSize')
    limit = address_space(size + memory)
    if limit >= size + memory:
        return None
    return (
        f'build.py: this process inherited a hard memory limit ({limit >> 20} MiB of address space, '
        f'ulimit -v): the renders run under it, not under --memory {memory >> 20}'
    )


def out_of_memory(error):
    """True when an exception, or one it came from, says the memory limit was reached."""
    import errno

    while error is not None:
        if (
            isinstance(error, MemoryError)
            or getattr(error, 'errno', None) == errno.ENOMEM
            or 'failed to map segment' in str(error)
            or 'cannot allocate memory' in str(error).lower()
        ):
            return True
        error = error.__cause__ or error.__context__
    return False


def memory_size(field):
    """This process's virtual memory in bytes, now (VmSize) or at its peak (VmPeak), on
    Linux; 0 where unknown."""
    try:
        status = Path('/proc/self/status').read_text()
    except OSError:
        return 0
    found = re.search(rf'^{field}:\s*(\d+) kB', status, re.M)
    return int(found.group(1)) * 1024 if found else 0


# --- The parent's side --------------------------------------------------------------


@dataclass(frozen=True)
class Launcher:
    """How workers start: forked from this process (FORK, a one-off build's way), or from
    watch mode's helper (helper.start() returns its Launcher): its multiprocessing context,
    `restart()`, which replaces a helper that has ended, and `kill()`, which ends one that
    does not answer."""

    context: object = None  # None: multiprocessing's "fork" start method
    restart: Callable[[], None] | None = None
    kill: Callable[[], None] | None = None


FORK = Launcher()


class Worker:
    """A child process running work(inbox, send) under a memory limit (bytes), started as
    its Launcher says.

    `work` is pickled when the worker starts from the helper: a module-level function or a
    functools.partial of one."""

    parent_ends = set()  # every worker's pipe ends in the parent; a forked child closes them

    def __init__(self, name, work, memory, seconds, launcher=FORK):
        import multiprocessing

        self.name, self.memory, self.seconds, self.started = name, memory, seconds, time.monotonic()
        self.outcome = self.status = self.sending = None
        self.decoder = Decoder()
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
        self.ends = (outbox_reader, inbox_writer)
        self.reader, self.writer = outbox_reader.fileno(), inbox_writer.fileno()
        Worker.parent_ends |= {self.reader, self.writer}

    def start_within(self, deadline, seconds):
        """Start the process; from the helper, give up at the deadline (a helper still
        warming up, or stopped by a signal, would hold the build without end)."""
        import threading

        if self.launcher.kill is None:  # forked from here: under way at once
            self.process.start()
            return
        failed = []

        def start():
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

    def send(self, message):
        """Send the child a message (its job), from a thread: a job larger than the
        pipe's buffer must not hold up the parent until the child reads it."""
        import threading

        if self.sending:  # messages go in the order they were sent
            self.sending.join()
        self.sending = threading.Thread(target=write_all, args=(self.writer, encode(message)), daemon=True)
        self.sending.start()

    def receive(self):
        """Read what the pipe holds; return the work's messages (an outcome is kept)."""
        chunk = os.read(self.reader, 1 << 20)
        if not chunk:
            self.outcome = self.outcome or Died()
        messages = []
        for message in self.decoder.feed(chunk):
            if isinstance(message, OUTCOMES):
                self.outcome = message
            else:
                messages.append(message)
        return messages

    def stop(self):
        """Kill the child unless it finished, and reap it (once); return its exit code
        (minus the signal's number when a signal ended it)."""
        if self.status is None:
            if not isinstance(self.outcome, Done):
                self.process.kill()
            self.process.join()
            self.status = self.process.exitcode
            self.process.close()
            if self.sending:
                self.sending.join()
            Worker.parent_ends -= {self.reader, self.writer}
            for end in self.ends:
                end.close()
        return self.status


def supervise(workers, receive, timeout):
    """Pass every message of the workers to receive(worker, message) until all are done.

    Raises UserError when one fails, dies or outlives the deadline, counted from when the
    first of them was started; the others are killed."""
    import select

    deadline = min(worker.started for worker in workers) + timeout
    try:
        running = list(workers)
        while running:
            left = deadline - time.monotonic()
            ready = select.select([worker.reader for worker in running], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                raise UserError([f'build.py: render: took longer than {timeout:g} s (see --timeout)'])
            for worker in [worker for worker in running if worker.reader in ready]:
                for message in worker.receive():
                    receive(worker, message)
                if worker.outcome is not None:
                    running.remove(worker)
                    check(worker)
    finally:
        for worker in workers:
            worker.stop()


def check(worker):
    """Raise what a finished worker reported, if anything went wrong."""
    outcome = worker.outcome
    if isinstance(outcome, Died) and worker.stop() == -signal.SIGALRM:  # its own deadline (see run_child)
        raise UserError([f'build.py: render: took longer than {worker.seconds:g} s (see --timeout)'])
    if isinstance(outcome, Died):
        status = describe_status(worker.stop())
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


def describe_status(code):
    """'killed by signal 9' or 'exit status 3', from a process's exit code."""
    if code < 0:
        return f'killed by signal {-code}'
    return f'exit status {code}'
