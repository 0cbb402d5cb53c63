"""The `corpus` command line: add and remove transcripts, build the processed tables, parse, inspect, segment."""

from __future__ import annotations

import argparse
import difflib
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from corpus.errors import CorpusError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["main"]

# Only the standard library at import time: `corpus --help` and a mistyped command answer at once. Each command
# imports what it needs (pandas, jieba, scipy, matplotlib) inside itself.

EXIT_USER_ERROR = 2
SEGMENT_BLOCK = 1000  # lines of `corpus segment` output written at once
WIDE_GROUPS = 6  # `corpus themes` prints one column per group up to this many groups, a long table past it
KWIC_LIMIT = 500  # concordance lines `corpus kwic` prints unless --limit says otherwise


def cmd_build(args: argparse.Namespace) -> None:
    from corpus.dataset.collection import locked_build  # build under the project lock, after crash recovery
    from corpus.paths import get_paths

    paths = get_paths(args.root)
    result = locked_build(paths, force=args.force, tokens_csv=args.tokens_csv)
    state = f"built ({result.parsed} parsed)" if result.rebuilt else "up to date, nothing to do"
    print(f"{result.n_documents} documents in {paths.raw}: {state} -> {paths.processed}")


def cmd_add(args: argparse.Namespace) -> None:
    from corpus.dataset.collection import add_file
    from corpus.ingest.readers import shown_name
    from corpus.paths import get_paths

    paths = get_paths(args.root)
    added = add_file(
        args.file, paths, date=args.date, speaker=args.speaker, event=args.event, allow_overlap=args.allow_overlap
    )
    doc = added.document
    print(
        f"added {shown_name(args.file)} as {added.file}: {doc.date}, {doc.speaker}, {doc.event or 'no event'}, "
        f"{added.n_questions} questions; {added.build.n_documents} documents built -> {paths.processed}"
    )


def cmd_remove(args: argparse.Namespace) -> None:
    from corpus.dataset.collection import remove_file
    from corpus.paths import get_paths

    paths = get_paths(args.root)
    result = remove_file(args.name, paths)
    print(f"removed {args.name}; {result.n_documents} documents built -> {paths.processed}")


def cmd_parse(args: argparse.Namespace) -> None:
    import json
    from pathlib import Path

    import pandas as pd

    from corpus.dataset.build import load_document
    from corpus.dataset.collection import check_options
    from corpus.ingest.readers import read_text
    from corpus.transcripts.parse import document_record, explain_transcript

    check_options(speaker=args.speaker, event=args.event)  # as `corpus add` does: no control or bidi characters
    metadata = {"date": args.date, "speaker": args.speaker, "event": args.event}
    if args.explain:
        explanation = explain_transcript(read_text(Path(args.file)), name=args.file, **metadata)
        print("\n".join(explanation.lines()))
        return
    document, turns = load_document(Path(args.file), **metadata)
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
    from corpus.analysis.overview import corpus_summary
    from corpus.paths import get_paths
    from corpus.store import read_table

    processed = get_paths(args.root).processed
    table = corpus_summary(read_table(processed, "documents"), read_table(processed, "turns")).set_index("doc_id")
    if args.xlsx:
        write_xlsx(table.reset_index(), args.xlsx, sheet="info")
        return
    print(f"{len(table)} documents, {int(table.questions.sum())} questions, {int(table.all_chars.sum())} characters")
    print(table.drop(columns="year").to_string())


def cmd_report(args: argparse.Namespace) -> None:
    from corpus.paths import get_paths
    from corpus.report.page import write_report

    target = write_report(get_paths(args.root))
    print(f"report -> {target}")


def cmd_explore(args: argparse.Namespace) -> None:
    from corpus.paths import get_paths
    from corpus.report.explorer import write_explorer

    options = {"min_freq": args.min_freq, "max_terms": args.max_terms, "max_chars": args.max_chars}
    target = write_explorer(
        get_paths(args.root), target=args.target, reference=args.reference, by=args.by, output=args.output, **options
    )
    print(f"explorer -> {target}")


class _Shown(dict):
    """Token -> what `corpus segment` prints for it ("" when dropped), worked out once per distinct token."""

    def __init__(self, args: argparse.Namespace, stopwords: frozenset[str], tag: Callable[[str], str]) -> None:
        super().__init__()
        self.args, self.stopwords, self.tag = args, stopwords, tag

    def __missing__(self, token: str) -> str:
        from corpus.tokens.dictionaries import is_dropped

        dropped = token.isspace() or (not self.args.all and is_dropped(token, self.stopwords))
        self[token] = shown = "" if dropped else f"{token}/{self.tag(token)}" if self.args.pos else token
        return shown


