"""`itie-reconcile run|extract`: the command line fixed by ARCHITECTURE.md."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pipeline.outputs import replace_directory, write_outputs
from pipeline.run import Limits, run

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="itie-reconcile", description="Réconcilie les tableaux des documents ITIE.")
    commands = parser.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("run", help="lire raw/, réconcilier, écrire outputs/")
    run_command.add_argument("raw_dir", nargs="?", default="raw", type=Path)
    run_command.add_argument("--out", default="outputs", type=Path)
    run_command.add_argument("--lang", choices=("fr", "en"), default="fr")
    run_command.add_argument("--fail-on", choices=("error", "warning", "never"), default="never")
    run_command.add_argument("--max-pages", type=int, default=Limits.max_pages)
    run_command.add_argument("--max-bytes", type=int, default=Limits.max_bytes)
    extract = commands.add_parser("extract", help="extraire les tableaux de fichiers, sans spec")
    extract.add_argument("files", nargs="+", type=Path)
    extract.add_argument("--out", default="outputs/extract", type=Path)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    if arguments.command == "extract":
        from pipeline.extract_command import extract_files

        return extract_files(arguments.files, arguments.out)
    return _run(arguments)


def _run(arguments: argparse.Namespace) -> int:
    raw_dir: Path = arguments.raw_dir
    if not raw_dir.is_dir():
        print(f"itie-reconcile: {raw_dir}: dossier introuvable / no such folder", file=sys.stderr)
        return 2
    out_dir: Path = arguments.out
    out_dir.mkdir(parents=True, exist_ok=True)
    staged_docs = Path(tempfile.mkdtemp(dir=out_dir, prefix=".data_docs."))
    result = run(raw_dir, staged_docs, Limits(max_bytes=arguments.max_bytes, max_pages=arguments.max_pages))
    write_outputs(result, out_dir, arguments.lang)
    replace_directory(staged_docs, out_dir / "data_docs")
    readable = [d for d in result.documents if d.status == "ok"]
    failed = [f for f in result.findings if f.status == "fail"]
    print(f"itie-reconcile: {len(readable)}/{len(result.documents)} documents lus, "
          f"{len(failed)} écarts sur {len(result.findings)} contrôles -> {out_dir}/report.html", file=sys.stderr)
    if not readable:
        return 2
    if arguments.fail_on != "never":
        threshold = SEVERITY_RANK[arguments.fail_on]
        if any(SEVERITY_RANK[f.severity] >= threshold for f in failed):
            return 1
    return 0
