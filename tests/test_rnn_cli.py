"""`python -m udl_viz sentiment`: one JSON line per text, stdin with "-", errors inline."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from udl_viz.cli import main


def run_cli(capsys, *args: str) -> tuple[int, list[dict]]:
    code = main(list(args))
    return code, [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]


def test_scores_texts_with_the_contract_fields(capsys):
    code, rows = run_cli(capsys, "sentiment", "--model", "gru", "I LOVED it!!", "A dull, boring mess.",
                         "Brilliant zxqvbn")
    assert code == 0
    assert [r["text"] for r in rows] == ["I LOVED it!!", "A dull, boring mess.", "Brilliant zxqvbn"]
    for row in rows:
        assert {"text", "positive", "tokens", "unknown"} <= set(row)
        assert 0.0 <= row["positive"] <= 1.0
    assert rows[0]["tokens"] == ["i", "loved", "it", "!", "!"] and rows[0]["unknown"] == []
    assert rows[0]["positive"] > 0.5 > rows[1]["positive"]
    assert rows[2]["unknown"] == ["zxqvbn"]


def test_dash_reads_one_text_per_line_from_stdin(capsys, monkeypatch):
    texts = ["great fun", "awful", "not bad at all"] * 400
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(texts) + "\n"))
    code, rows = run_cli(capsys, "sentiment", "--model", "simple_rnn", "-")
    assert code == 0
    assert [r["text"] for r in rows] == texts
    assert len({r["positive"] for r in rows[::3]}) == 1  # the same text always gets the same score
    assert rows[0]["positive"] > 0.5 > rows[1]["positive"]


def test_batched_scores_equal_one_at_a_time(capsys):
    texts = ["a wonderful film", "the plot is thin but the cast is great", "meh."]
    _, together = run_cli(capsys, "sentiment", *texts)
    alone = [run_cli(capsys, "sentiment", t)[1][0] for t in texts]
    assert [r["positive"] for r in together] == [r["positive"] for r in alone]


def test_empty_text_is_reported_and_sets_the_exit_code(capsys):
    code, rows = run_cli(capsys, "sentiment", "fine", "   ")
    assert code == 1
    assert rows[1]["positive"] is None and "no words" in rows[1]["error"]
    assert rows[0]["positive"] is not None


def test_long_text_is_truncated_and_says_so(capsys):
    code, rows = run_cli(capsys, "sentiment", "--max-tokens", "5", "good " * 9)
    assert code == 0 and rows[0]["truncated"] is True and len(rows[0]["tokens"]) == 5


def test_unknown_model_is_a_clear_error(capsys):
    assert main(["sentiment", "--model", "transformer", "hi"]) == 2
    err = capsys.readouterr().err
    assert "argument --model: invalid choice: 'transformer'" in err and "lstm_glove" in err


def test_the_cli_lists_every_registry_model():
    from udl_viz.cli.sentiment import MODELS
    from udl_viz.models import SENTIMENT, select

    assert sorted(MODELS) == sorted(select(task=SENTIMENT))


def test_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "udl_viz", "sentiment", "--model", "lstm", "-"],
                         input="Not bad!\n", capture_output=True, text=True, check=True)
    row = json.loads(out.stdout)
    assert row["tokens"] == ["not", "bad", "!"]
