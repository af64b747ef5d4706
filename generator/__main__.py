"""Command line: python -m generator {validate,build,schema,new,synth} (see --help of each)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .mkdocs_config import site_url
from .pipeline import build, check
from .problems import ContentError, errors_in
from .scaffold import ScaffoldError, new_entity
from .schema import SCHEMA_DIR, schema_files, stale_schemas
from .write import write_pages


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="command")
    validate = commands.add_parser("validate", help="check the content and print every problem")
    validate.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    validate.set_defaults(run=_validate)
    build_cmd = commands.add_parser("build", help="validate, then write the Markdown pages into docs/")
    build_cmd.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    build_cmd.add_argument("--docs", type=Path, default=Path("docs"), help="docs folder (default: docs)")
    build_cmd.add_argument("--site-url", help="the site's public address (default: site_url of the mkdocs.yml "
                                              "beside the content folder, as `mkdocs build` sees it)")
    build_cmd.add_argument("--full", action="store_true", help="read and render everything, even when content/ "
                                                                "and the generator are unchanged since the last build")
    build_cmd.set_defaults(run=_build)
    synth = commands.add_parser("synth", help="write invented content of a chosen size (for the benchmark)")
    synth.add_argument("--entities", type=int, default=1000, help="about how many entities (default: 1000)")
    synth.add_argument("--seed", type=int, default=1, help="same seed and size, same files (default: 1)")
    synth.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it exists)")
    synth.set_defaults(run=_synth)
    schema = commands.add_parser("schema", help="write the JSON Schema of each kind into schemas/, for editors' tools")
    schema.add_argument("--out", type=Path, default=SCHEMA_DIR, help="folder (default: schemas/ of the project)")
    schema.add_argument("--check", action="store_true", help="write nothing; exit 1 if a schema is out of date")
    schema.set_defaults(run=_schema)
    new = commands.add_parser("new", help="start a new content file from a commented template")
    new.add_argument("kind", help="actor, topic, position, event, source or term")
    new.add_argument("id", help="the new id: lowercase letters, digits and hyphens (the file name)")
    new.add_argument("--content", type=Path, default=Path("content"), help="content folder (default: content)")
    new.set_defaults(run=_new)
    return parser


def _synth(args) -> int:
    from .synth import write_content

    counts = write_content(args.out, args.entities, args.seed)
    print(f"{sum(counts.values())} entities in {args.out}/: "
          + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
    return 0


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _validate(args) -> int:
    graph, problems = check(args.content)
    _print_problems(problems)
    errors = errors_in(problems)
    if errors or graph is None:
        print(f"{len(errors)} error(s) in {args.content}/", file=sys.stderr)
        return 1
    print(f"{args.content}/ is valid: {len(graph.kinds)} entities"
          + (f", {len(problems)} warning(s)" if problems else ""))
    return 0


def _build(args) -> int:
    # The address MkDocs would give: otherwise this build and the next `mkdocs build` would
    # write different addresses into every page, and rewrite them all each time.
    address = args.site_url or site_url(args.content.resolve().parent / "mkdocs.yml")
    try:
        result = build(args.content, args.docs, address, full=args.full)
    except ContentError as error:
        _print_problems(error.problems)
        print(f"{len(errors_in(error.problems))} error(s): nothing was written", file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    report = result.report
    if result.up_to_date:
        print(f"{result.pages} pages: up to date (content/ and the generator unchanged since the last build)")
        return 0
    print(f"{result.pages} pages: {len(report.written)} written, {len(report.removed)} removed, "
          f"{report.unchanged} unchanged")
    return 0


def _schema(args) -> int:
    if args.check:
        stale = stale_schemas(args.out)
        for name in stale:
            print(f"{args.out.name}/{name} is out of date — run `python -m generator schema`", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    report = write_pages(args.out, schema_files())
    print(f"{len(schema_files())} schemas in {args.out}: {len(report.written)} written")
    return 0


def _new(args) -> int:
    try:
        path = new_entity(args.content, args.kind, args.id)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path.as_posix()}: fill in every \"\", then run `python -m generator validate`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