def cmd_segment(args: argparse.Namespace) -> None:
    """Standard input to tokens, line by line, with the tokenizer, dictionaries and stopwords `corpus build` uses
    (segment.load_segmenter's, loaded here without the token-table machinery: pandas and pyarrow would double the
    start-up). Output is written in blocks of lines (no flush per line) unless the input is a terminal; a token's
    stopword test and POS tag are worked out once per distinct token."""
    from corpus.ingest.clean import simplified
    from corpus.paths import get_paths
    from corpus.tokens.dictionaries import dictionary_files, read_dictionary, read_stopwords, stopword_files
    from corpus.tokens.tokenizers import rjieba_tokenizer

    folder = get_paths(args.root).dictionaries
    tokenizer = rjieba_tokenizer([entry for path in dictionary_files(folder) for entry in read_dictionary(path)])
    cut, shown = tokenizer.cut, _Shown(args, read_stopwords(stopword_files(folder)), tokenizer.tag).__getitem__
    interactive = sys.stdin.isatty()
    out, block = sys.stdout, []
    for number, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError:
            out.write("".join(f"{tokens}\n" for tokens in block))  # the lines before the bad one
            raise CorpusError(f"standard input, line {number}: not UTF-8 text") from None
        block.append(" ".join(filter(None, map(shown, cut(simplified(line))))))
        if interactive or len(block) >= SEGMENT_BLOCK:
            out.write("\n".join(block) + "\n")
            block.clear()
            if interactive:
                out.flush()
    if block:
        out.write("\n".join(block) + "\n")


def print_table(table: pd.DataFrame, *, csv: bool) -> None:
    """A table on standard output: CSV, or aligned text that allows for wide Chinese characters.

    CSV is UTF-8 with a byte-order mark whatever the terminal's encoding, so Excel shows the Chinese (it reads a
    CSV without the mark in the system's legacy code page).
    """
    import pandas as pd

    if csv:
        from corpus.store import excel_safe  # a cell like =HYPERLINK(...) from a transcript must not run in Excel

        text = "\ufeff" + excel_safe(table).to_csv(index=False, lineterminator="\n")
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
            return
        sys.stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    wide = ["display.unicode.east_asian_width", True, "display.width", 250, "display.max_colwidth", 60]
    with pd.option_context(*wide, "display.max_rows", None, "display.max_columns", None):
        print(table.to_string(index=False, float_format="{:.4g}".format))


def write_xlsx(table: pd.DataFrame, path: str, *, sheet: str) -> None:
    """An Excel workbook (openpyxl) holding `table` on one sheet, written atomically; a string cell that starts
    like a formula is kept as text (store.excel_safe), so a transcript's `=HYPERLINK(...)` cannot run in Excel."""
    from pathlib import Path

    from corpus.store import atomic_write, excel_safe

    target = Path(path).expanduser()
    if target.suffix.lower() != ".xlsx":
        raise CorpusError(f"{path}: an Excel workbook's name ends in .xlsx")
    safe = excel_safe(table)
    try:
        atomic_write(target, lambda tmp: safe.to_excel(tmp, sheet_name=sheet, index=False, engine="openpyxl"))
    except OSError as exc:
        raise CorpusError(f"{path}: cannot be written ({exc.strerror})") from None
    print(f"{len(table)} rows -> {target}")


def export(table: pd.DataFrame, args: argparse.Namespace, *, sheet: str) -> bool:
    """Write `table` where --xlsx and --csv say; False when neither was given (print the text table then)."""
    if args.xlsx:
        write_xlsx(table, args.xlsx, sheet=sheet)
    if args.csv:
        print_table(table, csv=True)
    return bool(args.xlsx or args.csv)


