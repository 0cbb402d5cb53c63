"""save_figure: three formats, a merged manifest beside them, and the inputs' provenance inside every file."""

from __future__ import annotations

import hashlib
import json
import shutil

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pypdf
import pytest
from PIL import Image

from corpus.charts import style
from corpus.charts.save import MANIFEST, provenance, read_manifest, save_figure
from corpus.dataset.build import build
from corpus.paths import get_paths
from tests.conftest import SEED_2020, SEED_2021, make_project


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("project"))
    build(get_paths(root))
    return get_paths(root)


def _figure(title: str = "Keyness 关键词"):
    style.use_style()  # the CJK font, so the title draws without missing glyphs
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.bar(["a", "b"], [3, 1])
    ax.set_title(title)
    return fig


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_provenance_comes_from_the_build(built) -> None:
    inputs = provenance(built.processed)
    assert inputs["transcripts"] == {
        "2020-05-24_王毅.txt": _sha(SEED_2020),
        "2021-03-07_王毅.txt": _sha(SEED_2021),
    }
    assert {"userdict.txt", "stopwords.txt", "stopwords_iso_zh.txt", "themes.yaml"} <= set(inputs["resources"])
    assert inputs["resources"]["themes.yaml"] == _sha(get_paths().root / "src/corpus/resources/themes.yaml")
    assert inputs["libraries"]["jieba"] and inputs["libraries"]["matplotlib"] == matplotlib.__version__
    assert inputs["built"].startswith("20") and inputs["built"].endswith("+00:00")


def test_provenance_of_nothing_built(tmp_path) -> None:
    inputs = provenance(tmp_path)
    assert inputs["transcripts"] == {} and inputs["built"] is None


def test_saved_figure_is_in_the_manifest_and_carries_its_provenance(built, tmp_path) -> None:
    inputs = provenance(built.processed)
    fig = _figure()
    written = save_figure(
        fig, "03_keyness", directory=tmp_path, notebook="03_tfidf_keyness", parameters={"top": 20}, provenance=inputs
    )
    plt.close(fig)
    assert [p.name for p in written] == ["03_keyness.png", "03_keyness.svg", "03_keyness.pdf"]
    entry = read_manifest(tmp_path)["03_keyness"]
    assert entry["notebook"] == "03_tfidf_keyness" and entry["parameters"] == {"top": 20}
    assert entry["title"] == "Keyness 关键词"
    assert entry["provenance"]["transcripts"]["2021-03-07_王毅.txt"] == _sha(SEED_2021)
    assert entry["files"] == {p.name: _sha(p) for p in written}

    with Image.open(tmp_path / "03_keyness.png") as png:
        in_png = json.loads(png.text["Description"])
    assert in_png["provenance"] == entry["provenance"] and in_png["parameters"] == {"top": 20}
    svg = (tmp_path / "03_keyness.svg").read_text(encoding="utf-8")
    assert _sha(SEED_2020) in svg.split("<dc:description>")[1].split("</dc:description>")[0]
    pdf = pypdf.PdfReader(tmp_path / "03_keyness.pdf").metadata
    assert json.loads(pdf["/Subject"])["provenance"]["transcripts"] == inputs["transcripts"]
    assert f"sha256:{_sha(SEED_2020)}" in pdf["/Keywords"]


def test_manifest_keeps_other_notebooks_figures_and_replaces_a_resaved_one(tmp_path) -> None:
    for name, notebook, top in (("01_a", "01_x", 1), ("02_b", "02_y", 2), ("01_a", "01_x", 3)):
        fig = _figure(name)
        save_figure(fig, name, directory=tmp_path, notebook=notebook, parameters={"top": top})
        plt.close(fig)
    manifest = read_manifest(tmp_path)
    assert sorted(manifest) == ["01_a", "02_b"]
    assert manifest["01_a"]["parameters"] == {"top": 3} and manifest["02_b"]["notebook"] == "02_y"
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_same_chart_and_inputs_give_the_same_bytes(built, tmp_path) -> None:
    inputs = provenance(built.processed)
    runs = []
    for run in ("one", "two"):
        directory = tmp_path / run
        fig = _figure()
        save_figure(fig, "05_themes", directory=directory, notebook="05", parameters={"top": 5}, provenance=inputs)
        plt.close(fig)
        runs.append({p.name: p.read_bytes() for p in sorted(directory.iterdir()) if not p.name.startswith(".")})
    assert runs[0] == runs[1] and MANIFEST in runs[0]


def test_build_time_is_the_builds_not_the_saves(built, tmp_path) -> None:
    copy = tmp_path / "processed"
    shutil.copytree(built.processed, copy, copy_function=shutil.copy2)  # state file keeps its time
    assert provenance(copy)["built"] == provenance(built.processed)["built"]


def test_bad_name_is_refused(tmp_path) -> None:
    fig = _figure()
    with pytest.raises(ValueError, match="lower-case"):
        save_figure(fig, "Bad Name", directory=tmp_path)
    plt.close(fig)
    assert not (tmp_path / MANIFEST).exists()


def test_notebooks_saving_at_once_keep_every_entry(tmp_path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from corpus.charts import save

    def record(worker: int) -> None:
        for i in range(25):
            save._add_to_manifest(tmp_path, {"name": f"0{worker}_fig{i:02d}", "notebook": f"0{worker}", "files": {}})

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(record, range(1, 5)))
    manifest = read_manifest(tmp_path)
    assert len(manifest) == 100, "a merge lost another notebook's entries"
    assert sorted(e["order"] for e in manifest.values() if e["notebook"] == "03") == list(range(25))


def test_a_placeholder_is_shown_not_exported(tmp_path, capsys) -> None:
    from corpus.charts.plots import plot_trends

    (tmp_path / "05_theme_trends.png").write_bytes(b"an earlier run's chart")
    two_years = pd.DataFrame({"year": [2020, 2021], "theme": ["a", "a"], "v": [1.0, 2.0]})
    axes = plot_trends(two_years, value="v", by="theme")
    assert save_figure(axes[0].figure, "05_theme_trends", directory=tmp_path) == []
    assert not list(tmp_path.glob("05_theme_trends.*"))
    assert "05_theme_trends: not exported, Trends need three or more years" in capsys.readouterr().out
    assert "05_theme_trends" not in read_manifest(tmp_path)
