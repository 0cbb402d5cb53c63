"""In one process, an edited resource file (outlets, speakers, themes, stopwords) is read afresh by the next build:
caches are keyed on a file's content, never on its name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import corpus.dataset.build as build_module
import corpus.resources as resources
import corpus.tokens.dictionaries as dictionaries
from corpus.analysis.themes import load_themes, theme_shares
from corpus.dataset.build import build
from corpus.paths import RESOURCES_DIR, get_paths
from corpus.store import read_table
from corpus.tokens.units import annotate
from tests.conftest import SEED_2021, make_project


@pytest.fixture
def resource_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of corpus/resources that the build and the loaders read instead of the shipped files."""
    copy = tmp_path / "resources"
    shutil.copytree(RESOURCES_DIR, copy)
    monkeypatch.setattr(resources, "RESOURCES_DIR", copy)
    monkeypatch.setattr(build_module, "RESOURCES_DIR", copy)
    for name in ("USER_DICT", "STOPWORDS_ISO", "STOPWORDS"):
        monkeypatch.setattr(dictionaries, name, copy / getattr(dictionaries, name).name)
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_build_reads_edited_resources(tmp_path: Path, resource_copy: Path) -> None:
    paths = get_paths(make_project(tmp_path / "project"))
    assert build(paths).rebuilt
    daily = read_table(paths.processed, "turns").query("outlet == '人民日报'")
    assert not daily.empty and set(daily.outlet_en) == {"People's Daily"} and set(daily.origin) == {"mainland"}

    _edit(
        resource_copy / "outlets.yaml",
        "name_en: People's Daily\n  origin: mainland",
        "name_en: The Daily\n  origin: foreign",
    )
    assert build(paths).rebuilt
    daily = read_table(paths.processed, "turns").query("outlet == '人民日报'")
    assert set(daily.outlet_en) == {"The Daily"} and set(daily.origin) == {"foreign"}
    assert not build(paths).rebuilt

    # Answers marked only 答： under a title naming a person without an office: the speaker is unknown until
    # speakers.yaml lists the name, and the next build in the same process reads the edited list.
    text = SEED_2021.read_text(encoding="utf-8").replace("王毅：", "答：")
    text = re.sub(r"[\u4e00-\u9fff]{0,6}(?:部长|外长|国务委员)王毅", "张三", text).replace("王毅", "张三")
    (paths.raw / "2022-03-07_张三.txt").write_text(text, encoding="utf-8")
    assert build(paths).rebuilt
    answers = read_table(paths.processed, "turns").query("doc_id == '2022-03-07_张三' and role == 'answer'")
    assert set(answers.speaker) == {"unknown"}
    _edit(resource_copy / "speakers.yaml", "- name: 王毅", "- name: 张三\n  name_en: Zhang San\n- name: 王毅")
    assert build(paths).rebuilt
    answers = read_table(paths.processed, "turns").query("doc_id == '2022-03-07_张三' and role == 'answer'")
    assert set(answers.speaker) == {"张三"}

    # The shipped stopword list: a word added to it is flagged in the next build's tokens.
    tokens = read_table(paths.processed, "tokens")
    assert not tokens[tokens.token.eq("外交")].is_stopword.any()
    with (resource_copy / "stopwords.txt").open("a", encoding="utf-8") as file:
        file.write("\n外交\n")
    assert build(paths).rebuilt
    tokens = read_table(paths.processed, "tokens")
    assert tokens[tokens.token.eq("外交")].is_stopword.all()


def test_theme_lexicon_reads_edited_file(tmp_path: Path, resource_copy: Path) -> None:
    paths = get_paths(make_project(tmp_path / "project"))
    build(paths)
    processed = [read_table(paths.processed, name) for name in ("tokens", "turns", "documents")]
    tokens = annotate(*processed)
    themes = resource_copy / "themes.yaml"
    before = load_themes(themes)
    first = before.theme.iloc[0]
    shares = theme_shares(tokens, before, n_boot=10).query("theme == @first").hits.sum()

    _edit(themes, "  terms: [", "  terms: [合作, ")
    after = load_themes(themes)
    assert "合作" in set(after[after.theme.eq(first)].term)
    assert theme_shares(tokens, after, n_boot=10).query("theme == @first").hits.sum() > shares