def display_width(text: str) -> int:
    """Terminal columns a text takes: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def chosen_roles(args: argparse.Namespace) -> list[str] | None:
    """The --roles given, None for all."""
    return None if "all" in args.roles else args.roles


def cmd_keyness(args: argparse.Namespace) -> None:
    import pandas as pd

    from corpus.analysis.keyness import keyness_from_counts
    from corpus.dataset.engine import term_side_counts
    from corpus.paths import get_paths
    from corpus.tokens import units
    from corpus.tokens.gloss import gloss

    by = units.parse_by(args.by)
    paths = get_paths(args.root)
    counts = term_side_counts(
        args.target, args.reference, by=by, roles=chosen_roles(args), where=args.where, root=args.root
    )
    table = keyness_from_counts(counts, min_freq=args.min_freq, column=units.unit_column(by))
    table = table.assign(gloss=gloss(table.term, folder=paths.dictionaries))
    columns = ["term", "freq_target", "freq_reference", "n_target", "n_reference", "g2", "log_ratio", "p", "p_adjusted"]
    columns.append("gloss")  # English: the glossary, else CC-CEDICT (corpus.tokens.gloss)
    over = table[table.direction.eq("over")]
    under = table[table.direction.eq("under")].iloc[::-1]
    if args.top is not None:
        over, under = over.head(args.top), under.head(args.top)
    if export(pd.concat([over, under])[[*columns, "direction", "correction"]], args, sheet="keyness"):
        return
    versus = " ".join(args.reference) if args.reference else "all others"
    shown = "all" if args.top is None else f"top {args.top}"
    for label, part in (("over-used", over), ("under-used", under)):
        print(f"{args.by} {' '.join(args.target)} vs {versus}: {label} terms, {shown} by G2")
        print_table(part[columns], csv=False)
        print()
    note = table.correction.iloc[0] if len(table) else "no terms tested"
    print(f"g2: log-likelihood (Dunning 1993); log_ratio: Hardie 2014; p_adjusted: {note}")


def cmd_kwic(args: argparse.Namespace) -> None:
    import numpy as np
    import pandas as pd

    from corpus.analysis.context import kwic
    from corpus.paths import get_paths
    from corpus.tokens import units

    by = units.parse_by(args.by)
    column = units.unit_column(by)
    extra = [] if column in units.ANNOTATED_COLUMNS or column in ("answer", "period") else [column]
    exporting = args.csv or args.xlsx
    limit = (None if exporting else KWIC_LIMIT) if args.limit == 0 else args.limit
    wanted, turns = limit, -1
    while True:  # the first turns holding `wanted` occurrences of the text; more when too few fit as words
        tokens = units.load_tokens(
            get_paths(args.root).processed,
            roles=chosen_roles(args),
            where=args.where,
            columns=[*units.ANNOTATED_COLUMNS, *extra],
            containing=args.term,
            around=args.width,
            first=wanted,
        )
        # Only the text around each occurrence was loaded, in runs: each run is taken as its own turn, then renumbered.
        table = kwic(tokens.assign(turn=tokens.segment), args.term, width=args.width)
        loaded = len(tokens.drop_duplicates(["doc_id", "turn"]))
        if limit is None or len(table) >= limit or loaded == turns:
            break
        wanted, turns = wanted * 4, loaded
    if limit is not None and len(table) >= limit:
        table = table.head(limit)  # the first `limit` occurrences in text order
        print(f"the first {limit} occurrences (--limit all shows every one)", file=sys.stderr)
    table["turn"] = tokens.turn.to_numpy()[np.searchsorted(tokens.segment.to_numpy(), table.turn.to_numpy())]
    if column != "year" and not table.empty:
        keys = ["doc_id", "turn", "position"]
        grouped, _ = units.with_unit(tokens, by)
        table = table.merge(grouped[[*keys, column]], on=keys, how="left")
    if table.empty:
        raise CorpusError(f"{args.term!r} does not occur in the corpus ({' '.join(args.roles)} turns)")
    if export(table, args, sheet="kwic"):
        return
    pad = max(display_width(left) for left in table.left)
    for row in table.itertuples():
        question = f"Q{row.question}" if pd.notna(row.question) else ""
        margin = " " * (pad - display_width(row.left))
        unit = getattr(row, column) if column != "year" else row.year
        print(f"{unit} {question:<4}{row.role:<9} {margin}{row.left} 【{row.keyword}】 {row.right}")


def cmd_themes(args: argparse.Namespace) -> None:
    from corpus.analysis.themes import load_themes, load_turn_theme_counts, shares_from_counts, themes_by_origin
    from corpus.paths import get_paths
    from corpus.tokens import units

    by = units.parse_by(args.by)
    column = units.unit_column(by)
    needed = [c for c in units.ANNOTATED_COLUMNS if c not in ("pos", "speaker", "event")]  # what themes reads
    extra = [] if column in needed or column in ("answer", "period") else [column]
    processed = get_paths(args.root).processed
    lexicon = load_themes(args.lexicon)
    if args.origin:
        tokens = units.load_tokens(processed, where=args.where, columns=[*needed, *extra])
        table = themes_by_origin(tokens, lexicon)
        counts = table.assign(cell=table.questions.astype(str) + "/" + table.questions_total.astype(str))
        wide = counts.pivot(index=["theme", "name_zh"], columns="origin", values="cell")
        wide = wide.reindex(table[["theme", "name_zh"]].drop_duplicates()).reset_index()
        if not export(table, args, sheet="themes by origin"):
            print_table(wide, csv=False)
        return
    counts = load_turn_theme_counts(processed, lexicon, roles=chosen_roles(args), where=args.where, columns=extra)
    table = shares_from_counts(counts, lexicon, by=by)
    if export(table, args, sheet="themes"):
        return
    print("Theme mentions per 10,000 tokens [95% interval, negative binomial over answers]:")
    print_table(theme_display(table, column), csv=False)


def theme_display(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """theme_shares as printed: one column per group (cells "rate [low, high]") up to WIDE_GROUPS groups, else long.

    Long columns: the grouping's column (e.g. year), theme, name_zh, rate, interval; groups in order, themes in the
    lexicon's order within each.
    """
    interval = [f"[{lo:.1f}, {hi:.1f}]" for lo, hi in zip(table.ci_low, table.ci_high, strict=True)]
    rate = [f"{r:.1f}" for r in table.per_10k]
    if table[column].nunique() > WIDE_GROUPS:
        long = table.assign(rate=rate, interval=interval)[[column, "theme", "name_zh", "rate", "interval"]]
        return long.sort_values(column, kind="stable").reset_index(drop=True)
    cells = [f"{r} {i}" for r, i in zip(rate, interval, strict=True)]
    wide = table.assign(cell=cells).pivot(index=["theme", "name_zh"], columns=column, values="cell")
    return wide.reindex(table[["theme", "name_zh"]].drop_duplicates()).reset_index()


def cmd_formulations(args: argparse.Namespace) -> None:
    from corpus.analysis import formulations as F
    from corpus.paths import get_paths
    from corpus.tokens import units

    tokens = units.load_tokens(get_paths(args.root).processed)
    listed = F.load_formulations(args.list) if args.list else None
    table = F.formulation_table(tokens, listed, min_freq=args.min_freq)
    timeline = F.formulation_timeline(tokens, table, by=args.by)
    column = units.UNIT_COLUMN.get(args.by, args.by)
    if not args.new:
        totals = timeline.groupby("group")["count"].sum().sort_index().sort_values(ascending=False, kind="stable")
        kept = totals.index if args.top is None else totals.index[: args.top]
        shown = timeline[timeline.group.isin(kept)]
        brief = [column, "group", "en", "count", "per_10k", "variants", "in_answers", "in_questions", "origins"]
        print_table(shown if args.csv else shown[brief], csv=args.csv)
        return
    target = args.target or (str(timeline[column].max()) if len(timeline) else "")
    changes = F.formulation_changes(timeline, target, args.reference, by=column)
    if args.csv:
        print_table(changes, csv=True)
        return
    versus = " ".join(args.reference) if args.reference else "all others"
    columns = ["group", "en", "count_target", "count_reference", "variant_target", "variant_reference"]
    for change in ("new", "dropped", "reworded"):
        part = changes[changes.change.eq(change)]
        part = part if args.top is None else part.head(args.top)
        print(f"{args.by} {target} vs {versus}: {change} formulations ({len(part)} shown)")
        if len(part):
            print_table(part[columns], csv=False)
        else:
            print("(none)")
        print()


def cmd_sql(args: argparse.Namespace) -> None:
    from corpus.dataset.engine import query

    print_table(query(args.query, root=args.root), csv=args.csv)


def top_count(text: str) -> int | None:
    """--top, --limit: a positive number of rows, or `all` (None)."""
    if text == "all":
        return None
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number or `all`, got {text!r}")
    return number


def add_analysis_commands(commands: argparse._SubParsersAction) -> None:
    """Subcommands for keyness, concordance and themes."""
    roles = {
        "nargs": "+",
        "default": ["answer"],
        "metavar": "ROLE",
        "help": "turn roles to count: answer, question, opening, closing, narration, or `all` (default: answer)",
    }
    by = {
        "default": "year",
        "metavar": "GROUPING",
        "help": "group by year (default), document, answer, role, origin, speaker, event, month, quarter, another "
        "column of the terms view, or period:DATE[,DATE...] (periods starting at each date)",
    }
    where = {
        "metavar": "SQL",
        "help": "only the tokens a SQL condition over the terms view keeps, e.g. \"speaker = '王毅' AND year > 2015\"",
    }
    p = commands.add_parser("keyness", help="terms over- and under-used in one year (or document) against others")
    p.add_argument("--target", nargs="+", required=True, help="year(s) to characterise, e.g. 2021")
    p.add_argument("--reference", nargs="+", help="year(s) to compare with (default: all other years)")
    p.add_argument("--by", **by)
    p.add_argument("--top", type=top_count, default=20, help="terms to show each way, or `all` (default 20)")
    p.add_argument("--min-freq", type=int, default=3, help="minimum frequency, both sides together (default 3)")
    p.add_argument("--roles", **roles)
    p.add_argument("--where", **where)
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook (.xlsx) instead of printing")
    p.set_defaults(func=cmd_keyness)

    p = commands.add_parser("kwic", help="every occurrence of a term with its context and the turn it came from")
    p.add_argument("term")
    p.add_argument("--width", type=int, default=20, help="characters of context each side (default 20)")
    roles_help = "turn roles to search: answer, question, opening, closing, narration (default: all roles)"
    p.add_argument("--roles", **{**roles, "default": ["all"], "help": roles_help})
    p.add_argument("--by", **{**by, "help": "the grouping printed first on each line (default: year); see keyness"})
    p.add_argument("--where", **where)
    p.add_argument(
        "--limit",
        type=top_count,
        default=0,  # not given: KWIC_LIMIT, or all when exporting
        help=f"occurrences to show, first in text order, or `all` (default {KWIC_LIMIT}; all with --csv/--xlsx)",
    )
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook (.xlsx) instead of printing")
    p.set_defaults(func=cmd_kwic)

    p = commands.add_parser("themes", help="theme lexicon shares per year with confidence intervals")
    p.add_argument("--origin", action="store_true", help="questions per outlet origin touching each theme instead")
    p.add_argument("--lexicon", help="a theme YAML file (default: the package's resources/themes.yaml)")
    p.add_argument("--roles", **roles)
    p.add_argument("--by", **by)
    p.add_argument("--where", **where)
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook (.xlsx) instead of printing")
    p.set_defaults(func=cmd_themes)


def add_formulation_command(commands: argparse._SubParsersAction) -> None:
    """Subcommand for formulations (提法): their use per year and what a year adds, drops and rewords."""
    p = commands.add_parser("formulations", help="formulations (提法) per year; --new: added, dropped, reworded")
    p.add_argument("--new", action="store_true", help="what the target adds, drops and rewords against the reference")
    p.add_argument("--target", help="year (or document ...) to characterise with --new (default: the latest)")
    p.add_argument("--reference", nargs="+", help="year(s) to compare with (default: all other years)")
    p.add_argument("--by", choices=["year", "document", "role", "origin"], default="year")
    p.add_argument("--list", help="a formulations YAML file (default: the package's resources/formulations.yaml)")
    p.add_argument("--min-freq", type=int, default=3, help="minimum count of a found word sequence (default 3)")
    p.add_argument("--top", type=top_count, default=None, help="rows to show (most used first), or `all` (default)")
    p.add_argument("--csv", action="store_true", help="print CSV (every column)")
    p.set_defaults(func=cmd_formulations)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="corpus", description=__doc__)
    main.add_argument("--root", help="project folder holding data/ (default: CORPUS_ROOT or the checkout)")
    commands = main.add_subparsers(dest="command", required=True)

    p = commands.add_parser("build", help="parse data/raw into data/processed (only when inputs changed)")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.add_argument("--tokens-csv", action="store_true", help="also write the (large) tokens table as CSV")
    p.set_defaults(func=cmd_build)

    p = commands.add_parser("add", help="copy a transcript into data/raw, record it in the manifest, rebuild")
    p.add_argument("file", help="a .txt (any Chinese encoding), .html, .pdf or .docx transcript")
    _metadata_options(p)
    p.add_argument(
        "--allow-overlap", action="store_true", help="add it even if most of its turns repeat a transcript already in"
    )
    p.set_defaults(func=cmd_add)

    p = commands.add_parser("remove", help="undo `corpus add`: delete the copy and its manifest row, rebuild")
    p.add_argument(
        "name",
        help="its name in data/raw, e.g. 2022-03-07_王毅.txt (or without suffix), or the name it was added under",
    )
    p.set_defaults(func=cmd_remove)

    p = commands.add_parser("parse", help="parse one transcript file and print its turns")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print the document and turns as JSON")
    p.add_argument(
        "--explain", action="store_true", help="say how the file was read: layout, answerer, date, turns, text dropped"
    )
    _metadata_options(p)
    p.set_defaults(func=cmd_parse)

    p = commands.add_parser("info", help="what the processed corpus holds")
    p.add_argument("--xlsx", metavar="FILE", help="write an Excel workbook (.xlsx) instead of printing")
    p.set_defaults(func=cmd_info)

    p = commands.add_parser("sql", help="run a SQL query over the views documents, turns, tokens and terms")
    p.add_argument("query", help='e.g. "SELECT year, count(*) AS n FROM terms GROUP BY year ORDER BY year"')
    p.add_argument("--csv", action="store_true", help="print CSV")
    p.set_defaults(func=cmd_sql)

    p = commands.add_parser("report", help="write reports/index.html from the tables, figures and executed notebooks")
    p.set_defaults(func=cmd_report)

    p = commands.add_parser("explore", help="write reports/explorer.html: term map, search and concordance, offline")
    p.add_argument("--target", nargs="+", help="unit(s) to characterise (default: the latest)")
    p.add_argument("--reference", nargs="+", help="unit(s) to compare with (default: all others)")
    p.add_argument("--by", choices=["year", "document", "origin"], default="year")
    p.add_argument("--min-freq", type=int, default=3, help="minimum frequency, both sides together (default 3)")
    p.add_argument("--max-terms", type=int, default=6000, help="terms embedded, most frequent first (default 6000)")
    p.add_argument("--max-chars", type=int, default=3_000_000, help="turn text embedded (default 3,000,000 chars)")
    p.add_argument("-o", "--output", help="the page to write (default: reports/explorer.html)")
    p.set_defaults(func=cmd_explore)
    add_analysis_commands(commands)
    add_formulation_command(commands)

    p = commands.add_parser("segment", help="print each line of standard input as space-separated tokens")
    p.add_argument("--all", action="store_true", help="keep stopwords, punctuation and numbers")
    p.add_argument("--pos", action="store_true", help="print token/POS (jieba's tags: n noun, v verb, ...)")
    p.set_defaults(func=cmd_segment)
    return main


def _metadata_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date", help="conference date YYYY-MM-DD, when the file name and text do not give it")
    p.add_argument(
        "--speaker", help="the answering speaker(s) as the transcript labels them, e.g. 王毅 or 郑栅洁,王文涛"
    )
    p.add_argument("--event", help="the event, e.g. 十三届全国人大四次会议")


class _FirstWord(argparse.ArgumentParser):
    """Finds the command word in the arguments, raising ValueError instead of printing a usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise ValueError(message)


