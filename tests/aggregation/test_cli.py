"""`tolpa aggregate`: CSV in, CSV out, one-line errors, run in-process."""

import csv
from pathlib import Path

import pytest

from tolpa.aggregation.cli import main

ANSWERS = "task,worker,label\nt1,w1,a\nt1,w2,a\nt1,w3,b\nt2,w1,b\nt2,w2,b\nt2,w3,b\n"


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_writes_task_label_confidence(tmp_path, capsys):
    output = tmp_path / "out.csv"
    code = main([_file(tmp_path, "a.csv", ANSWERS), "--method", "ds", "--output", str(output)])
    assert code == 0
    rows = _rows(output)
    assert [(row["task"], row["label"]) for row in rows] == [("t1", "a"), ("t2", "b")]
    assert 0.5 < float(rows[0]["confidence"]) <= 1.0
    assert "tolpa aggregate ds [" in capsys.readouterr().err


def test_writes_to_stdout_and_honours_gold(tmp_path, capsys):
    gold = _file(tmp_path, "gold.csv", "task,label\nt1,b\n")
    assert main([_file(tmp_path, "a.csv", ANSWERS), "--method", "mv", "--gold", gold]) == 0
    assert capsys.readouterr().out.splitlines() == ["task,label,confidence", "t1,b,1", "t2,b,1"]


def test_numeric_methods_write_numbers(tmp_path, capsys):
    answers = _file(tmp_path, "n.csv", "task,worker,label\nt,a,1\nt,b,2\nt,c,30\n")
    assert main([answers, "--method", "median"]) == 0
    assert capsys.readouterr().out.splitlines()[1].startswith("t,2,")


def test_text_top_k_lists_candidates(tmp_path, capsys):
    answers = _file(tmp_path, "t.csv", "task,worker,label\nt,a,a cat\nt,b,a cat\nt,c,a dog\n")
    assert main([answers, "--method", "text", "--top-k", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "task,label,confidence,rank,support"
    assert [line.split(",")[1] for line in lines[1:]] == ["a cat", "a dog"]


def test_bradley_terry_ranks_items(tmp_path, capsys):
    comparisons = _file(tmp_path, "p.csv", "left,right,winner\nx,y,x\nx,z,x\ny,z,y\nz,x,x\n")
    assert main([comparisons, "--method", "bt"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "item,score,std_error,rank"
    assert [line.split(",")[0] for line in lines[1:]] == ["x", "y", "z"]


def test_seed_makes_mace_repeatable(tmp_path, capsys):
    answers = _file(tmp_path, "a.csv", ANSWERS)
    outputs = []
    for _ in range(2):
        assert main([answers, "--method", "mace", "--seed", "3"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("content", "options", "message"),
    [
        (None, [], "No such file or directory"),
        ("", [], "lacks column(s) task, worker, label"),
        ("task,worker,label\n", [], "no answers: the input is empty"),
        ("task,label\nt,a\n", [], "lacks column(s) worker"),
        ("task,worker,label\nt,w,a\nt,w\n", [], "line 3 has a different number of fields"),
        ("task,worker,label\nt,,a\n", [], "worker is empty at index 0"),
        ("task,worker,label\nt,w,\n", [], "label is empty at index 0"),
        (
            "task,worker,label\nt,w,tall\n",
            ["--method", "median"],
            "label 'tall' on line 2 is not a number",
        ),
        (
            "task,worker,label\nt,w,nan\n",
            ["--method", "robust-mean"],
            "label has a missing value (NaN)",
        ),
        (ANSWERS, ["--gold", "GOLD:task,label\nzz,a\n"], "gold task 'zz' has no answers"),
        (
            ANSWERS,
            ["--gold", "GOLD:task,label\nt1,c\n"],
            "gold label 'c' for task 't1' is not among",
        ),
        (ANSWERS, ["--gold", "GOLD:task,label\nt1,a\nt1,b\n"], "listed twice"),
        (ANSWERS, ["--method", "wmv"], "needs gold labels"),
        ("left,right,winner\nx,y,z\n", ["--method", "bt"], "neither the left nor the right"),
    ],
)
def test_bad_input_exits_1_with_one_line(tmp_path, capsys, content, options, message):
    path = str(tmp_path / "missing.csv") if content is None else _file(tmp_path, "a.csv", content)
    options = [
        _file(tmp_path, "gold.csv", option[5:]) if option.startswith("GOLD:") else option
        for option in options
    ]
    assert main([path, *options]) == 1
    error = capsys.readouterr().err
    assert error.endswith("\n")
    assert error.count("\n") == 1
    assert error.startswith("tolpa aggregate: error: ")
    assert message in error


def test_undecodable_file_is_one_line(tmp_path, capsys):
    path = tmp_path / "latin1.csv"
    path.write_bytes("task,worker,label\nt,w,caf\xe9\n".encode("latin-1"))
    assert main([str(path)]) == 1
    assert capsys.readouterr().err.count("\n") == 1


@pytest.mark.parametrize(
    "options",
    [
        ["--method", "best"],
        ["--method", "ds", "--top-k", "2"],
        ["--method", "bt", "--gold", "g.csv"],
    ],
)
def test_bad_usage_exits_2_with_one_line(tmp_path, capsys, options):
    assert main([_file(tmp_path, "a.csv", ANSWERS), *options]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert error.startswith("tolpa aggregate: usage error: ")


def test_wired_into_the_tolpa_command(tmp_path):
    from tolpa.cli import main as tolpa_main

    output = tmp_path / "out.csv"
    with pytest.raises(SystemExit) as exit_:
        tolpa_main(["aggregate", _file(tmp_path, "a.csv", ANSWERS), "--output", str(output)])
    assert exit_.value.code == 0
    assert len(_rows(output)) == 2
