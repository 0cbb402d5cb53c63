"""Formulations (提法): recurring fixed phrases, their variants, and how their use changes across years or groups."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from corpus.errors import CorpusError
from corpus.paths import RESOURCES_DIR
from corpus.resources import load_yaml
from corpus.tokens.dictionaries import NOT_A_WORD, USER_DICT, read_dictionary
from corpus.tokens.match import WORDS, find_phrases, longest_first
from corpus.tokens.units import ANSWERS, TOKENS_HINT, UNIT_COLUMN, require, resolve, turn_ids, with_unit

__all__ = [
    "CANDIDATE_COLUMNS",
    "CHANGE_COLUMNS",
    "FORMULATIONS_FILE",
    "HIT_COLUMNS",
    "TABLE_COLUMNS",
    "TIMELINE_COLUMNS",
    "candidates",
    "concordance",
    "dictionary_formulations",
    "formulation_changes",
    "formulation_hits",
    "formulation_table",
    "formulation_timeline",
    "group_variants",
    "load_formulations",
    "sentences",
]

FORMULATIONS_FILE = RESOURCES_DIR / "formulations.yaml"
# The section of the domain dictionary whose entries are formulations (userdict.txt's '# --- ... ---' headings).
DICTIONARY_SECTION = "Xi-era formulations"
_SECTION = re.compile(r"^#\s*---\s*(?P<title>.*?)\s*-*\s*$")
SENTENCE_END = re.compile(r"^[。！？；!?;]+$")
BOTH_ROLES = ("question", "answer")
PER = 10_000
LIST_COLUMNS = ["canonical", "en", "form"]
CANDIDATE_COLUMNS = ["phrase", "tokens", "n", "count", "rarest", "fixedness"]
TABLE_COLUMNS = ["group", "en", "form", "source"]
HIT_COLUMNS = [
    "doc_id", "date", "year", "turn", "role", "question", "outlet", "origin", "position",
    "group", "form", "sentence",
]  # fmt: skip
TIMELINE_COLUMNS = [
    "group", "en", "source", "count", "per_10k", "first_date", "last_date", "variant", "variant_rank", "variants",
    "in_answers", "in_questions", "origins", "questions",
]  # fmt: skip
CHANGES = ("new", "dropped", "reworded", "kept")
CHANGE_COLUMNS = [
    "change", "group", "en", "source", "count_target", "count_reference", "variant_target", "variant_reference",
    "variants_target", "variants_reference",
]  # fmt: skip


def load_formulations(path: Path | None = None) -> pd.DataFrame:
    """The researcher's list (resources/formulations.yaml): canonical, en, form; one row per form, canonical first."""
    path = Path(path) if path else FORMULATIONS_FILE
    if not path.is_file():
        raise CorpusError(f"{path}: no such formulations file")
    rows: list[tuple[str, str, str]] = []
    owner: dict[str, str] = {}
    for i, entry in enumerate(load_yaml(path.name, path.parent) or [], start=1):
        canonical = entry.get("canonical") if isinstance(entry, dict) else None
        variants = (entry.get("variants") or []) if canonical else []
        if not isinstance(canonical, str) or not canonical.strip() or not isinstance(variants, list):
            raise CorpusError(f"{path}: formulation #{i} needs a canonical form and a list of variants")
        for form in dict.fromkeys([canonical, *map(str, variants)]):
            if form in owner:
                raise CorpusError(f"{path}: {form!r} is listed under both {owner[form]!r} and {canonical!r}")
            owner[form] = canonical
            rows.append((canonical, str(entry.get("en") or ""), form))
    return pd.DataFrame(rows, columns=LIST_COLUMNS)


def dictionary_formulations(path: Path = USER_DICT, *, min_chars: int = 4) -> list[str]:
    """Entries of the domain dictionary's formulations section with at least `min_chars` characters, in file order."""
    entries = read_dictionary(path)  # a CorpusError naming the file and line if it cannot be read
    section, listed = None, set()
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        heading = _SECTION.match(line)
        if heading:
            section = heading["title"]
        elif section and section.startswith(DICTIONARY_SECTION) and line.strip() and not line.startswith("#"):
            listed.add(line.split()[0])
    return [e.word for e in entries if e.word in listed and len(e.word) >= min_chars and e.freq != 0]


