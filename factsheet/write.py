"""Write: outputs land atomically, only when their bytes change, and a failed build puts
every file it wrote back as it was."""

import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .interrupts import held
from .limits import MAX_OUTPUT_BYTES
from .problems import UserError
from .state import MANIFEST, STATE_NAME


def writable_folder(out: Path) -> Path:
    """The output folder, made if need be; a UserError when it cannot hold the outputs."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out).close()
    except (FileExistsError, NotADirectoryError):
        raise UserError([f'build.py: --out {out} is a file, not a folder']) from None
    except OSError as error:
        raise UserError([f'build.py: --out {out}: cannot write there ({error.strerror})']) from None
    return out


LOCK_NAME = '.build.lock'


@contextmanager
def folder_lock(out: Path, log: Callable[[str], None]) -> Iterator[None]:
    """Hold the output folder's lock (an fcntl lock on out/.build.lock) for the block: a
    second build into the same folder waits for it, saying so once; a UserError when the
    lock cannot be had (the lock file is a link, a pipe or a folder)."""
    import fcntl

    path = out / LOCK_NAME
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise UserError([f'build.py: --out {out}: cannot take the lock {path} ({error.strerror})']) from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise UserError([f'build.py: --out {out}: cannot take the lock {path} (not a regular file)'])
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f'waiting for another build into {out} to finish')
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # and the lock with it


def output_path(out: Path, name: str) -> Path:
    """The path of an output inside the output folder; a UserError for a name that would
    lead outside it (through '..', an absolute part or a link inside the folder), or where
    anything but a file of an output's size stands (a folder, a link, a pipe, a file larger
    than any output), or under a charts/ that is not a folder: what is there is left as it
    is. The state file and the manifest, the build's own, replace a pipe."""
    path = out / name
    try:
        inside = path.resolve().is_relative_to(out.resolve())
    except (RuntimeError, OSError):  # a loop of links
        raise UserError([f'build.py: write: {path} cannot be followed (a loop of links); remove it']) from None
    if Path(name).is_absolute() or not inside:
        raise UserError([f'build.py: write: {name} would be written outside {out}; refused'])
    if path.parent != out and path.parent.exists() and not path.parent.is_dir():
        folder = path.parent
        raise UserError([f'build.py: write: {folder} is not a folder, where this build keeps its {folder.name}'])
    try:
        status = path.lstat()
    except OSError:  # nothing there yet (or nothing that can be read): writing it says why
        return path
    own = name in (STATE_NAME, MANIFEST) and not stat.S_ISLNK(status.st_mode)  # a pipe there is replaced
    if stat.S_ISDIR(status.st_mode) or not (stat.S_ISREG(status.st_mode) or own):
        kind = 'a folder' if stat.S_ISDIR(status.st_mode) else 'not a regular file'
        raise UserError([f'build.py: write: {path} is {kind}, where this build writes a file; move or rename it'])
    if status.st_size > MAX_OUTPUT_BYTES:
        size, what = f'{status.st_size / (1 << 20):.0f} MiB', 'larger than any file this build writes'
        raise UserError([f'build.py: write: {path} is {size}, {what}; move or rename it'])
    return path


def write_atomic(path: Path, content: bytes) -> bool:
    """Write bytes through a temporary file in the same folder; skip when unchanged.

    Returns True when the file was written. Once os.replace has put the file in place,
    nothing is undone, whatever arrives after it."""
    if path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.', suffix='.tmp')
    try:
        with os.fdopen(handle, 'wb') as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        with held():  # gone already once os.replace has put it in place
            with suppress(FileNotFoundError):
                os.unlink(temporary)
    return True


def disk_error(path: Path | str, error: OSError) -> UserError:
    """A write that the system refused (a full disk, a read-only folder), as one line."""
    return UserError([f'build.py: write: {path}: {error.strerror or error}'])


class Writer:
    """Writes and removes outputs, and puts every one back as it was if the build fails."""

    def __init__(self, out: Path, log: Callable[[str], None]) -> None:
        self.out, self.log = out, log
        self.previous: dict[Path, bytes | None] = {}  # path -> its bytes before this build (None: it did not exist)
        self.changed: list[Path] = []  # the paths this build wrote or removed, in order
        self.folders: list[Path] = []  # the folders it made (charts/), removed again with the files in them

    def remember(self, path: Path) -> None:
        """Keep a file's bytes before its first change in this build (before the change:
        an interrupt between the two loses nothing)."""
        if path not in self.previous:
            self.previous[path] = path.read_bytes() if path.is_file() else None

    def write(
        self, name: str, content: bytes, seconds: float | None = None, detail: str = '', said: bool = True
    ) -> None:
        """Write one output (a path relative to the output folder) and log it (with the
        seconds it took to make, when it has its own; not at all when not `said`)."""
        path = output_path(self.out, name)
        timing = '' if seconds is None else f' ({seconds:.2f} s' + (f', {detail}' if detail else '') + ')'
        try:
            self.remember(path)
            if not path.parent.exists() and path.parent not in self.folders:
                self.folders.append(path.parent)
            written = write_atomic(path, content)
        except OSError as error:
            raise disk_error(path, error) from None
        if written:
            self.changed.append(path)
        if written and said:
            self.log(f'wrote {path}{timing}')
        elif seconds is not None:  # a file made from others (the manifest) is said only when it changes
            self.log(f'unchanged {path}{timing}')

    def remove(self, name: str, why: str) -> None:
        """Remove an output this build replaces (put back too if the build fails)."""
        path = output_path(self.out, name)
        try:
            self.remember(path)
            path.unlink(missing_ok=True)
        except OSError as error:
            raise disk_error(path, error) from None
        self.changed.append(path)
        self.log(f'removed {path} ({why})')

    def roll_back(self) -> list[str]:
        """Put every file this build wrote or removed back as it was; return the lines that
        say what could not be put back (none: all of it was). The caller holds Ctrl-C and
        TERM meanwhile. New files go first: removing them frees the room old ones may need."""
        failed: list[str] = []
        for path, before in sorted(self.previous.items(), key=lambda item: item[1] is not None):
            try:
                if before is None:
                    if path.is_file() or path.is_symlink():  # a folder made meanwhile is not this build's
                        path.unlink()
                        self.log(f'removed {path} (the build failed)')
                elif write_atomic(path, before):
                    self.log(f'put back {path} (the build failed)')
            except OSError as error:
                failed.append(f'build.py: could not put back {path}: {error.strerror or error}')
        for folder in reversed(self.folders):
            with suppress(OSError):  # left when something else is in it
                folder.rmdir()
        self.previous.clear()
        self.changed.clear()
        self.folders.clear()
        return failed
