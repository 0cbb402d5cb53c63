"""Parsing the seeds into metadata and turns: counts, outlets, headlines, answers, and nothing leaking."""

from __future__ import annotations

import datetime as dt

import opencc
import pytest

from corpus.errors import CorpusError
from corpus.ingest.clean import to_simplified
from corpus.transcripts.dates import chinese_numeral, resolve_date, session_year
from corpus.transcripts.parse import lookup_outlet, parse_transcript
from tests.conftest import SEED_2021
from tests.samples import seed_text

OUTLETS_2020 = [
    "人民日报",
    "中国国际电视台",
    "今日俄罗斯国际通讯社",
    "中国日报",
    "路透社",
    "凤凰卫视",
    "环球时报",
    "中央广播电视总台央视",
    "埃及中东通讯社",
    "美国有线电视新闻网",
    "中国国际广播电台",
    "澎湃新闻",
    "海峡时报",
    "中新社",
]
OUTLETS_2021 = [
    "中央广播电视总台央视",
    "塔斯社",
    "人民日报",
    "香港中评社",
    "美国全国广播公司",
    "中央广播电视总台国广",
    "新华社",
    "联合早报",
    "环球时报",
    "凤凰卫视",
    "北京日报",
    "印度报业托拉斯",
    "中新社",
    "海峡时报",
    "澎湃新闻",
    "中国日报",
]
HEADLINES_2021 = [
    "一年来，最精彩的是元首外交",
    "世界越是动荡不宁，中俄合作越要坚定前行",
    "党的领导是外交事业不断走向胜利的根本保障",
    "落实“爱国者治港”，完全合宪合法，正当合理",
    "推动中美关系“辞旧迎新”，重回正轨",
    "让疫苗真正成为“人民的疫苗”",
    "让多边主义的火炬照亮人类未来的道路",
    "制度差异不应成为对立对抗的理由",
    "所谓新疆地区存在“种族灭绝”的说法荒谬绝伦",
    "一个中国原则是中美关系的政治基础，是不可逾越的红线",
    "进入新发展阶段的中国好比是一列“中国快车”",
    "中印应相互成就而不是相互消耗，加强合作而不是彼此防范",
    "将推出“春苗行动”，积极协助和争取为海外同胞接种疫苗",
    "排除干扰，推进“南海行为准则”磋商",
    "中方愿为缓和缅甸紧张局势发挥建设性作用",
    "欢迎更多外国媒体记者成为“新时代的斯诺”",
]
FOOTER_FRAGMENTS = ["记者会历时", "新华社记者", "摄", "据新华社", "回答中外记者提问", "国务委员兼外交部长王毅"]


def test_documents_metadata(parsed_2020, parsed_2021) -> None:
    doc20, doc21 = parsed_2020[0], parsed_2021[0]
    assert (doc20.date, doc20.year, doc20.speaker, doc20.event) == (
        "2020-05-24",
        2020,
        "王毅",
        "十三届全国人大三次会议",
    )
    assert (doc21.date, doc21.year, doc21.speaker, doc21.event) == (
        "2021-03-07",
        2021,
        "王毅",
        "十三届全国人大四次会议",
    )
    assert doc20.dateline == "据新华社北京5月24日电" and doc21.dateline == "据新华社北京3月7日电"
    assert doc20.duration == "1小时40分钟" and doc21.duration is None
    assert doc20.title == "国务委员兼外交部长王毅就中国外交政策和对外关系回答中外记者提问"
    assert doc21.title == "“中国快车”欢迎各国一路同行共创繁荣——王毅就中国外交政策和对外关系回答中外记者提问"
    assert doc21.caption.startswith("3月7日，十三届全国人大四次会议") and doc21.caption.endswith("新华社记者陈晔华摄")