def unknown_command(argv: Sequence[str], commands: Sequence[str]) -> str | None:
    """The one-line error for a mistyped command, naming the nearest one; None when the command is known."""
    first = _FirstWord(add_help=False)
    first.add_argument("--root")
    first.add_argument("command", nargs="?")
    first.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        given, _ = first.parse_known_args(argv)
    except ValueError:  # e.g. --root without a folder: the full parser reports it
        return None
    if given.command is None or given.command in commands:
        return None
    message = f"unknown command {given.command!r}"
    if near := difflib.get_close_matches(given.command, commands, n=1):
        message += f" (did you mean {near[0]}?)"
    return message


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command_line = parser()
    commands = next(a for a in command_line._actions if isinstance(a, argparse._SubParsersAction)).choices
    if message := unknown_command(argv, list(commands)):
        print(f"corpus: error: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    args = command_line.parse_args(argv)
    try:
        args.func(args)
    except CorpusError as exc:
        print(f"corpus: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        return 0
    except OSError as exc:
        if (message := disk_error(exc)) is None:
            raise
        print(f"corpus: error: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    return 0


def disk_error(exc: OSError) -> str | None:
    """The one-line message for a folder the command cannot write to (read-only, not permitted, full), naming it;
    None for any other OSError (a bug: its traceback is wanted)."""
    import errno
    import os
    from pathlib import Path

    if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT):
        return None
    path = Path(os.fsdecode(exc.filename)) if isinstance(exc.filename, str | bytes) and exc.filename else None
    folder = path if path is None or path.is_dir() else path.parent
    where = os.fsencode(folder).decode("utf-8", "backslashreplace") if folder is not None else "the project folder"
    what = "is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else "cannot be written to"
    kept = "the corpus is left as it was (or restored by the next command)"
    return f"{where}: the folder {what} ({exc.strerror}); {kept}"


if __name__ == "__main__":
    sys.exit(main())
