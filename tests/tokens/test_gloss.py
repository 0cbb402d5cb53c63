"""English glosses: every domain term has a reviewed one, a researcher's glossary overrides, CC-CEDICT fills in."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.errors import CorpusError
from corpus.tokens.dictionaries import USER_DICT, dictionary_files, read_dictionary
from corpus.tokens.gloss import GLOSSARY, cedict_gloss, gloss, glossary, glossed, read_glossary

CJK = re.compile(r"[\u3400-\u9fff]")


def test_every_domain_term_has_a_reviewed_english_gloss(tmp_path):
    shipped = read_glossary(GLOSSARY)
    terms = [e.word for e in read_dictionary(USER_DICT) if e.freq != 0]  # frequency 0 lines are splits, not terms
    assert len(terms) > 400
    missing = [t for t in terms if t not in shipped]
    assert not missing, f"no gloss in {GLOSSARY.name}: {missing}"
    assert not [t for t in terms if CJK.search(shipped[t])], "a gloss must be English"
    assert gloss(terms, folder=tmp_path).str.len().gt(0).all()


def test_diplomatic_vocabulary_reads_as_the_ministry_translates_it(tmp_path):
    terms = ["多边主义", "人类命运共同体", "战狼外交", "一国两制", "世卫组织"]
    assert gloss(terms, folder=tmp_path).tolist() == [
        "multilateralism",
        "community with a shared future for mankind",
        "wolf-warrior diplomacy",
        "one country, two systems",
        "WHO",
    ]


def test_cedict_glosses_a_general_word_the_glossary_lacks(tmp_path):
    assert "疫苗" not in glossary(tmp_path)
    assert gloss(["疫苗"], folder=tmp_path).tolist() == ["vaccine"]
    assert glossed("疫苗", folder=tmp_path) == "疫苗 vaccine"
    assert glossed("疫苗", folder=tmp_path, sep="\n") == "疫苗\nvaccine"
    # The common word's entry, not a proper noun listed before it (Youhao district; Time magazine).
    assert cedict_gloss("友好") == "friendly"
    assert cedict_gloss("媒体") == "media"  # first sense, trimmed at its comment
    assert cedict_gloss("没有这个词语") is None


def test_the_glossary_wins_over_cedict(tmp_path):
    assert cedict_gloss("全球") == "entire"  # CC-CEDICT's first sense misleads on a chart
    assert gloss(["全球"], folder=tmp_path).tolist() == ["global"]


def test_a_researchers_glossary_overrides_both_and_is_read_afresh(tmp_path):
    user = tmp_path / "glossary.txt"
    user.write_text("# mine\n多边主义\tmultilateralism (the UN-centred kind)\n疫苗\tvaccine(s)\n", encoding="utf-8")
    series = gloss(["多边主义", "疫苗", "无此词语"], folder=tmp_path)
    assert series.tolist() == ["multilateralism (the UN-centred kind)", "vaccine(s)", ""]
    assert series.name == "gloss"
    user.write_text("疫苗\tjab\n", encoding="utf-8")
    assert gloss(["疫苗", "多边主义"], folder=tmp_path).tolist() == ["jab", "multilateralism"]
    assert glossed("无此词语", folder=tmp_path) == "无此词语"
    assert user not in dictionary_files(tmp_path), "the glossary is not a jieba dictionary"


def test_an_edit_of_the_same_size_and_time_is_read_too(tmp_path):
    # The cache is keyed on the file's content: an editor that keeps the size and the modification time (or a file
    # system with coarse times) still gives the new glosses.
    user = tmp_path / "glossary.txt"
    user.write_text("疫苗\tjab\n", encoding="utf-8")
    assert gloss(["疫苗"], folder=tmp_path).tolist() == ["jab"]
    stat = user.stat()
    user.write_text("疫苗\tjib\n", encoding="utf-8")
    os.utime(user, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert gloss(["疫苗"], folder=tmp_path).tolist() == ["jib"]


def test_gloss_keeps_the_index_of_a_series(tmp_path):
    import pandas as pd

    terms = pd.Series(["疫苗", "中方"], index=[7, 3])
    assert gloss(terms, folder=tmp_path).to_dict() == {7: "vaccine", 3: "the Chinese side"}


def test_a_malformed_glossary_line_names_the_file_and_line(tmp_path):
    (tmp_path / "glossary.txt").write_text("疫苗\tvaccine\n多边主义 multilateralism\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"glossary\.txt:2: expected 'term<TAB>english'"):
        gloss(["疫苗"], folder=tmp_path)
    (tmp_path / "glossary.txt").write_bytes("疫苗\tvaccine\n".encode("gb18030"))
    with pytest.raises(CorpusError, match="not UTF-8"):
        gloss(["疫苗"], folder=tmp_path)


words = st.text(st.characters(categories=["Lo", "Ll", "Lu", "Nd"]), min_size=1, max_size=8)
english = st.text(st.characters(categories=["Ll", "Lu", "Zs", "Pd"]), min_size=1, max_size=20).filter(str.strip)


@given(st.dictionaries(words.filter(lambda w: not w.startswith("#")), english, max_size=20))
def test_read_glossary_reads_back_what_was_written(tmp_path_factory, entries):
    path = tmp_path_factory.mktemp("g") / "glossary.txt"
    lines = [f"{term}\t{text}" for term, text in entries.items()]
    path.write_text("\ufeff# comment\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert read_glossary(path) == {t: e.strip() for t, e in entries.items()}
