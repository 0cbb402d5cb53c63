"""Segmentation on the seeds: domain terms whole, neighbours intact, stopwords, Traditional input, POS, the token
cache, agreement of rjieba with jieba, and `corpus segment`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import opencc
import pandas as pd
import pytest

import corpus.tokens.segment as segment
from corpus.dataset.build import build
from corpus.errors import CorpusError
from corpus.ingest.clean import to_simplified
from corpus.paths import get_paths
from corpus.store import built, read_table
from corpus.tokens.dictionaries import USER_DICT, is_dropped, read_dictionary, read_stopwords
from corpus.tokens.segment import TOKEN_COLUMNS, filter_pos, load_segmenter, tokenize_turns
from corpus.tokens.tokenizers import jieba_dictionary_tags
from tests.conftest import REPO, run_cli


def tokens(text: str, *, keep_all: bool = True) -> list[str]:
    return [token for token, _ in load_segmenter().pairs(text, keep_all=keep_all)]


# Sentences as the seeds print them, and the term that jieba's dictionary alone splits in them.
TERMS_IN_CONTEXT = [
    ("携起手来构建人类命运共同体，共同维护好我们人类唯一可以生存的这个星球", "人类命运共同体"),
    ("加快建设人类卫生健康共同体", "人类卫生健康共同体"),
    ("人类实际上是一个命运共同体", "命运共同体"),
    ("四是坚定捍卫多边主义", "多边主义"),
    ("面对单边主义肆虐，中国旗帜鲜明予以抵制", "单边主义"),
    ("最早向世卫组织报告疫情", "世卫组织"),
    ("在世卫大会开幕式致辞", "世卫大会"),
    ("推进“一带一路”卫生合作，共建“健康丝绸之路”", "一带一路"),
    ("推进“一带一路”卫生合作，共建“健康丝绸之路”", "健康丝绸之路"),
    ("世界各国正在奋力抗击新冠肺炎疫情", "新冠肺炎"),
    ("支持受到疫情影响的非洲国家尽早复工复产", "复工复产"),
    ("中国加入了世卫组织“新冠疫苗实施计划”", "新冠疫苗实施计划"),
    ("我们反对搞“疫苗民族主义”，不接受制造“免疫鸿沟”", "疫苗民族主义"),
    ("我们反对搞“疫苗民族主义”，不接受制造“免疫鸿沟”", "免疫鸿沟"),
    ("努力提高疫苗在发展中国家的可及性和可负担性", "可及性"),
    ("还有一种“政治病毒”也正在美国扩散", "政治病毒"),
    ("一是我们将推出“春苗行动”", "春苗行动"),
    ("不承认两岸同属一个中国的“九二共识”", "九二共识"),
    ("一个中国原则是中美关系的政治基础", "一个中国原则"),
    ("坚决反对违背一中原则为台湾谋求所谓国际空间", "一中原则"),
    ("完善香港特区选举制度，落实“爱国者治港”", "爱国者治港"),
    ("推进“一国两制”构成了巨大威胁", "一国两制"),
    ("去年6月修例风波以来", "修例风波"),
    ("集中精力推进“南海行为准则”磋商", "南海行为准则"),
    ("二是继续全面有效落实《南海各方行为宣言》", "南海各方行为宣言"),
    ("在上合、金砖、二十国集团等国际机制中的协调合作", "二十国集团"),
    ("我完全赞同非盟委员会主席所说", "非盟委员会"),
    ("今年是中非合作论坛成立20周年", "中非合作论坛"),
    ("深化“一带一路”和欧亚经济联盟对接", "欧亚经济联盟"),
    ("今年又在世界经济论坛就多边主义发表特别致辞", "世界经济论坛"),
    ("谭德塞先生是高票当选的总干事", "谭德塞"),
    ("法国作家维瓦斯写了一本书", "维瓦斯"),
    ("当年非洲遭到埃博拉疫情袭击", "埃博拉"),
    ("全面贯彻习近平外交思想", "习近平外交思想"),
    ("不断开创中国特色大国外交的新局面", "中国特色大国外交"),
    ("以元首外交统领抗疫外交", "元首外交"),
    ("开启了以电话、书信、视频为主渠道的“云外交”模式", "云外交"),
    ("所谓“战狼外交”会是中国外交的未来吗", "战狼外交"),
    ("正在经历前所未有的百年变局", "百年变局"),
    ("中国构建新发展格局是为了适应进入新发展阶段的需要", "新发展格局"),
    ("实现高质量发展", "高质量发展"),
    ("相互尊重、合作共赢精神", "合作共赢"),
    ("而不是相互攻击、零和博弈", "零和博弈"),
    ("试图将中美关系推向所谓“新冷战”", "新冷战"),
    ("联手反对“颜色革命”", "颜色革命"),
    ("中方是否担心涉台问题将对中美关系产生进一步负面影响", "涉台"),
    ("不容任何外来干涉。不干涉内政是国际关系基本准则", "不干涉内政"),
    ("我们得到了国际社会的帮助和支持", "国际社会"),
    ("中国推动中缅关系的决心不会动摇", "中缅关系"),
    ("中美合则两利，斗则俱伤", "合则两利"),
    ("中国作为世界上负责任的国家", "负责任"),
    ("二是我们将推出国际旅行健康证明", "国际旅行健康证明"),
    ("好比是一列动能更强、载重力更大的“中国快车”", "中国快车"),
    ("维护以联合国为核心的国际体系", "国际体系"),
]


@pytest.mark.parametrize(
    ("sentence", "term"), TERMS_IN_CONTEXT, ids=[f"{t}-{i}" for i, (_, t) in enumerate(TERMS_IN_CONTEXT)]
)
def test_domain_terms_come_out_whole_in_context(sentence: str, term: str) -> None:
    assert term in tokens(sentence)


# Frequencies matter: a word strong enough to come out whole must not swallow its neighbours.
NEIGHBOURS = [
    ("中方向非洲五个次区域派遣抗疫医疗专家组", ["中方", "向", "非洲"]),  # seed, 2020
    ("维护各自主权和政权安全", ["各自", "主权"]),  # seed, 2021 (jieba alone: 各/自主权)
    ("在世界上制造了诸多麻烦", ["在", "世界", "上"]),  # seed, 2021 (jieba alone: 在世界上)
    ("中国正在集中精力同东盟国家开展抗疫合作", ["东盟", "国家"]),  # seed, 2020
    ("2020年是中华民族伟大复兴进程中非常不平凡的一年", ["中", "非常"]),  # seed: not 中非 (China-Africa)
    ("中美两国当前最需要做的事情", ["中美", "两国", "当前"]),  # seed, 2020
    ("照顾非洲在华侨民的安全", ["在华", "侨民"]),  # seed, 2020 (jieba alone: 华侨)
    ("集中方向", ["集中", "方向"]),
    ("中美洲国家", ["中美洲", "国家"]),
    ("他在华盛顿发表讲话", ["在", "华盛顿"]),
    ("其中非洲国家占多数", ["其中", "非洲"]),
    ("中韩正在加强合作", ["中韩", "正在"]),
    ("日韩正在", ["日韩", "正在"]),
    ("东盟与中日韩领导人特别会议", ["中日韩"]),
    ("以及早期预警", ["以及", "早期"]),
    ("发展中国家", ["发展中国家"]),
    ("妥善处理涉台湾问题", ["台湾"]),
    ("涉港澳事务", ["涉港澳"]),
]


@pytest.mark.parametrize(("sentence", "expected"), NEIGHBOURS, ids=[s for s, _ in NEIGHBOURS])
def test_neighbours_stay_intact(sentence: str, expected: list[str]) -> None:
    got = tokens(sentence)
    assert any(got[i : i + len(expected)] == expected for i in range(len(got))), got


def test_every_dictionary_entry_comes_out_whole_between_common_neighbours() -> None:
    entries = [e for e in read_dictionary(USER_DICT) if e.freq != 0]  # frequency 0 marks words to split
    frames = ["{}", "我们谈到{}的情况", "关于{}，", "有关{}问题"]
    split = [(e.word, f) for e in entries for f in frames if e.word not in tokens(f.format(e.word))]
    assert len(entries) > 300 and split == []


def test_every_entry_found_in_the_seeds_comes_out_whole_there(parsed_2020, parsed_2021) -> None:
    words = {e.word for e in read_dictionary(USER_DICT) if e.freq != 0}
    cut_inside = []
    paragraphs = [p for turns in (parsed_2020[1], parsed_2021[1]) for text in turns.text for p in text.split("\n")]
    for text in paragraphs:  # whitespace is not a token, so offsets are counted within a paragraph
        ends, at = set(), 0
        for token in tokens(text):
            at += len(token)
            ends.add(at)
        for word in words:
            start = text.find(word)
            while start >= 0:
                if any(b in ends for b in range(start + 1, start + len(word))):
                    cut_inside.append((word, text[max(0, start - 2) : start + len(word) + 2]))
                start = text.find(word, start + 1)
    # rightly cut: 进程/中/非常 is not China-Africa, 海上/合作 not the SCO
    assert sorted(cut_inside) == [("上合", "的海上合作方"), ("中非", "进程中非常不")]


def test_review_script_reports_the_dictionary_s_effect_on_the_seeds(tmp_path: Path) -> None:
    script = REPO / "scripts" / "review_dictionary.py"
    result = subprocess.run(
        [sys.executable, str(script), "--root", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "中/方向  ->  中方/向" in result.stdout and "## 3. entries absent from the corpus" in result.stdout


def test_dictionary_lines_are_unique_and_tags_only_for_new_words() -> None:
    entries = read_dictionary(USER_DICT)
    words = [e.word for e in entries]
    assert len(words) == len(set(words))
    # jieba-rs keeps the tag of a word it knows, so a tag there would mislead the reader of the file
    assert [e.word for e in entries if e.tag and e.word in jieba_dictionary_tags()] == []
    assert all(e.tag for e in entries if e.word not in jieba_dictionary_tags())


SPLIT_IN_SEEDS = [
    ("紧密相连；团结合作是战胜疫情最有力的武器", ["团结", "合作"]),
    ("十三届全国人大四次会议7日在人民大会堂举行", ["四次", "会议"]),
    ("越在历史上留下更多的污点", ["在", "历史", "上"]),
]


@pytest.mark.parametrize(("sentence", "expected"), SPLIT_IN_SEEDS, ids=[e[0] for _, e in SPLIT_IN_SEEDS])
def test_words_jieba_joins_are_split(sentence: str, expected: list[str]) -> None:
    got = tokens(sentence)
    assert any(got[i : i + len(expected)] == expected for i in range(len(got))), got


@pytest.mark.parametrize(
    ("token", "dropped"),
    [
        ("的", True),  # stopwords-iso
        ("我们", True),
        ("，", True),  # punctuation
        ("“", True),
        ("2020", True),  # numbers
        ("2.5", True),
        ("12308", True),
        (" ", True),  # whitespace
        ("\n", True),
        ("谢谢", True),  # genre list
        ("是否", True),
        ("个别", False),  # taken back out of stopwords-iso by the genre list
        ("问题", False),  # deliberately kept: 台湾问题
        ("记者", False),
        ("多边主义", False),
        ("COVID-19", False),
        ("APP", False),
    ],
)
def test_is_dropped(token: str, dropped: bool) -> None:
    assert is_dropped(token, load_segmenter().stopwords) is dropped


def test_stopwords_punctuation_and_numbers_gone_by_default_and_kept_with_keep_all() -> None:
    sentence = "2020年，中国与世界各国一道，共同走过了极不平凡的历程。"
    assert tokens(sentence, keep_all=False) == ["中国", "世界", "各国", "一道", "共同", "走过", "极", "平凡", "历程"]
    everything = tokens(sentence, keep_all=True)
    assert "".join(everything) == sentence and {"2020", "，", "的", "与", "。"} <= set(everything)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("多边主义 1000 n\n人类 命运 共同体\n".encode(), r"terms.txt:2: expected 'word \[frequency\] \[POS tag\]'"),
        ("多边主义 n 1000\n".encode(), "terms.txt:1: expected"),
        ("多边主义 1000 n\n".encode("gbk"), "terms.txt: not UTF-8 text"),
    ],
    ids=["three-words", "tag-before-frequency", "gbk"],
)
def test_bad_dictionary_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "terms.txt"
    path.write_bytes(content)
    with pytest.raises(CorpusError, match=message):
        read_dictionary(path)


def test_dictionary_lines(tmp_path: Path) -> None:
    path = tmp_path / "terms.txt"
    path.write_text("# terms\n核心利益 1000 n\n\n春苗行动\n团结合作 0   # split it\nCOVID-19 5 nz\n", encoding="utf-8")
    assert [(e.word, e.freq, e.tag) for e in read_dictionary(path)] == [
        ("核心利益", 1000, "n"),
        ("春苗行动", None, None),
        ("团结合作", 0, None),
        ("COVID-19", 5, "nz"),
    ]


def test_stopword_files_comments_and_taking_words_back(tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text("# a comment\n的\n问题   # why\n\n", encoding="utf-8")
    second.write_text("\ufeff!问题\n谢谢\n", encoding="utf-8")
    assert read_stopwords((first, second)) == {"的", "谢谢"}


TRADITIONAL = [
    "習近平主席在世衛大會開幕式致辭，向全球表明中國支持團結抗疫的鮮明立場。",
    "堅持多邊主義，推動構建人類命運共同體。",
    "中國堅定秉持疫苗公共產品的“第一屬性”。",
]


@pytest.mark.parametrize("traditional", TRADITIONAL)
def test_traditional_input_gives_the_same_tokens(traditional: str) -> None:
    simplified = opencc.OpenCC("t2s").convert(traditional)
    assert simplified != traditional and tokens(traditional) == tokens(simplified)


def test_token_table_of_traditional_turns_is_simplified_and_turns_keep_the_original(parsed_2021) -> None:
    _, turns = parsed_2021
    s2t = opencc.OpenCC("s2t")
    traditional = turns.assign(text=turns.text.map(s2t.convert))
    before = traditional.copy()
    table = tokenize_turns(traditional)
    pd.testing.assert_frame_equal(traditional, before)
    assert table.token.tolist() == tokenize_turns(turns).token.tolist()
    assert "世卫组织" in set(table.token) and "世卫组织" not in "".join(traditional.text)


@pytest.mark.parametrize("config", [None, "s2t", "s2hk", "s2tw"])
def test_simplified_converts_exactly_the_texts_opencc_changes(parsed_2020, parsed_2021, config: str | None) -> None:
    convert = opencc.OpenCC(config).convert if config else str
    texts = [convert(text) for turns in (parsed_2020[1], parsed_2021[1]) for text in turns.text]
    assert [segment.simplified(t) for t in texts] == [to_simplified(t) for t in texts]
    assert all(segment.simplified(t) is t for t in texts) is (config is None)  # Simplified text is left alone


@pytest.mark.parametrize(
    ("word", "pos"),
    [
        ("多边主义", "n"),
        ("世卫组织", "nt"),
        ("谭德塞", "nr"),
        ("复工复产", "v"),
        ("人类命运共同体", "nz"),
        ("东盟", "j"),
    ],
)
def test_pos_tags(word: str, pos: str) -> None:
    assert dict(load_segmenter().pairs(f"中方主张{word}。")).get(word) == pos


def test_filter_pos_keeps_nouns_and_verbs(parsed_2020) -> None:
    table = tokenize_turns(parsed_2020[1])
    nouns_verbs = filter_pos(table)
    assert set(nouns_verbs.pos.str[0]) == {"n", "v"}
    assert {"多边主义", "疫情", "世卫组织", "维护"} <= set(nouns_verbs.token)
    assert set(filter_pos(table, ["nr"]).token) >= {"习近平", "谭德塞"}


def test_token_table_of_the_seeds(parsed_2020, parsed_2021) -> None:
    turns = pd.concat([parsed_2020[1], parsed_2021[1]], ignore_index=True)
    table = tokenize_turns(turns)
    assert table.columns.tolist() == TOKEN_COLUMNS
    assert table.is_stopword.dtype == bool and table.position.dtype == "int64"
    assert not table.token.str.isspace().any()
    first = table.groupby(["doc_id", "turn"]).position.agg(["min", "max", "size"])
    assert (first["min"] == 0).all() and (first["max"] == first["size"] - 1).all()
    rebuilt = table.groupby(["doc_id", "turn"]).token.agg("".join)
    original = turns.set_index(["doc_id", "turn"]).text.str.replace(r"\s", "", regex=True)
    assert (rebuilt == original.loc[rebuilt.index]).all()  # nothing lost or invented
    kept = table[~table.is_stopword & table.role.eq("answer")]
    by_doc = kept.groupby("doc_id").token.value_counts().unstack(fill_value=0)
    assert by_doc.loc[parsed_2021[0].doc_id, "疫苗"] > by_doc.loc[parsed_2020[0].doc_id, "疫苗"]


def test_documents_segmented_together_get_their_own_tokens(parsed_2020, parsed_2021, tmp_path: Path) -> None:
    empty = pd.DataFrame({"doc_id": ["empty"], "turn": [0], "role": ["answer"], "text": ["。"]})
    turns = pd.concat([parsed_2020[1], empty, parsed_2021[1]], ignore_index=True)
    together = tokenize_turns(turns, cache_dir=tmp_path)
    apart = pd.concat([tokenize_turns(parsed_2020[1]), tokenize_turns(empty), tokenize_turns(parsed_2021[1])])
    pd.testing.assert_frame_equal(together, apart.reset_index(drop=True))
    cached = pd.concat([pd.read_parquet(p) for p in tmp_path.glob("*.parquet")])
    assert sorted(cached.doc_id.unique()) == sorted(turns.doc_id.unique()) and len(cached) == len(together)


def test_rjieba_and_jieba_agree_on_the_seeds(parsed_2020, parsed_2021) -> None:
    fast, reference = load_segmenter(), load_segmenter(backend="jieba")
    texts = [*parsed_2020[1].text, *parsed_2021[1].text]
    assert fast.key != reference.key
    pairs_fast = [fast.pairs(text, keep_all=True) for text in texts]
    assert pairs_fast == [reference.pairs(text, keep_all=True) for text in texts]
    assert sum(map(len, pairs_fast)) > 9000


def test_unknown_backend() -> None:
    with pytest.raises(ValueError, match="backend"):
        load_segmenter(backend="pkuseg")  # type: ignore[arg-type]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The doc_ids segmented (not read from the cache) while the test runs."""
    calls: list[str] = []
    original = segment.segment_turns

    def counting(turns: pd.DataFrame, segmenter: segment.Segmenter):
        calls.extend(turns.doc_id.unique())
        return original(turns, segmenter)

    monkeypatch.setattr(segment, "segment_turns", counting)
    return calls


