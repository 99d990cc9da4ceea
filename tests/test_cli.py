"""`python -m dashboard query` prints the same CSV the downloads use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dashboard.cli import main
from tests.conftest import ROOT


def test_query_prints_csv(mini_dir: Path, capsysbinary) -> None:
    code = main(["query", "goal_coverage", "--data", str(mini_dir), "--org", "a", "--year", "2020"])
    out = capsysbinary.readouterr().out
    assert code == 0
    assert out == (
        "\ufefforg_id,strategy_id,goal_id,goal_code,goal_title,goal_kind,parent_goal_id,"
        "activities,projects\r\n"
        "a,a-s,a1,1,Stärka mötesplatsen,goal,,0,1\r\n"
        "a,a-s,a2,2,Hållbar tillväxt,goal,,1,1\r\n"
        "a,a-s,a3,3,Kulturutbyte,goal,a1,0,0\r\n"
    ).encode("utf-8")


def test_query_range_goal_and_swedish_dialect(mini_dir: Path, capsysbinary) -> None:
    code = main(
        [
            "query",
            "activities",
            "--data",
            str(mini_dir),
            "--from",
            "2019",
            "--to",
            "2020",
            "--goal",
            "a2",
            "--lang",
            "sv",
        ]
    )
    lines = capsysbinary.readouterr().out.decode("utf-8").splitlines()
    assert code == 0
    assert [ln.split(";")[2] for ln in lines[1:]] == ["a-01", "a-03"]
    assert ";250,5;SEK;" in lines[2]


def test_query_errors_exit_2(mini_dir: Path, capsys) -> None:
    assert main(["query", "nope", "--data", str(mini_dir)]) == 2
    assert "unknown query 'nope'" in capsys.readouterr().err
    assert main(["query", "activities", "--data", str(mini_dir / "missing")]) == 2
    assert "no dataset at" in capsys.readouterr().err
    assert main(["query", "activities", "--year", "2019", "--from", "2018"]) == 2


def test_a_slip_in_the_commands_arguments_is_said_not_answered_with_an_empty_file(
    mini_dir: Path, tmp_path: Path, capsys
) -> None:
    """An organisation id the dataset does not hold, a range the wrong way round, an export
    to a file that is no workbook, a count below one: each said in one line, exit 2."""
    data = ["--data", str(mini_dir)]
    assert main(["query", "activities", *data, "--org", "a", "--org", "zz"]) == 2
    assert "error: unknown organisation(s) zz" in capsys.readouterr().err
    assert main(["query", "activities", *data, "--from", "2020", "--to", "2019"]) == 2
    assert "error: --from 2020 is after --to 2019" in capsys.readouterr().err
    assert main(["export", *data, "--out", str(tmp_path / "a.csv")]) == 2
    assert "error: --out must name an .xlsx workbook" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()
    for bad in (["--limit", "-1"], ["--prune", "0"]):
        try:
            main(["history", *data, *bad])
        except SystemExit as usage:
            assert usage.code == 2
        else:
            raise AssertionError(f"{bad} was taken")
        assert "is no whole number of 1 or more" in capsys.readouterr().err


def test_module_entry_point_runs(mini_dir: Path) -> None:
    res = subprocess.run(
        [sys.executable, "-m", "dashboard", "query", "project_portfolio", "--data", str(mini_dir)],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    assert res.stdout.decode("utf-8").splitlines()[1].startswith("a,pa1,Alfa project,AP,Interreg")


def test_contract_doc_is_up_to_date() -> None:
    from dashboard.outputs.template import contract_markdown

    assert (ROOT / "docs" / "data-contract.md").read_text(
        encoding="utf-8"
    ) == contract_markdown(), (
        "regenerate with `python -m dashboard contract --out docs/data-contract.md`"
    )


def test_query_readable_gives_the_downloads_headers_and_words(
    sample_dir: Path, capsysbinary
) -> None:
    args = ["query", "activities", "--data", str(sample_dir), "--org", "gotland"]
    code = main([*args, "--year", "2009", "--lang", "sv", "--readable"])
    lines = capsysbinary.readouterr().out.decode("utf-8-sig").splitlines()
    assert code == 0
    assert lines[0].startswith("Organisation;År;Aktivitets-id;Titel;")
    assert lines[1].startswith("Gotlands kommun;2009;gotland-2009-01;Almedalsveckans invigning;")
    assert ";Planerad;" in lines[1]
    assert len(lines) == 17  # the header and Gotland's 16 activities of 2009


def test_upgrade_says_there_is_nothing_to_do_for_todays_contract(
    sample_dir, tmp_path, capsys
) -> None:
    """`upgrade` on a dataset of today's contract writes nothing; on one whose manifest says
    an older contract (here: written before contracts had versions, and a later one known)
    it publishes today's shape as a recorded upgrade."""
    import shutil

    from dashboard.model import migrations
    from dashboard.storage import entries, lake_at, read_manifest
    from dashboard.storage.engine import writer_for

    out = tmp_path / "data"
    shutil.copytree(sample_dir, out)
    assert main(["upgrade", "--data", str(out)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert read_manifest(out)["contract"] == migrations.CONTRACT_VERSION
    w = writer_for(lake_at(out))  # a change recorded as written under an older contract
    w.begin()
    w.execute("update lake.organisations set name = name where org_id = 'vkl'")
    w.commit("old Målbild", "", {"action": "import", "contract": 0})
    before = len(entries(out))
    assert main(["upgrade", "--data", str(out), "--who", "IT"]) == 0
    assert "upgraded" in capsys.readouterr().out
    last = entries(out)[-1]
    assert (len(entries(out)), last.action, last.who) == (before + 1, "upgrade", "IT")
    assert main(["upgrade", "--data", str(out)]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_has_dataset_says_whether_there_is_one(sample_dir, tmp_path) -> None:
    """What the container's first start asks before it imports the sample."""
    assert main(["has-dataset", "--data", str(sample_dir)]) == 0
    assert main(["has-dataset", "--data", str(tmp_path / "none")]) == 1
