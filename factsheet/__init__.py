"""The fact sheet's pipeline, one module per step, in the order the data flows.

build.py (beside this package) is the command line and the table of contents:

    load -> validate -> derive -> plan -> draw -> render -> write

Below it: `project` (where things are, what a build reads), `problems` (errors the
user can fix), `options`; the pipeline steps `load`, `schema` and `validate`, `derive`,
`state` and `plan`, `draw`, `render` and `layout` (fitting the fact sheet on its two
pages), `write`; running the steps in child processes,
`workers` (supervision, knows nothing of charts or PDFs) and `jobs` (what the workers
do); and around the build, `watch` and `preview`. No step imports a later one.
"""
