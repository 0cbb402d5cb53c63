"""The `corpus` command line: build the processed tables, parse and inspect transcripts."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from corpus.build import build, load_document
from corpus.errors import CorpusError
from corpus.parse import document_record
from corpus.paths import get_paths
from corpus.report import write_report
from corpus.store import read_table

EXIT_USER_ERROR = 2


def cmd_build(args: argparse.Namespace) -> None:
    paths = get_paths(args.root)
    result = build(paths, force=args.force)
    state = "built" if result.rebuilt else "up to date, nothing to do"
    print(f"{result.n_documents} documents in {paths.raw}: {state} -> {paths.processed}")


def cmd_parse(args: argparse.Namespace) -> None:
    document, turns = load_document(Path(args.file), date=args.date, speaker=args.speaker, event=args.event)
    if args.json:
        records = json.loads(turns.rename(columns={"turn": "index"}).to_json(orient="records", force_ascii=False))
        json.dump({"document": document_record(document), "turns": records}, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return
    print(f"{document.date}  {document.speaker}  {document.event or ''}  {document.title or ''}")
    for turn in turns.itertuples():
        who = turn.outlet if turn.role == "question" else (turn.speaker or "")
        number = f"Q{turn.question}" if pd.notna(turn.question) else ""
        headline = f"【{turn.headline}】 " if isinstance(turn.headline, str) else ""
        who = who if isinstance(who, str) else ""
        print(f"{turn.turn:>3} {turn.role:<9} {number:<4} {who:<12} {headline}{turn.text[:40]}")


def cmd_info(args: argparse.Namespace) -> None:
    processed = get_paths(args.root).processed
    documents, turns = read_table(processed, "documents"), read_table(processed, "turns")
    summary = (
        turns.assign(is_question=turns.role.eq("question"), is_answer=turns.role.eq("answer"))
        .groupby("doc_id", sort=False)
        .agg(questions=("is_question", "sum"), answers=("is_answer", "sum"), characters=("n_chars", "sum"))
    )
    table = documents.set_index("doc_id")[["date", "speaker", "event"]].join(summary)
    print(
        f"{len(documents)} documents, {int(table.questions.sum())} questions, {int(table.characters.sum())} characters"
    )
    print(table.to_string())


def cmd_report(args: argparse.Namespace) -> None:
    target = write_report(get_paths(args.root))
    print(f"report -> {target}")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="corpus", description=__doc__)
    main.add_argument("--root", help="project folder holding data/ (default: CORPUS_ROOT or the checkout)")
    commands = main.add_subparsers(dest="command", required=True)

    p = commands.add_parser("build", help="parse data/raw into data/processed (only when inputs changed)")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.set_defaults(func=cmd_build)

    p = commands.add_parser("parse", help="parse one transcript file and print its turns")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the document and turns as JSON")
    p.add_argument("--date", help="conference date YYYY-MM-DD, when the file and text do not give it")
    p.add_argument("--speaker", help="the answering speaker's name as the transcript writes it, e.g. 王毅")
    p.add_argument("--event", help="the event, e.g. 十三届全国人大四次会议")
    p.set_defaults(func=cmd_parse)

    p = commands.add_parser("info", help="what the processed corpus holds")
    p.set_defaults(func=cmd_info)

    p = commands.add_parser("report", help="write reports/index.html from the tables, figures and executed notebooks")
    p.set_defaults(func=cmd_report)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except CorpusError as exc:
        print(f"corpus: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
