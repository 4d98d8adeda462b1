"""`itie-reconcile run|extract`: the command line fixed by ARCHITECTURE.md.

The pipeline is imported by the functions that need it, not here: `run` first forks the process
that imports Great Expectations (`pipeline.validation`), so that both imports go side by side.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from pipeline.validation import ValidationProcess

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


HELP = {
    "fr": {
        "description": "Réconcilie les tableaux des documents ITIE.",
        "run": "lire raw/, réconcilier, écrire outputs/",
        "raw_dir": "dossier des documents et de leurs specs (défaut raw)",
        "out": "dossier des résultats (défaut outputs)",
        "lang": "langue du rapport, des messages et de cette aide (défaut fr)",
        "fail_on": "statut 1 si un écart atteint cette gravité (défaut never : jamais)",
        "max_pages": "refuser un PDF plus long (défaut {default})",
        "max_bytes": "refuser un fichier plus gros, en octets (défaut {default})",
        "max_seconds": "arrêter un document plus long à lire et contrôler, en secondes (défaut {default:g})",
        "materiality_margin": "déclarations ITIE : écart significatif au-delà de ce %% du total (défaut {default:g})",
        "materiality_floor": "... et au-delà de ce montant, dans la devise de la déclaration (défaut {default:g})",
        "jobs": "documents lus en parallèle, un processus chacun (défaut {default} : les cœurs de la machine)",
        "quiet": "pas de progression (une ligne par document, barres) ; les problèmes restent affichés",
        "extract": "extraire les tableaux de fichiers, sans spec",
        "files": "fichiers PDF ou texte à lire",
        "extract_out": "dossier des tableaux extraits (défaut outputs/extract)",
        "help": "afficher cette aide et quitter",
    },
    "en": {
        "description": "Reconciles the tables of EITI documents.",
        "run": "read raw/, reconcile, write outputs/",
        "raw_dir": "folder of the documents and their specs (default raw)",
        "out": "folder of the results (default outputs)",
        "lang": "language of the report, the messages and this help (default fr)",
        "fail_on": "exit status 1 when a finding reaches this severity (default never)",
        "max_pages": "refuse a longer PDF (default {default})",
        "max_bytes": "refuse a bigger file, in bytes (default {default})",
        "max_seconds": "stop a document taking longer to read and check, in seconds (default {default:g})",
        "materiality_margin": "EITI declarations: a gap is material beyond this %% of the total (default {default:g})",
        "materiality_floor": "... and beyond this amount, in the declaration's currency (default {default:g})",
        "jobs": "documents read in parallel, one process each (default {default}: the machine's cores)",
        "quiet": "no progress (a line per document, bars); problems are still shown",
        "extract": "extract the tables of files, without a spec",
        "files": "PDF or text files to read",
        "extract_out": "folder of the extracted tables (default outputs/extract)",
        "help": "show this help and exit",
    },
}


def _help_language(argv: list[str]) -> str:
    """The --lang of the command line, read before parsing so that --help speaks it."""
    for index, word in enumerate(argv):
        if word == "--lang" and index + 1 < len(argv) and argv[index + 1] in HELP:
            return argv[index + 1]
        if word.startswith("--lang=") and word.removeprefix("--lang=") in HELP:
            return word.removeprefix("--lang=")
    return "fr"


def _parser(lang: str = "fr") -> argparse.ArgumentParser:
    from pipeline.run import Limits, default_jobs
    from reconcilers.summary_data.totals import Materiality

    text = HELP[lang]
    parser = argparse.ArgumentParser(prog="itie-reconcile", description=text["description"], add_help=False)
    parser.add_argument("-h", "--help", action="help", help=text["help"])
    commands = parser.add_subparsers(dest="command", required=True)
    run_command = commands.add_parser("run", help=text["run"], description=text["run"], add_help=False)
    run_command.add_argument("-h", "--help", action="help", help=text["help"])
    run_command.add_argument("raw_dir", nargs="?", default="raw", type=Path, help=text["raw_dir"])
    run_command.add_argument("--out", default="outputs", type=Path, help=text["out"])
    run_command.add_argument("--lang", choices=("fr", "en"), default="fr", help=text["lang"])
    run_command.add_argument("--fail-on", choices=("error", "warning", "never"), default="never", help=text["fail_on"])
    run_command.add_argument("--max-pages", type=_positive(int), default=Limits.max_pages,
                             help=text["max_pages"].format(default=Limits.max_pages))
    run_command.add_argument("--max-bytes", type=_positive(int), default=Limits.max_bytes,
                             help=text["max_bytes"].format(default=Limits.max_bytes))
    run_command.add_argument("--max-seconds", type=_positive(float), default=Limits.max_seconds,
                             help=text["max_seconds"].format(default=Limits.max_seconds))
    run_command.add_argument("--materiality-margin", type=_positive(float), default=Materiality.margin_pct,
                             help=text["materiality_margin"].format(default=Materiality.margin_pct))
    run_command.add_argument("--materiality-floor", type=_positive(float), default=Materiality.floor,
                             help=text["materiality_floor"].format(default=Materiality.floor))
    run_command.add_argument("--jobs", "-j", type=_positive(int), default=default_jobs(),
                             help=text["jobs"].format(default=default_jobs()))
    run_command.add_argument("--quiet", "-q", action="store_true", help=text["quiet"])
    extract = commands.add_parser("extract", help=text["extract"], description=text["extract"], add_help=False)
    extract.add_argument("-h", "--help", action="help", help=text["help"])
    extract.add_argument("files", nargs="+", type=Path, help=text["files"])
    extract.add_argument("--out", default="outputs/extract", type=Path, help=text["extract_out"])
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
    argv = sys.argv[1:] if argv is None else argv
    validation = ValidationProcess() if argv[:1] == ["run"] and not {"-h", "--help"} & set(argv) else None
    try:
        try:
            arguments = _parser(_help_language(argv)).parse_args(argv)
        except SystemExit as exit_:
            return 0 if exit_.code == 0 else 2
        if arguments.command == "extract":
            from pipeline.extract_command import extract_files
            return extract_files(arguments.files, arguments.out)
        return _run(arguments, validation)
    finally:
        if validation is not None:
            validation.close()


def _run(arguments: argparse.Namespace, validation: ValidationProcess | None = None) -> int:
    from pipeline.outputs import (
        STAGED_DOCS_PREFIX,
        replace_directory,
        sweep_leftovers,
        write_outputs,
    )
    from pipeline.progress import Progress, shown
    from pipeline.run import Limits, notices, run
    from reconcilers.summary_data.totals import Materiality

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
        progress = Progress(arguments.lang) if shown(arguments.quiet) else None
        try:
            result = run(raw_dir, staged_docs, limits, materiality, jobs=arguments.jobs, listener=progress,
                         validation=validation)
        finally:
            if progress is not None:
                progress.close()
        write_outputs(result, out_dir, arguments.lang)
        if validation is not None:
            validation.finish()   # Data Docs, built meanwhile by the other process
        replace_directory(staged_docs, out_dir / "data_docs")
    finally:
        if validation is not None:
            validation.close()   # stopped before its folder goes, should the run have failed
        shutil.rmtree(staged_docs, ignore_errors=True)
    for finding in notices(result.findings):
        print(f"itie-reconcile: {finding.message_fr if arguments.lang == 'fr' else finding.message_en}", file=sys.stderr)
    readable = [d for d in result.documents if d.status == "ok"]
    failed = [f for f in result.findings if f.status == "fail"]
    counts = (f"{len(readable)}/{len(result.documents)}", len(failed), len(result.findings))
    closing = ("{} documents lus, {} écarts sur {} contrôles" if arguments.lang == "fr"
               else "{} documents read, {} discrepancies in {} checks").format(*counts)
    print(f"itie-reconcile: {closing} -> {out_dir}/report.html", file=sys.stderr)
    if not readable:
        return 2
    if arguments.fail_on != "never":
        threshold = SEVERITY_RANK[arguments.fail_on]
        if any(SEVERITY_RANK[f.severity] >= threshold for f in failed):
            return 1
    return 0