def test_cache_segments_only_what_changed(project: Path, counted: list[str]) -> None:
    paths = get_paths(project)
    build(paths)
    assert sorted(counted) == ["2020-05-24_王毅", "2021-03-07_王毅"]
    before = read_table(paths.processed, "tokens")
    counted.clear()
    raw_2020 = paths.raw / "2020-05-24_王毅.txt"
    text = raw_2020.read_text(encoding="utf-8")
    assert "病毒不分国界" in text
    raw_2020.write_text(text.replace("病毒不分国界", "病毒不分国家"), encoding="utf-8")
    assert build(paths).rebuilt and counted == ["2020-05-24_王毅"]
    after = read_table(paths.processed, "tokens")
    assert after[after.doc_id.str.startswith("2021")].equals(before[before.doc_id.str.startswith("2021")])
    assert len(list(paths.token_cache.glob("*.parquet"))) == 2  # the 2020 entry replaced, not added
    counted.clear()
    assert not build(paths).rebuilt and counted == []


def test_dictionary_change_invalidates_the_cache_and_stopwords_need_no_segmenting(
    project: Path, counted: list[str]
) -> None:
    paths = get_paths(project)
    build(paths)
    assert "疫情防控" not in set(read_table(paths.processed, "tokens").token)
    paths.dictionaries.mkdir()
    (paths.dictionaries / "mine.txt").write_text("疫情防控 1000 n\n", encoding="utf-8")
    counted.clear()
    assert build(paths).rebuilt and len(counted) == 2
    table = read_table(paths.processed, "tokens")
    assert "疫情防控" in set(table.token) and not table[table.token.eq("疫苗")].is_stopword.any()
    (paths.dictionaries / "stopwords_mine.txt").write_text("疫苗\n", encoding="utf-8")
    counted.clear()
    assert build(paths).rebuilt and counted == []
    assert read_table(paths.processed, "tokens").query("token == '疫苗'").is_stopword.all()