def test_question_counts_and_outlets(parsed_2020, parsed_2021) -> None:
    for (_, turns), outlets in [(parsed_2020, OUTLETS_2020), (parsed_2021, OUTLETS_2021)]:
        questions = turns[turns.role == "question"]
        answers = turns[turns.role == "answer"]
        assert questions.outlet.tolist() == outlets
        assert questions.question.tolist() == list(range(1, len(outlets) + 1))
        assert answers.question.tolist() == questions.question.tolist()
        assert (answers.speaker == "王毅").all()


def test_roles_in_order(parsed_2020, parsed_2021) -> None:
    roles20, roles21 = parsed_2020[1].role.tolist(), parsed_2021[1].role.tolist()
    assert roles20 == ["narration", "opening", *["question", "answer"] * 14, "narration"]
    assert roles21 == ["narration", "opening", *["question", "answer"] * 16, "closing"]


def test_outlet_origin_and_english_names(parsed_2020, parsed_2021) -> None:
    q20 = parsed_2020[1].query("role == 'question'").set_index("outlet")
    q21 = parsed_2021[1].query("role == 'question'").set_index("outlet")
    assert q20.loc["路透社", ["outlet_en", "origin", "country"]].tolist() == ["Reuters", "foreign", "United Kingdom"]
    assert q20.loc["凤凰卫视", "origin"] == "hk_macao_taiwan"
    assert q21.loc["香港中评社", "origin"] == "hk_macao_taiwan"
    assert q21.loc["塔斯社", ["outlet_en", "country"]].tolist() == ["TASS", "Russia"]
    assert q21.loc["环球时报", "speaker"] == "《环球时报》特约记者"
    assert (q20.origin.value_counts().to_dict(), q21.origin.value_counts().to_dict()) == (
        {"mainland": 8, "foreign": 5, "hk_macao_taiwan": 1},
        {"mainland": 9, "foreign": 5, "hk_macao_taiwan": 2},
    )


def test_headlines_2021(parsed_2021) -> None:
    turns = parsed_2021[1]
    assert turns[turns.role == "question"].headline.tolist() == HEADLINES_2021
    assert turns[turns.role == "closing"].headline.tolist() == ["将为湖北举行全球特别推介会"]
    assert turns[turns.role == "answer"].headline.isna().all()


@pytest.mark.parametrize(
    ("which", "question", "first", "last"),
    [
        ("2020", 1, "这场疫情给我们带来的最大启示是：", "中国作为世界上负责任的国家，愿意为此作出自己的贡献。"),
        (
            "2020",
            2,
            "当前，美国已经成为世界上疫情最严重的国家，每天都有无辜的生命被病毒夺走。",
            "中美双方应当，也必须找到一条不同社会制度、不同文化背景国家在这个星球上和平共存、互利共赢的相处之道。",
        ),
        (
            "2020",
            14,
            "疫情发生以来，海外中国公民一直是祖国母亲心头的牵挂。",
            "海外同胞虽然身在异乡，但祖国永远在你们身后，驻外使领馆时刻与你们同在。",
        ),
        ("2021", 4, "首先我想强调的是，完善香港特区选举制度，落实“爱国者治港”", "也有信心让香港的明天越来越好。"),
        ("2021", 15, "对于缅甸局势，我愿提出中方三点主张：", "促进友好合作的方向也不会改变。"),
        (
            "2021",
            16,
            "80多年前，斯诺和斯特朗、史沫特莱等一批外国记者来到中国陕北延安，",
            "中国希望并欢迎更多外国媒体记者成为“新时代的斯诺”。",
        ),
    ],
)
def test_answer_first_and_last_sentences(parsed_2020, parsed_2021, which, question, first, last) -> None:
    turns = (parsed_2020 if which == "2020" else parsed_2021)[1]
    answer = turns[(turns.role == "answer") & (turns.question == question)].text.item()
    assert answer.startswith(first) and answer.endswith(last)


