"""The explorer: one offline page (term map, search, concordance, filters, lists) and the notebook concordance view."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Sequence
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
from pandas.io.formats.style import Styler

from corpus.analysis import themes as theme_analysis
from corpus.analysis.keyness import split_units
from corpus.charts.fonts import subset_font
from corpus.errors import CorpusError
from corpus.paths import PACKAGE_DIR, Paths
from corpus.store import read_table, write_text
from corpus.tokens import units

__all__ = [
    "MAX_CHARS",
    "MAX_TERMS",
    "answers_per_term",
    "concordance",
    "concordance_table",
    "data_json",
    "explorer_data",
    "render_explorer",
    "term_vocabulary",
    "turn_table",
    "write_explorer",
]

TEMPLATE = "explorer.html.j2"
FONT_FAMILY = "Corpus Noto Sans SC Explorer"  # the page's own name for its subset, so no system font stands in
MAX_TERMS = 6000  # terms embedded with their counts (the most frequent; the rest are counted in the totals only)
MAX_CHARS = 3_000_000  # characters of turn text embedded for concordances (turns in text order until the cap)
CODE_BASE = 0x100  # term i is the character CODE_BASE + i in a turn's counts; below the surrogates (0xD800)
TERMS_LIMIT = 0xD800 - CODE_BASE
GROUPINGS = ("year", "document", "origin")
TURN_COLUMNS = ["doc_id", "date", "year", "turn", "role", "question", "speaker", "outlet", "outlet_en", "origin"]
TURN_COLUMNS += ["text", "lengths", "offset", "group"]
SENTENCE_END = "。！？!?；;\n"
CONCORDANCE_COLUMNS = ["date", "question", "role", "speaker", "outlet", "outlet_en", "origin", "left", "match"]
CONCORDANCE_COLUMNS += ["right", "doc_id", "turn", "start"]


def _joined(tokens: pd.DataFrame) -> pd.DataFrame:
    """Per turn (tokens in text order): doc_id, turn, date, year, text (the tokens joined) and lengths (one
    character per token, code point 32 + its length, at most 126). Vectorised: one slice per turn, not a groupby."""
    if "position" in tokens.columns:
        tokens = tokens.sort_values(["date", "doc_id", "turn", "position"], kind="stable")
    ids = units.turn_ids(tokens)
    starts = np.flatnonzero(np.diff(ids, prepend=-1)) if len(ids) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(ids)]
    words = tokens.token.astype(str).to_numpy(object)
    codes = 32 + np.minimum(tokens.token.str.len().to_numpy(int), 94)
    lengths = codes.astype(np.uint8).tobytes().decode("ascii")
    first = tokens.iloc[starts][["doc_id", "turn", "date", "year"]].reset_index(drop=True)
    text = ["".join(words[a:b]) for a, b in zip(starts, ends, strict=True)]
    return first.assign(text=text, lengths=[lengths[a:b] for a, b in zip(starts, ends, strict=True)])


def turn_table(tokens: pd.DataFrame, turns: pd.DataFrame, *, by: str = "year") -> pd.DataFrame:
    """One row per turn that has tokens, in text order, with the text the analyses see (its tokens joined).

    Columns: doc_id, date, year, turn, role, question, speaker, outlet, outlet_en, origin (an answer takes its
    question's outlet, English name and origin), text (the turn's tokens joined: the spoken text in Simplified
    characters, paragraph breaks dropped), lengths (each token's length, see `_joined`), offset (characters of the
    document before the turn), group (the turn's unit under `by`: year, doc_id or origin).
    """
    units.require(tokens, ["doc_id", "turn", "token", "date", "year"], hint=units.TOKENS_HINT)
    if by not in GROUPINGS:
        raise CorpusError(f"unknown grouping {by!r}; choose one of {', '.join(GROUPINGS)}")
    joined = _joined(tokens)
    info = turns[["doc_id", "turn", "role", "question", "speaker", "outlet", "outlet_en", "origin"]]
    asked = info[info.role.eq("question") & info.question.notna()].drop_duplicates(["doc_id", "question"])
    asked = asked[["doc_id", "question", "outlet", "outlet_en", "origin"]].set_index(["doc_id", "question"])
    table = joined.merge(info, on=["doc_id", "turn"], how="left", validate="one_to_one")
    answer = table.role.eq("answer") & table.question.notna()
    keys = pd.MultiIndex.from_frame(table.loc[answer, ["doc_id", "question"]])
    for column in ("outlet", "outlet_en", "origin"):
        table.loc[answer, column] = asked[column].reindex(keys).to_numpy()
    table = table.sort_values(["date", "doc_id", "turn"], kind="stable").reset_index(drop=True)
    table["offset"] = table.groupby("doc_id", sort=False).text.transform(lambda s: s.str.len().cumsum() - s.str.len())
    group = table[units.UNIT_COLUMN[by]]
    table["group"] = [None if pd.isna(g) else str(g) for g in group]  # no origin (narration): in no group
    return table[TURN_COLUMNS]


def term_vocabulary(terms: pd.DataFrame, *, min_freq: int = 3, top: int = MAX_TERMS) -> pd.DataFrame:
    """The terms embedded: those seen at least `min_freq` times in all, the `top` most frequent (ties by term).

    Columns: term, freq, answers (answers it occurs in, see `answers_per_term`).
    """
    counts = terms.term.value_counts().rename_axis("term").reset_index(name="freq")
    counts = counts[counts.freq >= min_freq].sort_values(["freq", "term"], ascending=[False, True], kind="stable")
    counts = counts.head(top).reset_index(drop=True)
    return counts.assign(answers=answers_per_term(terms).reindex(counts.term).fillna(0).astype(int).to_numpy())


def answers_per_term(terms: pd.DataFrame) -> pd.Series:
    """In how many answers (documents of the keyness dispersion sense) each term occurs, indexed by term."""
    answers, _ = units.with_unit(terms, "answer")
    return answers.drop_duplicates(["answer", "term"]).term.value_counts().rename("answers")


def _turn_counts(terms: pd.DataFrame, turns: pd.DataFrame, vocabulary: pd.DataFrame) -> tuple[list, list]:
    """Per turn of `turns`: its terms in the vocabulary as one string, a character per occurrence (code point
    CODE_BASE + the term's index: 2-3 UTF-8 bytes, about a third of a JSON list of numbers), and its number of terms.
    """
    index = pd.Series(np.arange(len(vocabulary)), index=vocabulary.term)
    keyed = terms.assign(code=index.reindex(terms.term).to_numpy())
    totals = keyed.groupby(["doc_id", "turn"]).size()
    known = keyed.dropna(subset=["code"]).reset_index(drop=True)
    chars = (CODE_BASE + known.code.to_numpy(int)).astype("<u4").tobytes().decode("utf-32-le")
    ids = units.turn_ids(known)
    starts = np.flatnonzero(np.diff(ids, prepend=-1)) if len(ids) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(ids)]
    where = pd.MultiIndex.from_frame(known.iloc[starts][["doc_id", "turn"]])
    strings = pd.Series([chars[a:b] for a, b in zip(starts, ends, strict=True)], index=where)
    strings = strings.groupby(level=[0, 1], sort=False).agg("".join)  # a turn split in the table: joined again
    keys = pd.MultiIndex.from_arrays([turns.doc_id, turns.turn])
    return strings.reindex(keys).fillna("").tolist(), totals.reindex(keys).fillna(0).astype(int).tolist()


def _levels(values: pd.Series) -> dict:
    """A column as its distinct values and a code per row (-1 for a missing value): repeated names stored once."""
    codes, levels = pd.factorize(values, sort=True)
    return {"levels": [str(v) for v in levels], "codes": codes.tolist()}


def _theme_block(tokens: pd.DataFrame, by: str, lexicon: pd.DataFrame | None) -> dict:
    """Theme shares per unit with their 95% intervals, and each theme's terms (for the page's theme list)."""
    lexicon = theme_analysis.load_themes() if lexicon is None else lexicon
    shares = theme_analysis.theme_shares(tokens, lexicon, by="document" if by == "document" else by)
    column = units.UNIT_COLUMN[by]
    rows = []
    for theme, group in shares.groupby("theme", sort=False):
        words = lexicon[lexicon.theme.eq(theme) & ~lexicon.exclude].term.tolist()
        cells = {
            str(u): [round(float(r), 2), round(float(lo), 2), round(float(hi), 2)]
            for u, r, lo, hi in zip(group[column], group.per_10k, group.ci_low, group.ci_high, strict=True)
        }
        first = group.iloc[0]
        rows.append({"theme": theme, "zh": first.name_zh, "en": first.name_en, "terms": words, "shares": cells})
    return {"units": sorted({str(u) for u in shares[column]}), "rows": rows}


def explorer_data(
    tokens: pd.DataFrame,
    turns: pd.DataFrame,
    documents: pd.DataFrame,
    *,
    target: object = None,
    reference: object = None,
    by: str = "year",
    min_freq: int = 3,
    max_terms: int = MAX_TERMS,
    max_chars: int = MAX_CHARS,
    lexicon: pd.DataFrame | None = None,
) -> dict:
    """Everything the page shows, as JSON-ready values: documents, turns (text, token lengths, term counts), the
    term vocabulary, the comparison (target and reference units), theme shares and the caps that applied.

    The page computes keyness itself (G2, log ratio, p, Benjamini-Hochberg) over the turns the filters keep; with
    the default filters (answers, every outlet and speaker) its numbers are keyness.keyness's.
    """
    if not 0 < max_terms <= TERMS_LIMIT:
        raise CorpusError(f"max terms must be between 1 and {TERMS_LIMIT}, not {max_terms}")
    table = turn_table(tokens, turns, by=by)
    grouped = table.dropna(subset=["group"])
    groups = sorted(grouped.group.unique().tolist())
    if not groups:
        raise CorpusError("no turns to explore: build the corpus first (corpus build)")
    if target is None:
        target = groups[-1]
    if len(groups) == 1 and reference is None:  # one year: search and concordances still work, the map says why empty
        targets, references = units.resolve(_as_text(target), groups, by=by), []
    else:
        unit_table = grouped.assign(**{by: grouped.group})
        targets, references = split_units(unit_table, by, _as_text(target), _as_text(reference))
    terms = units.terms(tokens, roles=None)
    vocabulary = term_vocabulary(terms, min_freq=min_freq, top=max_terms)
    counts, totals = _turn_counts(terms, table, vocabulary)
    keep = table.text.str.len().cumsum() <= max_chars
    texts = table.text.where(keep, "")
    lengths = table.lengths.where(keep, "")
    docs = documents.set_index("doc_id").reindex(table.doc_id.unique())
    doc_chars = table.groupby("doc_id", sort=False).text.apply(lambda s: int(s.str.len().sum()))
    doc_code = {d: i for i, d in enumerate(docs.index)}

    tested = int(terms.term.value_counts().ge(min_freq).sum())
    return {
        "comparison": {"by": by, "target": targets, "reference": references, "groups": groups, "min_freq": min_freq},
        "documents": [
            {"id": d, "date": str(r.date), "year": int(r.year), "speaker": str(r.speaker), "chars": int(doc_chars[d])}
            for d, r in docs.iterrows()
        ],
        "turns": {
            "doc": [doc_code[d] for d in table.doc_id],
            "turn": table.turn.astype(int).tolist(),
            **{c: _levels(table[c]) for c in ("role", "speaker", "outlet", "outlet_en", "origin", "group")},
            "question": [None if pd.isna(q) else int(q) for q in table.question],
            "offset": table.offset.astype(int).tolist(),
            "text": texts.tolist(),
            "lengths": lengths.tolist(),
            "counts": counts,
            "total": totals,
        },
        "terms": vocabulary.term.tolist(),
        "themes": _theme_block(tokens, by, lexicon),
        "caps": {
            "max_terms": max_terms,
            "terms_embedded": len(vocabulary),
            "terms_frequent": tested,
            "max_chars": max_chars,
            "turns_with_text": int(keep.sum()),
            "turns": len(table),
        },
    }


def _as_text(value: object) -> object:
    """Units as the page names them (text), one or several; None stays None."""
    if value is None:
        return None
    if isinstance(value, (str, int, np.integer)):
        return str(value)
    return [str(v) for v in value]  # type: ignore[union-attr]


def data_json(data: dict) -> str:
    """The data as JSON safe inside <script type="application/json">: every '<' escaped, so no text closes it."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def render_explorer(data: dict, *, font_uri: str = "") -> str:
    """The page from the template (autoescaped); the data goes in as escaped JSON."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PACKAGE_DIR / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    payload = jinja2.utils.markupsafe.Markup(data_json(data))
    template = environment.get_template(TEMPLATE)
    return template.render(data=payload, caps=data["caps"], font_family=FONT_FAMILY, font_uri=font_uri)


def _font_uri(text: str) -> str:
    font = subset_font("".join(sorted(set(text))), family=FONT_FAMILY, flavor="woff2")
    return "data:font/woff2;base64," + base64.b64encode(font).decode("ascii")


def write_explorer(
    paths: Paths,
    *,
    target: object = None,
    reference: object = None,
    by: str = "year",
    output: Path | None = None,
    **options: object,
) -> Path:
    """Write reports/explorer.html (or `output`) from data/processed, with the CJK font subset to its characters."""
    tables = [read_table(paths.processed, name) for name in ("tokens", "turns", "documents")]
    tokens = units.annotate(*tables)
    data = explorer_data(tokens, tables[1], tables[2], target=target, reference=reference, by=by, **options)
    page = render_explorer(data)
    page = render_explorer(data, font_uri=_font_uri(page))
    target_path = Path(output) if output else paths.reports / "explorer.html"
    write_text(target_path, page)
    return target_path


def concordance(
    turns: pd.DataFrame,
    pattern: str,
    *,
    regex: bool = False,
    words: bool = False,
    roles: Sequence[str] | None = None,
    width: int = 60,
) -> pd.DataFrame:
    """Every match of `pattern` (plain text, or a regular expression) in the turns' text, within its sentence.

    `words`: only matches that begin and end at token boundaries (疫苗 the word, not inside 新冠疫苗), as the page
    reads a clicked term, so the lines of a term are the occurrences its counts are made of.

    Takes turn_table(...) (or any table with doc_id, turn, date, question, role, speaker, outlet, outlet_en,
    origin, text). Columns: date, question, role, speaker, outlet, outlet_en, origin, left (the sentence before the
    match, at most `width` characters), match, right (the rest of the sentence, at most `width`), doc_id, turn,
    start (offset of the match in the turn). In text order.
    """
    try:
        compiled = re.compile(pattern if regex else re.escape(pattern))
    except re.error as exc:
        raise CorpusError(f"not a valid regular expression {pattern!r}: {exc}") from None
    table = turns if roles is None else turns[turns.role.isin(list(roles))]
    rows = []
    for row in table.itertuples(index=False):
        bounds = set(np.cumsum([0, *(ord(c) - 32 for c in row.lengths)]).tolist()) if words else set()
        for found in compiled.finditer(row.text):
            if found.end() == found.start() or (words and not {found.start(), found.end()} <= bounds):
                continue
            a, b = found.span()
            begin = max((row.text.rfind(ch, 0, a) for ch in SENTENCE_END), default=-1) + 1
            ends = [i for i in (row.text.find(ch, b) for ch in SENTENCE_END) if i >= 0]
            end = min(ends) + 1 if ends else len(row.text)
            left, right = row.text[max(begin, a - width) : a], row.text[b : min(end, b + width)]
            info = [row.date, row.question, row.role, row.speaker, row.outlet, row.outlet_en, row.origin]
            rows.append([*info, left, found.group(), right, row.doc_id, row.turn, a])
    return pd.DataFrame(rows, columns=CONCORDANCE_COLUMNS)


def concordance_table(
    tokens_or_turns: pd.DataFrame,
    term: str,
    *,
    turns: pd.DataFrame | None = None,
    regex: bool = False,
    words: bool = True,
    roles: Sequence[str] | None = None,
    sort: str | None = None,
    width: int = 60,
) -> Styler:
    """The concordance of `term` as a styled table for a notebook: the match highlighted, left context right-aligned.

    Pass the turn table (turn_table) or the annotated tokens together with `turns` (the processed turns table).
    `words` (default): the term as a word, as the explorer page reads it; False: anywhere in the text.
    `sort`: "left" (by the words just before the match, read backwards, as AntConc sorts), "right", "date" or
    "outlet"; default text order. Columns as `concordance`, without the offsets.
    """
    table = tokens_or_turns
    if "text" not in table.columns or "lengths" not in table.columns:
        if turns is None:
            raise CorpusError("concordance_table needs turns=: pass the processed turns table with the tokens")
        table = turn_table(tokens_or_turns, turns)
    lines = concordance(table, term, regex=regex, words=words and not regex, roles=roles, width=width)
    keys = {"left": lines.left.str[::-1], "right": lines.right, "date": lines.date, "outlet": lines.outlet_en}
    if sort is not None:
        if sort not in keys:
            raise CorpusError(f"unknown sort {sort!r}; choose left, right, date or outlet")
        lines = lines.iloc[np.argsort(keys[sort].fillna("").to_numpy(str), kind="stable")]
    lines = lines.drop(columns=["doc_id", "turn", "start"]).reset_index(drop=True)
    return (
        lines.style.set_properties(subset=["left"], **{"text-align": "right"})
        .set_properties(subset=["match"], **{"background-color": "#ffe08a", "font-weight": "bold"})
        .set_caption(f"{term}: {len(lines)} line{'s' if len(lines) != 1 else ''}")
    )
