"""Interrupts held: a step that must run whole (a rollback, the helper's start) runs with
Ctrl-C and TERM held, and a signal that arrives meanwhile is delivered after it."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOPS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def held(deliver: bool = True) -> Iterator[list[int]]:
    """Run the block whole; then deliver the first Ctrl-C or TERM that arrived meanwhile to
    the handler that was in place (KeyboardInterrupt, for a build), or with deliver=False
    (a build already stopping) let it go. Yields the list of signals received. Outside the
    main thread, where no handler can be set, the block runs as it is."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return
    previous = {number: signal.signal(number, lambda number, frame: received.append(number)) for number in STOPS}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if received and deliver:
            signal.raise_signal(received[0])


class Stopper:
    """A one-off command's handler for Ctrl-C and TERM, and watch mode's: the first raises
    KeyboardInterrupt, and the later ones are let go (the command is stopping already, and
    puts everything back); so is every one once the command has settled (see settle())."""

    running: 'Stopper | None' = None  # the handler of the one-off command running, if any

    def __init__(self) -> None:
        self.received: list[int] = []
        self.settled = False

    def __call__(self, number: int, frame: FrameType | None) -> None:
        if not self.received and not self.settled:
            self.received.append(number)
            raise KeyboardInterrupt


def settle() -> None:
    """Say that the one-off command running has done all it set out to do (a build: its
    last outputs written whole): a Ctrl-C or TERM from now on has nothing left to stop or
    to put back, and is let go. Watch mode has no one-off command: its Ctrl-C ends it."""
    if Stopper.running is not None:
        Stopper.running.settled = True