def _clauses(tokens: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per token: whether it is a word (not punctuation, number or space) and the id of its clause.

    A clause ends at every non-word token and at every turn change."""
    word = ~tokens.token.astype(str).str.match(NOT_A_WORD.pattern).to_numpy(bool)
    breaks = ~word | (np.diff(turn_ids(tokens), prepend=-1) > 0)
    return word, np.cumsum(breaks)


def candidates(
    tokens: pd.DataFrame,
    *,
    roles: Sequence[str] | None = ANSWERS,
    min_freq: int = 3,
    sizes: tuple[int, int] = (2, 6),
    min_chars: int = 4,
    closed: bool = True,
) -> pd.DataFrame:
    """Recurring token sequences that may be formulations: n-grams of `sizes` words within one clause.

    A clause ends at punctuation (dictionaries.NOT_A_WORD) and at a turn change; stopwords may stand inside a
    sequence but not at either end. Kept: sequences seen at least `min_freq` times whose joined text has at least
    `min_chars` characters; with `closed`, a sequence is dropped when a longer kept one contains it and is as
    frequent (it never occurs apart, e.g. 人类 命运 inside 人类 命运 共同体).

    Columns: phrase (the words joined, as find_phrases matches it), tokens (space-joined), n (words), count,
    rarest (count of its rarest word in the same tokens), fixedness (count / rarest, in (0, 1]: 1 when the rarest
    word never occurs outside the sequence). Most frequent first, ties by phrase.
    """
    require(tokens, ["doc_id", "turn", "role", "token", "is_stopword"], hint=TOKENS_HINT)
    table = (tokens if roles is None else tokens[tokens.role.isin(list(roles))]).reset_index(drop=True)
    words = table.token.astype(str).to_numpy(object)
    is_word, clause = _clauses(table)
    edge_ok = is_word & ~table.is_stopword.to_numpy(bool)
    word_counts = pd.Series(words[is_word]).value_counts()
    ids, vocabulary = pd.factorize(words)
    vocabulary = np.asarray(vocabulary, dtype=object)
    found = []
    for n in range(sizes[0], sizes[1] + 1):
        if len(table) < n:
            break
        starts = np.arange(len(table) - n + 1)
        valid = edge_ok[starts] & edge_ok[starts + n - 1] & (clause[starts + n - 1] == clause[starts])
        valid &= np.logical_and.reduce([is_word[starts + k] for k in range(n)])
        picked = starts[valid]
        grams = pd.DataFrame({k: ids[picked + k] for k in range(n)})  # word ids: counted as numbers, not text
        counts = grams.value_counts(sort=False)
        counts = counts[counts >= min_freq]
        text = [" ".join(vocabulary[list(key)]) for key in counts.index]
        found.append(pd.DataFrame({"tokens": pd.Series(text, dtype=object), "count": counts.to_numpy(), "n": n}))
    out = pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=["tokens", "count", "n"])
    out = out[out["count"] >= min_freq].astype({"count": "int64", "n": "int64"})
    out["phrase"] = out.tokens.str.replace(" ", "", regex=False)
    out = out[out.phrase.str.len() >= min_chars]
    frequency = word_counts.to_dict()
    out["rarest"] = [min(frequency[w] for w in t.split()) for t in out.tokens]
    out["fixedness"] = out["count"] / out["rarest"]
    if closed:
        out = out[_open_mask(out)]
    out = out.sort_values(["count", "phrase", "tokens"], ascending=[False, True, True], kind="stable")
    return out[CANDIDATE_COLUMNS].reset_index(drop=True)


def _open_mask(table: pd.DataFrame) -> np.ndarray:
    """False for a sequence that a longer sequence of the table contains with the same count.

    A longer sequence is never more frequent than a part of it, so the part goes when the most frequent sequence
    containing it is as frequent."""
    containing: dict[str, int] = {}
    for text, count in zip(table.tokens, table["count"], strict=True):
        words = text.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                if j - i < len(words):
                    part = " ".join(words[i:j])
                    containing[part] = max(containing.get(part, 0), count)
    return np.array([containing.get(t, 0) < c for t, c in zip(table.tokens, table["count"], strict=True)], bool)


def _one_edit(a: str, b: str) -> bool:
    """Whether b is a with one character replaced, inserted or deleted."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    i = next((k for k, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def _one_edit_pairs(forms: list[str]) -> list[tuple[str, str]]:
    """The pairs of `forms` (a before b in the list's order) one character edit apart.

    Two such strings share a key among their one-character deletions and themselves, so only those are compared."""
    keys: dict[str, list[int]] = {}
    for i, form in enumerate(forms):
        for key in {form, *(form[:k] + form[k + 1 :] for k in range(len(form)))}:
            keys.setdefault(key, []).append(i)
    pairs = {(i, j) for ids in keys.values() for i in ids for j in ids if i < j}
    return [(forms[i], forms[j]) for i, j in sorted(pairs) if _one_edit(forms[i], forms[j])]


def group_variants(
    forms: Iterable[str], *, listed: Mapping[str, str] | None = None, min_edit_chars: int = 6
) -> pd.DataFrame:
    """Each form with the group (formulation) it is a variant of.

    `listed` maps forms to their canonical form (the researcher's list): those are placed in the canonical's group
    first, and a canonical form heads its own group. Every other form attaches to the longest other form it ends
    with (Chinese phrases are head-final: 推动构建人类命运共同体 and 携手构建人类命运共同体 end with
    构建人类命运共同体, one group), so a form that extends another at the end (一个中国政策 beside 一个中国原则)
    starts its own; a form of at least `min_edit_chars` characters one character edit away from another such form
    joins it unless both groups are headed by canonical forms. A group is named by its canonical form, else by its
    shortest form (ties: first in character order).

    Columns: form, group. Sorted by group, then form.
    """
    listed = dict(listed or {})
    forms = sorted(dict.fromkeys([*(f for f in forms if f), *listed, *listed.values()]))
    heads = set(listed.values())
    parent = {f: f for f in forms}

    def root(f: str) -> str:
        while parent[f] != f:
            parent[f] = parent[parent[f]]
            f = parent[f]
        return f

    def headed(r: str) -> bool:
        return any(root(h) == r for h in heads)

    def join(child: str, target: str) -> None:
        a, b = root(child), root(target)
        if a == b or (headed(a) and headed(b)):
            return
        if headed(a):
            parent[b] = a
        else:
            parent[a] = b

    for form, head in listed.items():
        if form != head:
            parent[root(form)] = root(head)
    known = set(forms)
    for form in forms:
        if form in listed:
            continue
        longest = next((form[i:] for i in range(1, len(form)) if form[i:] in known), None)
        if longest:
            join(form, longest)
    for a, b in _one_edit_pairs([f for f in forms if len(f) >= min_edit_chars]):
        if not (a in listed and b in listed):
            join(b, a)
    members: dict[str, list[str]] = {}
    for form in forms:
        members.setdefault(root(form), []).append(form)
    names = {}
    for r, group in members.items():
        head = [f for f in group if f in heads]
        names[r] = head[0] if head else min(group, key=lambda f: (len(f), f))
    table = pd.DataFrame({"form": forms, "group": [names[root(f)] for f in forms]}, columns=["form", "group"])
    return table.sort_values(["group", "form"], kind="stable").reset_index(drop=True)


def formulation_table(
    tokens: pd.DataFrame | None = None,
    listed: pd.DataFrame | None = None,
    *,
    min_freq: int = 3,
    dictionary: bool = True,
) -> pd.DataFrame:
    """Every form to track with its group: the researcher's list, the dictionary's formulations and, when
    `tokens` are given, the candidates found in their answers (`candidates(tokens, min_freq=min_freq)`).

    Columns: group, en (from the list, else empty), form, source (list, dictionary or candidate: the first that
    names the form). Sorted by group, then form.
    """
    listed = load_formulations() if listed is None else listed
    sources = {form: "list" for form in listed.form}
    if dictionary:
        sources.update({f: "dictionary" for f in dictionary_formulations() if f not in sources})
    if tokens is not None:
        found = candidates(tokens, min_freq=min_freq).phrase
        sources.update({f: "candidate" for f in found if f not in sources})
    groups = group_variants(sources, listed=dict(zip(listed.form, listed.canonical, strict=True)))
    english = listed.drop_duplicates("canonical").set_index("canonical").en
    groups["en"] = groups.group.map(english).fillna("")
    groups["source"] = groups.form.map(sources)
    return groups[TABLE_COLUMNS]


def sentences(tokens: pd.DataFrame, rows: Sequence[int] | None = None) -> pd.Series:
    """The sentence each token (or each of the positions `rows`) is in: its turn's text cut after 。！？；."""
    text = tokens.token.astype(str).to_numpy(object)
    ends = tokens.token.astype(str).str.match(SENTENCE_END.pattern).to_numpy(bool)
    new_turn = np.diff(turn_ids(tokens), prepend=-1) > 0
    sentence = np.cumsum(new_turn | np.r_[False, ends[:-1]]) - 1  # 0, 1, ... in text order
    first = np.flatnonzero(np.diff(sentence, prepend=-1))
    last = np.r_[first[1:], len(text)]
    wanted = sentence[np.arange(len(text)) if rows is None else np.asarray(rows, int)]
    joined = {i: "".join(text[first[i] : last[i]]).strip() for i in set(wanted.tolist())}
    return pd.Series([joined[i] for i in wanted.tolist()], dtype=object)


def formulation_hits(
    tokens: pd.DataFrame, table: pd.DataFrame | None = None, *, roles: Sequence[str] | None = BOTH_ROLES
) -> pd.DataFrame:
    """Every use of a tracked form in the turns of `roles` (questions and answers by default).

    Forms are matched in the text (match.find_phrases; whole words or inside a compound, not across two words);
    where forms of one group overlap, the earliest then longest counts (match.longest_first); a use inside a longer
    use of any group (命运共同体 inside 人类命运共同体) does not count, so each stretch of text counts once.

    Columns: doc_id, date, year, turn, role, question, outlet, origin, position (of the first token), group, form,
    sentence (the sentence the use is in, for a concordance). In text order.
    """
    require(tokens, ["doc_id", "turn", "role", "token", "date", "year"], hint=TOKENS_HINT)
    table = formulation_table() if table is None else table
    text = (tokens if roles is None else tokens[tokens.role.isin(list(roles))]).reset_index(drop=True)
    found = find_phrases(text, table.form.unique())
    hits = found[found.fit.isin(WORDS)].merge(table[["form", "group"]], left_on="phrase", right_on="form")
    hits = _outermost(longest_first(hits, by="group"))
    rows = hits.row.to_numpy()
    located = text.iloc[rows].reset_index(drop=True)
    located = located.assign(
        group=hits.group.to_numpy(), form=hits.form.to_numpy(), sentence=sentences(text, rows).to_numpy()
    )
    order = ["date", "doc_id", "turn", "position", "group", "form"]
    return located.sort_values(order, kind="stable")[HIT_COLUMNS].reset_index(drop=True)


def concordance(hits: pd.DataFrame, group: str) -> pd.DataFrame:
    """The sentences a formulation (any of its forms) was said in, in text order, to read and cite.

    Columns: date, year, doc_id, question, role, outlet, form, sentence."""
    columns = ["date", "year", "doc_id", "question", "role", "outlet", "form", "sentence"]
    return hits.loc[hits.group.eq(group), columns].reset_index(drop=True)


def _outermost(hits: pd.DataFrame) -> pd.DataFrame:
    """The hits not contained in a longer hit (start at or before theirs, end at or after)."""
    if hits.empty:
        return hits
    hits = hits.assign(_neg_end=-hits.end).sort_values(["start", "_neg_end"], kind="stable")
    reached = np.maximum.accumulate(hits.end.to_numpy())
    inside = np.r_[False, reached[:-1] >= hits.end.to_numpy()[1:]]
    return hits[~inside].drop(columns="_neg_end")


def _unit(table: pd.DataFrame, by: str) -> tuple[pd.DataFrame, str]:
    """`table` with the grouping column `by` (a unit of units.UNIT_COLUMN or any column of the table)."""
    if by in UNIT_COLUMN:
        return with_unit(table, by)  # type: ignore[arg-type]
    if by not in table.columns:
        raise CorpusError(f"cannot group by {by!r}: choose one of {', '.join(UNIT_COLUMN)} or a token-table column")
    return table[table[by].notna()], by


def formulation_timeline(
    tokens: pd.DataFrame,
    table: pd.DataFrame | None = None,
    *,
    by: str = "year",
    roles: Sequence[str] | None = BOTH_ROLES,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each formulation's use per `by` group (year by default; document, answer, role, origin or any column).

    Columns: the unit, group, en, source (list, dictionary or candidate), count, per_10k (per 10,000 content
    tokens of the unit's turns in `roles`), first_date, last_date, variant (the unit's most used form; on a tie,
    the group's more used one), variant_rank (that form's rank among the group's forms over all units, 1 = the
    group's most used), variants ('form×count, ...', ties in variant_rank order), in_answers (uses by the
    minister), in_questions (by questioners), origins ('origin×count' of the asking outlets), questions (the
    question numbers the uses belong to, 'doc Q3'). Sorted by group, then unit.
    """
    table = formulation_table() if table is None else table
    hits = formulation_hits(tokens, table, roles=roles) if hits is None else hits
    text = tokens if roles is None else tokens[tokens.role.isin(list(roles))]
    text, column = _unit(text, by)
    sizes = text.loc[~text.is_stopword.astype(bool)].groupby(column).size()
    hits, _ = _unit(hits, by)
    columns = [column, *TIMELINE_COLUMNS]
    if hits.empty:
        return pd.DataFrame(columns=columns)
    keys = [column, "group"]
    overall = hits.groupby(["group", "form"]).size().rename("total").reset_index()
    overall = overall.sort_values(["group", "total", "form"], ascending=[True, False, True], kind="stable")
    overall["variant_rank"] = overall.groupby("group").cumcount() + 1
    forms = hits.groupby([*keys, "form"]).size().rename("n").reset_index().merge(overall, on=["group", "form"])
    forms = forms.sort_values([*keys, "n", "variant_rank"], ascending=[True, True, False, True], kind="stable")
    main = forms.drop_duplicates(keys).set_index(keys)  # the unit's most used form; on a tie the group's main form
    by_origin = list(dict.fromkeys([*keys, "origin"]))  # grouping by origin already: one origin per row
    origins = hits.dropna(subset=["origin"]).groupby(by_origin).size().rename("n").reset_index()
    origins = origins.sort_values([*keys, "n", "origin"], ascending=[True, True, False, True], kind="stable")
    asked = hits[hits.question.notna()]
    labels = asked[keys].assign(label=asked.doc_id.astype(str) + " Q" + asked.question.astype("Int64").astype(str))
    grouped = hits.groupby(keys)
    out = grouped.size().rename("count").to_frame()
    out["first_date"], out["last_date"] = grouped.date.min(), grouped.date.max()
    out["variant"], out["variant_rank"] = main.form, main.variant_rank
    out["variants"] = _joined(forms, keys, "form")
    for name, role in (("in_answers", "answer"), ("in_questions", "question")):
        out[name] = hits.role.eq(role).groupby([hits[k] for k in keys]).sum().astype(int)
    out["origins"] = _joined(origins, keys, "origin").reindex(out.index).fillna("")
    labels = labels.drop_duplicates()  # each question once, in text order
    out["questions"] = _join_per(labels, keys, labels.label.tolist()).reindex(out.index)
    out = out.reset_index()
    size = out[column].map(sizes).fillna(0).to_numpy(float)
    out["per_10k"] = np.divide(out["count"] * PER, size, out=np.zeros(len(out)), where=size > 0)
    out["en"] = out.group.map(table.drop_duplicates("group").set_index("group").en).fillna("")
    out["source"] = out.group.map(_group_sources(table)).fillna("")
    out["questions"] = out.questions.fillna("")
    return out.sort_values(["group", column], kind="stable")[columns].reset_index(drop=True)


def _joined(counts: pd.DataFrame, keys: list[str], value: str) -> pd.Series:
    """'value×n, ...' per `keys`, in the rows' order (the caller sorts them)."""
    return _join_per(counts, keys, (counts[value].astype(str) + "×" + counts.n.astype(str)).tolist())


def _join_per(table: pd.DataFrame, keys: list[str], items: list[str]) -> pd.Series:
    """The `items` (one per row of `table`) joined with ', ' per `keys`, in row order, indexed by the keys."""
    joined: dict[tuple, list[str]] = {}
    for key, item in zip(zip(*(table[k].tolist() for k in keys), strict=True), items, strict=True):
        joined.setdefault(key, []).append(item)
    index = pd.MultiIndex.from_tuples(list(joined), names=keys) if joined else None
    return pd.Series([", ".join(v) for v in joined.values()], index=index, dtype=object)


def _group_sources(table: pd.DataFrame) -> dict[str, str]:
    """Each group's source: list when the researcher's list names any of its forms, else dictionary, else candidate."""
    order = {"list": 0, "dictionary": 1, "candidate": 2}
    ranked = table.assign(_order=table.source.map(order)).sort_values(["group", "_order"], kind="stable")
    return ranked.drop_duplicates("group").set_index("group").source.to_dict()


def formulation_changes(
    timeline: pd.DataFrame, target: object, reference: object | Iterable[object] | None = None, *, by: str = "year"
) -> pd.DataFrame:
    """What the `target` unit does with each formulation against the `reference` unit(s) (default: all others).

    change is new (used in the target only), dropped (in the reference only), reworded (in both, but no form is
    among the most used on both sides: 中国和东盟国家 where the reference said 中国与东盟国家; a tie counts as
    shared, so using two forms equally is not a rewording) or kept. Columns: change, group, en, source, count_target,
    count_reference, variant_target, variant_reference, variants_target, variants_reference. Sorted by change
    (new, dropped, reworded, kept), then most used, then group.
    """
    units = timeline[by].unique()
    [target] = resolve(target, units, by=by)
    others = [u for u in units if u != target] if reference is None else resolve(reference, units, by=by)
    if not others:
        raise CorpusError(f"nothing to compare {by} {target} with: the corpus has no other")
    mine = timeline[timeline[by] == target].set_index("group")
    theirs = timeline[timeline[by].isin(others)]
    pooled = (
        theirs.assign(_forms=theirs.variants)
        .groupby("group")
        .agg(
            count=("count", "sum"), en=("en", "first"), source=("source", "first"), variants=("_forms", _merge_tallies)
        )
    )
    pooled["variant"] = pooled.variants.str.split("×").str[0]
    groups = sorted(set(mine.index) | set(pooled.index))
    rows = []
    for group in groups:
        a = mine.loc[group] if group in mine.index else None
        b = pooled.loc[group] if group in pooled.index else None
        if b is None:
            change = "new"
        elif a is None:
            change = "dropped"
        else:
            change = "kept" if _most_used(a.variants) & _most_used(b.variants) else "reworded"
        rows.append(
            {
                "change": change,
                "group": group,
                "en": (a if a is not None else b).en,
                "source": (a if a is not None else b).source,
                "count_target": int(a["count"]) if a is not None else 0,
                "count_reference": int(b["count"]) if b is not None else 0,
                "variant_target": a.variant if a is not None else "",
                "variant_reference": b.variant if b is not None else "",
                "variants_target": a.variants if a is not None else "",
                "variants_reference": b.variants if b is not None else "",
            }
        )
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    out["_order"] = out.change.map({c: i for i, c in enumerate(CHANGES)})
    out["_used"] = out.count_target + out.count_reference
    out = out.sort_values(["_order", "_used", "group"], ascending=[True, False, True], kind="stable")
    return out.drop(columns=["_order", "_used"]).reset_index(drop=True)


def _counts(tally: str) -> dict[str, int]:
    """A 'form×count, ...' tally as a mapping."""
    pairs = (item.rsplit("×", 1) for item in filter(None, tally.split(", ")))
    return {form: int(count) for form, count in pairs}


def _most_used(tally: str) -> set[str]:
    """The forms of a tally with the highest count (several on a tie)."""
    counts = _counts(tally)
    return {f for f, c in counts.items() if c == max(counts.values())}


def _merge_tallies(values: Iterable[str]) -> str:
    """Several 'form×count, ...' tallies added up, in the same format."""
    total: dict[str, int] = {}
    for tally in values:
        for form, count in _counts(tally).items():
            total[form] = total.get(form, 0) + count
    ordered = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    return ", ".join(f"{k}×{v}" for k, v in ordered)
