"""Messages between a worker and its parent: small typed values, and one codec (a length,
then a pickle) for both directions of the pipes."""

import os
import pickle
from dataclasses import dataclass


@dataclass(frozen=True)
class Done:
    """The work finished."""


@dataclass(frozen=True)
class Failed:
    """The work stopped on problems the user can fix."""

    problems: list


@dataclass(frozen=True)
class Crashed:
    """The work stopped on a bug."""

    traceback: str


@dataclass(frozen=True)
class Died:
    """The process ended without saying how."""


OUTCOMES = (Done, Failed, Crashed, Died)


def encode(message):
    """One message as a frame: the length of its pickle in 4 bytes, then the pickle."""
    body = pickle.dumps(message)
    return len(body).to_bytes(4, 'big') + body


class Decoder:
    """Collects the bytes read from a pipe and returns every complete message."""

    def __init__(self):
        self.buffer = b''

    def feed(self, chunk):
        self.buffer += chunk
        messages = []
        while len(self.buffer) >= 4 and len(self.buffer) >= 4 + int.from_bytes(self.buffer[:4], 'big'):
            size = int.from_bytes(self.buffer[:4], 'big')
            messages.append(pickle.loads(self.buffer[4 : 4 + size]))
            self.buffer = self.buffer[4 + size :]
        return messages


def write_all(fd, data):
    """Write every byte to a pipe; False when the other end is gone."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view) :]
    except OSError:
        return False
    return True