def test_questions_joined_across_lines_and_page_breaks(parsed_2020) -> None:
    questions = parsed_2020[1].query("role == 'question'").set_index("outlet").text
    assert questions["澎湃新闻"] == "中方是否担心涉台问题将对中美关系产生进一步负面影响？"
    assert questions["今日俄罗斯国际通讯社"].startswith(
        "您如何评价疫情发生以来的中俄关系？"
    )  # marker alone on its line
    assert questions["美国有线电视新闻网"] == "中美双方的“口水战”愈演愈烈，所谓“战狼外交”会是中国外交的未来吗？"


def test_no_footer_leaks_into_questions_or_answers(parsed_2020, parsed_2021) -> None:
    for _, turns in (parsed_2020, parsed_2021):
        spoken = turns[turns.role.isin(["question", "answer", "opening", "closing"])]
        for fragment in FOOTER_FRAGMENTS:
            leaks = spoken[spoken.text.str.contains(fragment, regex=False) & ~spoken.text.str.contains("摄影|摄像")]
            assert leaks.empty, (fragment, leaks.text.str[:40].tolist())
    closing = parsed_2021[1].query("role == 'closing'").text.item()
    assert closing.endswith("希望大家予以关注支持。")


@pytest.mark.parametrize(("text", "value"), [("三", 3), ("十", 10), ("十三", 13), ("十四", 14), ("二十一", 21)])
def test_chinese_numeral(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize(("term", "session", "year"), [(13, 1, 2018), (13, 3, 2020), (13, 4, 2021), (14, 1, 2023)])
def test_session_year(term: int, session: int, year: int) -> None:
    assert session_year(term, session) == year


@pytest.mark.parametrize(
    ("text", "name", "explicit", "expected"),
    [
        ("十三届全国人大四次会议7日在……（据新华社北京3月7日电）", "a.txt", None, dt.date(2021, 3, 7)),
        ("据新华社北京5月24日电\n十三届全国人大三次会议24日", "a.txt", None, dt.date(2020, 5, 24)),
        ("3月8日，十四届全国人大一次会议在北京举行记者会。新华社记者某某摄", "a.txt", None, dt.date(2023, 3, 8)),
        ("2019年3月8日外交部长王毅答记者问", "a.txt", None, dt.date(2019, 3, 8)),
        ("据新华社北京3月7日电", "2022-03-07_王毅.txt", None, dt.date(2022, 3, 7)),
        ("据新华社北京3月7日电", "x.txt", "2018-03-08", dt.date(2018, 3, 8)),
    ],
)
def test_resolve_date(text: str, name: str, explicit: str | None, expected: dt.date) -> None:
    assert resolve_date(text, name=name, explicit=explicit) == expected


@pytest.mark.parametrize(
    ("text", "name", "explicit", "message"),
    [
        ("王毅：谢谢。", "a.txt", None, "no date found"),
        ("王毅：谢谢。", "a.txt", "2021-02-30", "impossible date 2021-02-30"),
        ("王毅：谢谢。", "a.txt", "7 March 2021", "not in YYYY-MM-DD form"),
        ("王毅：谢谢。", "2021-13-01_王毅.txt", None, "impossible date"),
    ],
)
def test_resolve_date_errors(text: str, name: str, explicit: str | None, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        resolve_date(text, name=name, explicit=explicit)


@pytest.mark.parametrize(
    ("label", "outlet", "origin"),
    [
        ("新加坡《联合早报》记者", "联合早报", "foreign"),
        ("《环球时报》特约记者", "环球时报", "mainland"),
        ("某某电视台记者", "某某电视台", "unknown"),
    ],
)
def test_lookup_outlet(label: str, outlet: str, origin: str) -> None:
    assert (lookup_outlet(label)["outlet"], lookup_outlet(label)["origin"]) == (outlet, origin)


def test_question_and_answer_layout_with_other_speaker() -> None:
    text = "2023年3月7日\n问：中方如何看待当前形势？\n答：我们始终主张对话。\n问：还有什么补充？\n答：谢谢。"
    document, turns = parse_transcript(text, name="briefing.txt", speaker="秦刚")
    assert document.speaker == "秦刚" and turns.role.tolist() == ["question", "answer", "question", "answer"]
    assert turns[turns.role == "answer"].speaker.unique().tolist() == ["秦刚"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("这是一段没有任何问答结构的中文文字。\n另一段文字。", "no question/answer structure"),
        ("据新华社北京3月7日电\n新华社记者：问题一？\n路透社记者：问题二？", "2 questions but no answers"),
    ],
)
def test_structure_errors(text: str, message: str) -> None:
    with pytest.raises(CorpusError, match=message):
        parse_transcript(text, name="x.txt")


# --- Layouts other than the seeds': made from the seeds' text, they must give the same turns --------------------

SEED_TEXT_2021 = seed_text(SEED_2021)
SEED_TURNS = ["role", "question", "headline", "text"]


def _relabel(text: str, *, question: str | None = None, answer: str | None = None) -> str:
    """The 2021 seed with its questioners' labels replaced by `question` and Wang Yi's by `answer`."""
    lines = []
    for line in text.split("\n"):
        label, _, rest = line.partition("：")
        if question and rest and label.endswith("记者") and len(label) < 20:
            line = f"{question}：{rest}"
        elif answer and rest and label == "王毅":
            line = f"{answer}：{rest}"
        lines.append(line)
    return "\n".join(lines)


def _spoken(turns):
    return turns[turns.role != "narration"][SEED_TURNS].reset_index(drop=True)


def test_question_and_answer_markers_with_speaker_from_title(parsed_2021) -> None:
    document, turns = parse_transcript(_relabel(SEED_TEXT_2021, question="问", answer="答"), name="2021.txt")
    assert document.speaker == "王毅"  # named in the title (…王毅就中国外交政策…)
    assert _spoken(turns).equals(_spoken(parsed_2021[1]))
    assert (turns[turns.role.isin(["answer", "closing"])].speaker == "王毅").all()


@pytest.mark.parametrize("speaker", ["秦刚", "李克强", "汪文斌"])
def test_other_known_answering_speakers(parsed_2021, speaker: str) -> None:
    text = _relabel(SEED_TEXT_2021, answer=speaker)
    document, turns = parse_transcript(text, name="2021.txt")
    assert document.speaker == speaker
    assert _spoken(turns).equals(_spoken(parsed_2021[1]))


def test_an_answerer_no_resource_lists_is_read_from_the_labels(parsed_2021) -> None:
    text = _relabel(SEED_TEXT_2021, answer="张三")  # speakers.yaml names speakers, it is not a whitelist
    for speaker in (None, "张三"):
        document, turns = parse_transcript(text, name="2021.txt", speaker=speaker)
        assert document.speaker == "张三" and _spoken(turns).equals(_spoken(parsed_2021[1]))


def _second_answerer(text: str, name: str, from_question: int) -> str:
    """Answers from question `from_question` on given by `name`; that question answered by both speakers."""
    lines, seen = [], 0
    for line in text.split("\n"):
        seen += line.split("：")[0].endswith("记者") and "：" in line[:20]
        if line.startswith("王毅：") and seen >= from_question and seen <= 16:
            if seen == from_question:
                lines.append(line)
            line = f"{name}：{line.removeprefix('王毅：')}"
        lines.append(line)
    return "\n".join(lines)


def test_several_answerers_in_one_conference() -> None:
    text = _second_answerer(SEED_TEXT_2021, "秦刚", from_question=9)
    document, turns = parse_transcript(text, name="2021.txt")
    answers = turns[turns.role == "answer"]
    assert document.speaker == "王毅" and answers.question.nunique() == 16
    assert answers.groupby("question").speaker.agg(list)[9] == ["王毅", "秦刚"]
    assert set(answers[answers.question > 9].speaker) == {"秦刚"} and set(answers[answers.question < 9].speaker) == {
        "王毅"
    }


def test_a_second_answerer_no_resource_lists_is_read_from_the_labels() -> None:
    text = _second_answerer(SEED_TEXT_2021, "张三", from_question=12)
    for speaker in (None, "王毅、张三"):
        _, turns = parse_transcript(text, name="2021.txt", speaker=speaker)
        answers = turns[turns.role == "answer"]
        assert answers.groupby("question").speaker.agg(list)[12] == ["王毅", "张三"]
        assert set(answers[answers.question > 12].speaker) == {"张三"}


def test_moderator_turns_are_narration(parsed_2021) -> None:
    text = SEED_TEXT_2021.replace(
        "\n中央广播电视总台央视记者：", "\n主持人：下面请记者提问。\n中央广播电视总台央视记者："
    )
    text = text.replace("\n欢迎更多外国媒体记者", "\n主持人：最后一个问题。\n欢迎更多外国媒体记者")
    _, turns = parse_transcript(text, name="2021.txt")
    moderator = turns[turns.speaker == "主持人"]
    assert moderator.role.tolist() == ["narration", "narration"]
    assert moderator.text.tolist() == ["下面请记者提问。", "最后一个问题。"]
    assert _spoken(turns).equals(_spoken(parsed_2021[1]))


def test_without_headlines(parsed_2021) -> None:
    headlines = {*HEADLINES_2021, "将为湖北举行全球特别推介会"}
    without = "\n".join(line for line in SEED_TEXT_2021.split("\n") if line not in headlines)
    _, turns = parse_transcript(without, name="2021.txt")
    assert turns.headline.isna().all()
    assert _spoken(turns).drop(columns="headline").equals(_spoken(parsed_2021[1]).drop(columns="headline"))


@pytest.mark.parametrize("variant", ["s2t", "s2hk", "s2tw"])
def test_traditional_chinese_parses_the_same_and_keeps_its_characters(parsed_2021, variant: str) -> None:
    traditional = opencc.OpenCC(variant).convert(SEED_TEXT_2021)
    document, turns = parse_transcript(traditional, name="2021.txt")
    original_document, original = parsed_2021
    assert (document.date, document.event, document.speaker) == ("2021-03-07", "十三届全国人大四次会议", "王毅")
    assert turns.outlet.tolist() == original.outlet.tolist() and turns.question.equals(original.question)
    assert turns.role.tolist() == original.role.tolist()
    assert turns.text.map(to_simplified).tolist() == original.text.tolist()
    assert turns.text.tolist() != original.text.tolist()  # the original (Traditional) text is kept
    assert document.dateline == opencc.OpenCC(variant).convert(original_document.dateline)


def test_briefing_title_line_is_the_title_not_a_headline(parsed_2021) -> None:
    title = "2021年3月7日外交部发言人毛宁主持例行记者会"  # the seed's date: two dates that disagree are refused
    text = f"{title}\n" + _relabel(SEED_TEXT_2021, answer="毛宁").split("\n", 1)[1]
    document, turns = parse_transcript(text, name="briefing.txt")
    assert document.title.startswith(title) and document.speaker == "毛宁"
    assert turns.headline.dropna().tolist() == parsed_2021[1].headline.dropna().tolist()


@pytest.mark.parametrize("opening", ["比如：", "一是：", "第一：", "有评论说：", "首先："])
def test_a_colon_inside_a_question_is_not_taken_for_an_unknown_answerer(opening: str) -> None:
    question = f"{opening}疫情如何影响了俄中关系？"
    text = f"2021年3月7日\n塔斯社记者：请问两点。\n{question}\n王毅：面对世纪疫情，中俄肩并肩站在一起。"
    _, turns = parse_transcript(text, name="x.txt")
    assert turns.role.tolist() == ["question", "answer"] and turns.text[0] == f"请问两点。\n{question}"
