"""Watch mode's helper: workers start from a clean process made warm by one build's work,
done under the build's limits."""

import os
import signal
import sys
import threading
import time
from multiprocessing import forkserver
from pathlib import Path

import pytest

from conftest import DATA
from factsheet import helper
from factsheet.options import Options
from factsheet.workers import FORK, Worker, supervise


def report(inbox, send):
    """A worker's work: say where it runs and what it holds."""
    send(
        {
            'parent': os.getppid(),
            'threads': len(os.listdir('/proc/self/task')),
            'imported': 'weasyprint' in sys.modules and 'matplotlib.figure' in sys.modules,
            'warmed': getattr(sys.modules.get('factsheet.helper'), 'WARMED', False),
            'fds': sorted(int(fd) for fd in os.listdir('/proc/self/fd')),
        }
    )


def run_worker(seconds=60, launcher=FORK):
    reports = []
    worker = Worker('test', report, 512 << 20, seconds, launcher)
    supervise([worker], lambda worker, message: reports.append(message), 60)
    return reports[0]


@pytest.fixture
def started(tmp_path):
    """Start the helper, warming up under the given limits; end it afterwards."""
    environment = dict(os.environ)

    def start(timeout=120, memory=2048):
        return helper.start(Options(data=DATA, out=tmp_path, timeout=timeout, memory=memory))

    yield start
    helper.stop()
    os.environ.clear()
    os.environ.update(environment)