def test_damaged_cache_entry_is_segmented_again(project: Path, counted: list[str]) -> None:
    paths = get_paths(project)
    build(paths)
    next(paths.token_cache.glob("*.parquet")).write_bytes(b"not parquet")
    counted.clear()
    build(paths, force=True)
    assert len(counted) == 1


def test_bad_user_dictionary_line_is_a_clear_error_and_writes_nothing(project: Path) -> None:
    paths = get_paths(project)
    paths.dictionaries.mkdir()
    (paths.dictionaries / "mine.txt").write_text("多边主义 1000 n\n人类 命运 共同体\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"mine.txt:2: expected 'word \[frequency\] \[POS tag\]'"):
        build(paths)
    assert not paths.processed.exists() or not any(paths.processed.iterdir())


def test_cli_segment_default_all_and_pos(tmp_path: Path) -> None:
    lines = "坚持多边主义，推动构建人类命运共同体。\n\n堅持多邊主義，世衛組織\n"
    result = run_cli("segment", root=tmp_path, stdin=lines)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["坚持 多边主义 推动 构建 人类命运共同体", "", "坚持 多边主义 世卫组织"]
    everything = run_cli("segment", "--all", root=tmp_path, stdin="下面，我愿回答大家的提问。\n")
    assert everything.stdout.split() == ["下面", "，", "我愿", "回答", "大家", "的", "提问", "。"]
    tagged = run_cli("segment", "--pos", root=tmp_path, stdin="谭德塞先生是总干事\n")
    assert tagged.stdout.split() == ["谭德塞/nr", "先生/n", "总干事/n"]


def test_cli_segment_uses_the_researchers_dictionaries(tmp_path: Path) -> None:
    (tmp_path / "dictionaries").mkdir()
    (tmp_path / "dictionaries" / "terms.txt").write_text("核心利益 1000 n\n", encoding="utf-8")
    (tmp_path / "dictionaries" / "stopwords_mine.txt").write_text("坚持\n!我们\n", encoding="utf-8")
    result = run_cli("segment", root=tmp_path, stdin="我们坚持维护核心利益\n")
    assert result.stdout.split() == ["我们", "维护", "核心利益"]


def test_cli_segment_bad_dictionary_line(tmp_path: Path) -> None:
    (tmp_path / "dictionaries").mkdir()
    (tmp_path / "dictionaries" / "terms.txt").write_text("多边主义 1000 n\n人类 命运 共同体\n", encoding="utf-8")
    result = run_cli("segment", root=tmp_path, stdin="多边主义\n")
    assert result.returncode == 2 and "terms.txt:2: expected 'word [frequency] [POS tag]'" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_cli_segment_input_not_utf8(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "corpus", "--root", str(tmp_path), "segment"]
    result = subprocess.run(command, input="多边主义\n".encode() + b"\xff\xfe\n", capture_output=True, check=False)
    stderr = result.stderr.decode()
    assert result.returncode == 2 and stderr == "corpus: error: standard input, line 2: not UTF-8 text\n"
    assert result.stdout.decode() == "多边主义\n"


def test_build_writes_the_token_table(project: Path) -> None:
    assert run_cli("build", "--tokens-csv", root=project).returncode == 0  # the tokens CSV only on request
    processed = project / "data" / "processed"
    assert list((built(processed) / "tokens").glob("*.parquet")) and (built(processed) / "tokens.csv").exists()
    shutil.rmtree(processed / "token_cache")
    assert run_cli("build", "--force", root=project).returncode == 0  # a lost cache is rebuilt
    assert len(list((processed / "token_cache").glob("*.parquet"))) == 2
