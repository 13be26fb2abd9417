"""Where the project's files are, and which of them a build reads.

One list of inputs feeds both the state file's digest and what watch mode follows: a
file that can change an output is hashed and watched, and a program file (build.py or
a module of this package) also restarts watch mode when it changes.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / 'factsheet'
TEMPLATES = ROOT / 'templates'
CHART_DIR = ROOT / 'charts'
CHARTS = ('timeline', 'regions', 'growth')
DATA_FILES = ('organisation.yaml', 'agencies.yaml', 'documents.yaml', 'sources.yaml')

# (folder, file name patterns): every file a build reads, besides the data.
PROGRAM = ((ROOT, ('build.py',)), (PACKAGE, ('*.py',)))
INPUTS = PROGRAM + ((CHART_DIR, ('*.py', '*.mplstyle')), (TEMPLATES, ('*.j2', '*.css')))
DATA_PATTERNS = ('*.yaml',)


def program_files():
    """build.py and the package's modules: the code every output is made by."""
    return [path for folder, patterns in PROGRAM for pattern in patterns for path in sorted(folder.glob(pattern))]


def input_files(data_dir):
    """Every file a build reads: the program, the charts, the templates and the data."""
    return [
        path for folder, patterns in INPUTS for pattern in patterns for path in sorted(folder.glob(pattern))
    ] + sorted(path for pattern in DATA_PATTERNS for path in data_dir.rglob(pattern))


def kind_of(path, data_dir):
    """'program', 'input' or None: what a changed file means to a build."""
    for folders, kind in ((PROGRAM, 'program'), (INPUTS, 'input')):
        for folder, patterns in folders:
            if path.parent == folder and any(path.match(pattern) for pattern in patterns):
                return kind
    if path.is_relative_to(data_dir) and any(path.match(pattern) for pattern in DATA_PATTERNS):
        return 'input'
    return None


def watched_folders(data_dir):
    """The folders watch mode follows."""
    return sorted({folder for folder, _ in INPUTS} | {data_dir})
