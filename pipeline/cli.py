"""`itie-reconcile run|extract`: the command line fixed by ARCHITECTURE.md."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.extract_command import extract_files
from pipeline.outputs import (
    STAGED_DOCS_PREFIX,
    replace_directory,
    sweep_leftovers,
    write_outputs,
)
from pipeline.run import Limits, notices, run
from reconcilers.summary_data.totals import Materiality

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="itie-reconcile", description="Réconcilie les tableaux des documents ITIE.")
    commands = parser.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("run", help="lire raw/, réconcilier, écrire outputs/")
    run_command.add_argument("raw_dir", nargs="?", default="raw", type=Path)
    run_command.add_argument("--out", default="outputs", type=Path)
    run_command.add_argument("--lang", choices=("fr", "en"), default="fr")
    run_command.add_argument("--fail-on", choices=("error", "warning", "never"), default="never")
    run_command.add_argument("--max-pages", type=_positive(int), default=Limits.max_pages,
                             help=f"refuser un PDF plus long (défaut {Limits.max_pages})")
    run_command.add_argument("--max-bytes", type=_positive(int), default=Limits.max_bytes,
                             help=f"refuser un fichier plus gros (défaut {Limits.max_bytes})")
    run_command.add_argument("--max-seconds", type=_positive(float), default=Limits.max_seconds,
                             help=f"arrêter un document plus long à lire (défaut {Limits.max_seconds:g})")
    run_command.add_argument("--materiality-margin", type=_positive(float), default=Materiality.margin_pct,
                             help="déclarations ITIE : écart significatif au-delà de ce %% du total "
                                  f"(défaut {Materiality.margin_pct:g})")
    run_command.add_argument("--materiality-floor", type=_positive(float), default=Materiality.floor,
                             help="... et au-delà de ce montant, dans la devise de la déclaration "
                                  f"(défaut {Materiality.floor:g})")
    extract = commands.add_parser("extract", help="extraire les tableaux de fichiers, sans spec")
    extract.add_argument("files", nargs="+", type=Path)
    extract.add_argument("--out", default="outputs/extract", type=Path)
    return parser


def _positive(kind: type[int | float]) -> Callable[[str], int | float]:
    """An argparse type: a limit of zero or less is a usage error (status 2), not a silent no-limit."""
    def parse(text: str) -> int | float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text} : une limite est positive / a limit is positive")
        return value
    return parse


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as exit_:
        return 0 if exit_.code == 0 else 2
    if arguments.command == "extract":
        return extract_files(arguments.files, arguments.out)
    return _run(arguments)


def _run(arguments: argparse.Namespace) -> int:
    raw_dir: Path = arguments.raw_dir
    if not raw_dir.is_dir():
        print(f"itie-reconcile: {raw_dir}: dossier introuvable / no such folder", file=sys.stderr)
        return 2
    out_dir: Path = arguments.out
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(out_dir)
    staged_docs = Path(tempfile.mkdtemp(dir=out_dir, prefix=STAGED_DOCS_PREFIX))
    try:
        limits = Limits(max_bytes=arguments.max_bytes, max_pages=arguments.max_pages, max_seconds=arguments.max_seconds)
        materiality = Materiality(arguments.materiality_margin, arguments.materiality_floor)
        result = run(raw_dir, staged_docs, limits, materiality)
        write_outputs(result, out_dir, arguments.lang)
        replace_directory(staged_docs, out_dir / "data_docs")
    finally:
        shutil.rmtree(staged_docs, ignore_errors=True)
    for finding in notices(result):
        print(f"itie-reconcile: {finding.message_fr if arguments.lang == 'fr' else finding.message_en}", file=sys.stderr)
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
