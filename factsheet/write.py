"""Write: outputs land atomically, only when their bytes change, and a failed build puts
every file it wrote back as it was."""

import os
import tempfile
from pathlib import Path

from .problems import UserError


def writable_folder(out):
    """The output folder, made if need be; a UserError when it cannot hold the outputs."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=out).close()
    except (FileExistsError, NotADirectoryError):
        raise UserError([f'build.py: --out {out} is a file, not a folder']) from None
    except OSError as error:
        raise UserError([f'build.py: --out {out}: cannot write there ({error.strerror})']) from None
    return out


def output_path(out, name):
    """The path of an output inside the output folder; a UserError for a name that would
    lead outside it (through '..', an absolute part or a link inside the folder)."""
    path = out / name
    if Path(name).is_absolute() or not path.resolve().is_relative_to(out.resolve()):
        raise UserError([f'build.py: write: {name} would be written outside {out}; refused'])
    return path


def write_atomic(path, content):
    """Write bytes through a temporary file in the same folder; skip when unchanged.

    Returns True when the file was written."""
    if path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f'.{path.name}.', suffix='.tmp')
    try:
        with os.fdopen(handle, 'wb') as stream:
            stream.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return True


class Writer:
    """Writes outputs as they arrive, and puts every one back as it was if the build fails."""

    def __init__(self, out, log):
        self.out, self.log = out, log
        self.previous = {}  # path -> its bytes before this build (None: it did not exist)

    def write(self, name, content, seconds=None, detail=''):
        """Write one output (a path relative to the output folder) and log it (with the
        seconds it took to make, when it has its own)."""
        path = output_path(self.out, name)
        said = '' if seconds is None else f' ({seconds:.2f} s' + (f', {detail}' if detail else '') + ')'
        before = path.read_bytes() if path.is_file() else None
        if write_atomic(path, content):
            self.previous.setdefault(path, before)
            self.log(f'wrote {path}{said}')
        elif seconds is not None:  # a file made from others (the manifest) is said only when it changes
            self.log(f'unchanged {path}{said}')

    def roll_back(self):
        """Restore every file this build wrote to its previous bytes."""
        for path, before in self.previous.items():
            if before is None:
                path.unlink(missing_ok=True)
                self.log(f'removed {path} (the build failed)')
            else:
                write_atomic(path, before)
                self.log(f'put back {path} (the build failed)')


MANIFEST = 'manifest.json'


def manifest(out, documents):
    """output/manifest.json: each document in the output folder (`documents`: {name: its
    record}), with its language, paper, variant, format, page count and SHA-256 (as
    `sha256sum` gives it), by name."""
    import hashlib
    import json

    fields = ('language', 'paper', 'variant', 'format', 'pages')
    outputs = {
        name: {
            **{field: record.get(field) for field in fields},
            'sha256': hashlib.sha256((out / name).read_bytes()).hexdigest(),
        }
        for name, record in sorted(documents.items())
    }
    return (json.dumps({'outputs': outputs}, indent=1, ensure_ascii=False) + '\n').encode()