@pytest.mark.slow
def test_workers_start_from_the_warm_helper_not_from_a_process_with_threads(started, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the helper finds the package wherever the watcher was started
    gate = threading.Event()
    thread = threading.Thread(target=gate.wait)  # as the watcher's and the preview's threads
    thread.start()
    hold = [open(os.devnull) for _ in range(20)]  # noqa: SIM115 - open files the worker must not inherit
    try:
        seen = run_worker(launcher=started())
    finally:
        gate.set()
        thread.join()
        for stream in hold:
            stream.close()
    assert seen['parent'] != os.getpid()  # forked by the helper
    assert seen['threads'] == 1
    assert len(os.listdir(f'/proc/{seen["parent"]}/task')) == 1  # and the helper has no thread but its own
    assert seen['imported'] and seen['warmed']  # the helper laid out the fact sheet once
    assert len(seen['fds']) < len(hold)  # its pipes and standard streams, not this process's files


def test_a_one_off_build_forks_its_workers_itself():
    seen = run_worker()
    assert seen['parent'] == os.getpid()


@pytest.mark.slow
@pytest.mark.parametrize('limits', [{'timeout': 0.001}, {'memory': 1}], ids=['time', 'memory'])
def test_the_warm_up_keeps_to_the_build_limits_and_workers_still_run(started, limits):
    launcher = started(**limits)
    seen = run_worker(launcher=launcher)  # the warm-up was stopped, its helper ended: a new one serves, imports done
    assert seen['parent'] != os.getpid() and seen['imported'] and not seen['warmed']


@pytest.mark.slow
def test_stopping_the_helper_reaps_it_and_removes_its_folder(started):
    from multiprocessing import util

    run_worker(launcher=started())
    pid, folder = forkserver._forkserver._forkserver_pid, Path(util.get_temp_dir())
    helper.stop()
    assert not folder.exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left for the program that replaces this one


@pytest.mark.slow
def test_a_helper_that_does_not_answer_holds_no_build_past_its_deadline(started):
    from factsheet.problems import UserError

    launcher = started()
    run_worker(launcher=launcher)
    pid = forkserver._forkserver._forkserver_pid
    os.kill(pid, signal.SIGSTOP)  # as a helper stuck in its warm-up would
    with pytest.raises(UserError) as stopped:
        run_worker(seconds=1, launcher=launcher)
    assert str(stopped.value) == 'build.py: render: took longer than 1 s (see --timeout)'
    assert run_worker(launcher=launcher)['parent'] != pid  # the next build starts from a new helper


@pytest.mark.slow
def test_a_helper_multiprocessing_starts_again_by_itself_imports_the_libraries(started):
    launcher = started()
    run_worker(launcher=launcher)
    pid = forkserver._forkserver._forkserver_pid
    os.kill(pid, signal.SIGKILL)
    while Path(f'/proc/{pid}/stat').read_text().split()[2] != 'Z':  # dead, not yet reaped
        time.sleep(0.01)
    seen = run_worker(launcher=launcher)  # multiprocessing's own ensure_running() reaps it and starts a new one
    assert seen['imported'] and not seen['warmed']


def sleep_long(inbox, send):
    import time

    time.sleep(30)


@pytest.mark.slow
def test_a_worker_ends_by_itself_a_second_after_its_deadline_and_says_why():
    from factsheet.problems import UserError

    worker = Worker('test', sleep_long, 512 << 20, 0.5)
    with pytest.raises(UserError) as late:
        supervise([worker], lambda worker, message: None, 60)  # the parent would wait longer
    assert str(late.value) == 'build.py: render: took longer than 0.5 s (see --timeout)'


def test_the_parent_ends_a_worker_at_the_builds_deadline():
    from factsheet.problems import UserError

    worker = Worker('test', sleep_long, 512 << 20, 60)  # its own timer would wait a minute
    with pytest.raises(UserError) as late:
        supervise([worker], lambda worker, message: None, 0.5)
    assert str(late.value) == 'build.py: render: took longer than 0.5 s (see --timeout)'
    assert worker.status == -signal.SIGKILL  # ended by the parent, not by its own timer


def half_a_message(inbox, send):
    import os
    import time

    os.write(send.__self__.fileno(), (1000).to_bytes(4, 'big') + b'x' * 10)  # a frame's length, 10 of its bytes
    time.sleep(30)


def test_a_worker_silent_halfway_through_a_message_holds_no_build_past_its_deadline():
    """The parent reads each message whole in a thread, so it keeps the deadline however
    a message stops coming."""
    from factsheet.problems import UserError

    worker = Worker('test', half_a_message, 512 << 20, 60)
    with pytest.raises(UserError) as late:
        supervise([worker], lambda worker, message: None, 0.5)
    assert str(late.value) == 'build.py: render: took longer than 0.5 s (see --timeout)'
    assert worker.status == -signal.SIGKILL


def sleep_briefly(inbox, send):
    import time

    time.sleep(1)


def test_ctrl_c_for_a_worker_alone_is_left_to_its_parent_and_a_term_ends_it_clearly():
    """A Ctrl-C sent to a worker's process only (its parent handles Ctrl-C and kills its
    workers) changes nothing; a TERM for it alone ends it, and the parent says how."""
    from factsheet.problems import UserError

    worker = Worker('test', sleep_briefly, 512 << 20, 60)
    threading.Timer(0.3, os.kill, (worker.process.pid, signal.SIGINT)).start()
    supervise([worker], lambda worker, message: None, 30)
    assert worker.status == 0
    worker = Worker('test', sleep_long, 512 << 20, 60)
    threading.Timer(0.3, os.kill, (worker.process.pid, signal.SIGTERM)).start()
    with pytest.raises(UserError) as died:
        supervise([worker], lambda worker, message: None, 30)
    assert str(died.value).startswith('build.py: render: the test process died (killed by signal 15);')


def test_a_signal_that_a_reader_thread_takes_stops_the_build_at_once():
    """Each worker's messages are read in a thread; a TERM that lands on one (sent to that
    thread, as some process monitors do) is handled by the main thread all the same, not
    at the build's deadline."""

    def stop(number, frame):
        raise KeyboardInterrupt

    worker = Worker('test', sleep_long, 512 << 20, 60)
    previous = signal.signal(signal.SIGTERM, stop)

    def signal_the_reader():
        while worker.listening is None:
            time.sleep(0.01)
        signal.pthread_kill(worker.listening.ident, signal.SIGTERM)

    try:
        threading.Thread(target=signal_the_reader, daemon=True).start()
        with pytest.raises(KeyboardInterrupt):
            supervise([worker], lambda worker, message: None, 30)  # the deadline would raise UserError
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert worker.status == -signal.SIGKILL
