"""Parallel batches: results in input order whatever the number of processes, failures that survive the trip back
from a worker, the same findings with --jobs 1 and --jobs 2, and a progress bar only on a terminal."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from docparse import cli
from docparse.checks.corpus_checks import out_of_order
from docparse.checks.citations import series_out_of_order
from docparse.cli import app
from docparse.errors import FileTooLargeError, InternalError
from docparse.parallel import Progress, ordered_map, pack_error, unpack_error

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _square(x: int) -> int:
    return x * x


@pytest.mark.parametrize("jobs", [1, 2])
def test_ordered_map_keeps_the_input_order_and_passes_items_through(jobs):
    items = list(range(57))
    got = list(ordered_map(_square, items, jobs, needs_work=lambda x: x % 5 != 0, chunk=3))
    assert got == [(x, None if x % 5 == 0 else x * x) for x in items]


def test_a_failure_survives_the_trip_from_a_worker():
    err = unpack_error(pack_error("a.txt", FileTooLargeError("a.txt", "tệp quá lớn")))
    assert type(err) is FileTooLargeError and err.path == "a.txt" and err.reason == "tệp quá lớn"
    bug = unpack_error(pack_error("b.txt", ZeroDivisionError("chia cho 0")))
    assert isinstance(bug, InternalError) and bug.exc_type == "ZeroDivisionError" and "ZeroDivisionError" in bug.traceback


def test_progress_counts_and_stays_silent_off_a_terminal(capsys):
    p = Progress(3)
    p("a", True)
    p("b", False)
    p.close()
    assert (p.done, p.failed) == (2, 1)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("n", [0, 1, 2, 7, 40])
def test_series_pairs_without_comparing_every_pair_are_the_same_pairs(n):
    import datetime as dt
    import random

    rng = random.Random(n)
    items = [(str(rng.randint(1, 30)), dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)), i) for i in range(n)]
    items.append(("abc", dt.date(2025, 1, 1), -1))  # no number: never paired
    assert list(out_of_order(items)) == list(series_out_of_order(items))


@pytest.fixture
def runner(monkeypatch) -> CliRunner:
    monkeypatch.setenv("DOCPARSE_STRICT", "0")
    monkeypatch.setattr(cli, "_debug", False)
    return CliRunner()


def _findings(runner, *args):
    result = runner.invoke(app, ["check", str(SAMPLES), "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    out = json.loads(result.stdout)
    return out["findings"], out["summary"]


def test_check_finds_the_same_with_one_and_two_processes(runner):
    one, summary_one = _findings(runner, "--jobs", "1")
    two, summary_two = _findings(runner, "--jobs", "2")
    assert one and one == two and summary_one == summary_two


def test_parse_jsonl_streams_in_input_order_with_two_processes(runner, tmp_path):
    bad = tmp_path / "x.xyz"
    bad.write_text("không phải văn bản", encoding="utf-8")
    args = ["parse", str(SAMPLES / "qd_quyche.txt"), str(bad), str(SAMPLES / "cv_dulieu.txt"),
            str(SAMPLES / "bc_cchc_2025.txt"), "--format", "jsonl"]
    one = runner.invoke(app, [*args, "--jobs", "1"])
    two = runner.invoke(app, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 2
    assert one.stdout == two.stdout
    lines = [json.loads(line) for line in two.stdout.splitlines()]
    assert [x.get("source") for x in lines[:4]] == [args[1], args[2], args[3], args[4]]
    assert "failed" in lines[1] and lines[-1]["summary"]["documents"] == 3


def test_jobs_must_be_positive(runner):
    result = runner.invoke(app, ["check", str(SAMPLES), "--jobs", "0"])
    assert result.exit_code == 2


def _unreported_reference(plans, reports):
    """The former algorithm of task.unreported: every task against every text of every later report."""
    from rapidfuzz import fuzz, process

    out = []
    for plan in sorted(plans, key=lambda p: p.doc):
        later = [r for r in sorted(reports, key=lambda r: r.doc) if r.when > plan.when and r.issuer == plan.issuer]
        if not later:
            continue
        candidates = [c for r in later for c in r.candidates]
        for index, title, *_ in plan.tasks:
            if process.extractOne(title, candidates, scorer=fuzz.token_set_ratio, score_cutoff=80) is None:
                out.append((plan.doc, index, len(later), [r.doc for r in later]))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_unreported_tasks_without_comparing_every_plan_with_every_report_are_the_same(seed):
    import random

    from docparse.checks.corpus_checks import Plan, Report, plan_group

    rng = random.Random(seed)
    words = ["chuyển", "đổi", "số", "cải", "cách", "hành", "chính", "đào", "tạo", "công", "chức", "dữ", "liệu",
             "nền", "tảng", "báo", "cáo", "kiểm", "tra", "hồ", "sơ"]

    def sentence():
        return " ".join(rng.choice(words) for _ in range(rng.randint(3, 9)))

    def day():
        return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    issuers = ["UBND", "UBND", "SYT"]
    plans = [Plan(f"kh_{i}.txt", day(), "Kế hoạch", f"{i}/KH-UBND", rng.choice(issuers),
                  [[str(j + 1), sentence(), 0, 10, "x" * 10] for j in range(rng.randint(1, 5))]) for i in range(12)]
    reports = [Report(f"bc_{i}.txt", day(), rng.choice(issuers), [sentence() for _ in range(rng.randint(0, 40))] +
                      ([rng.choice(plans).tasks[0][1]] if rng.random() < 0.5 else [])) for i in range(15)]
    got = [(f.data["plan"], f.data["task"], int(f.message.split(" báo cáo")[0].rsplit(" ", 1)[1]), f.data["reports"])
           for _, f in plan_group(plans, reports)]
    assert got == _unreported_reference(plans, reports)


@pytest.mark.parametrize("seed", range(4))
def test_unreported_prefilter_keeps_every_text_that_can_match(seed):
    """TextIndex may skip a text only when token_set_ratio cannot reach 80: typos, subsets both ways, short texts."""
    import random

    from rapidfuzz import fuzz

    from docparse.checks.candidates import TextIndex

    rng = random.Random(seed)
    words = ["chuyển", "đổi", "số", "cải", "cách", "hành", "chính", "đào", "tạo", "công", "chức", "dữ", "liệu",
             "nền", "tảng", "a", "xã", "phường", "triển", "khai"]

    def word():
        w = rng.choice(words)
        if len(w) > 2 and rng.random() < 0.3:  # a typo: no shared token, yet a high score
            i = rng.randrange(len(w))
            w = w[:i] + rng.choice("aăâeêo") + w[i + 1:]
        return w

    def sentence(k=None):
        return " ".join(word() for _ in range(k or rng.randint(1, 14)))

    matched = 0
    for _ in range(40):
        texts = [sentence() for _ in range(50)]
        titles = ([sentence() for _ in range(10)] + [" ".join(t.split()[: max(1, len(t.split()) // 2)])
                                                     for t in texts[:5]] + [t + " " + sentence(2) for t in texts[5:10]])
        index = TextIndex(texts)
        for title in titles:
            kept = set(index.candidates(title))
            for i, text in enumerate(texts):
                if fuzz.token_set_ratio(title, text, score_cutoff=80):
                    matched += 1
                    assert i in kept, (title, text)
    assert matched > 100  # the draw holds matches of every kind, not only misses


@pytest.mark.parametrize("seed", range(4))
def test_unreported_prefilter_keeps_matches_that_share_no_word(seed):
    """Path 3 of checks.candidates: a typo in every word, so title and text share no token, yet score ≥ 80; only the
    character bound keeps such a text. Every such pair is kept, and the bound is what keeps it."""
    import random

    from rapidfuzz import fuzz

    from docparse.checks.candidates import TextIndex, bag

    rng = random.Random(seed)
    words = ["chuyển", "chính", "chức", "triển", "phường", "kiểm", "thống", "nghiệp", "trường", "huyện", "tỉnh",
             "cách", "hành", "khai", "tạo", "công"]

    def typo(w: str) -> str:  # one letter added, changed or moved: no token left in common
        i = rng.randrange(len(w))
        return rng.choice((w[:i] + "x" + w[i:], w[:i] + rng.choice("aăâeêoôơuư") + w[i + 1:], w[1:] + w[0]))

    texts, titles = [], []
    for _ in range(60):
        sentence = [rng.choice(words) for _ in range(rng.randint(2, 12))]
        texts.append(" ".join(sentence))
        titles.append(" ".join(typo(w) for w in sentence))
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 12))) for _ in range(200)]
    index = TextIndex(texts)
    no_shared = 0
    for title in titles:
        kept = set(index.candidates(title))
        for i, text in enumerate(texts):
            if fuzz.token_set_ratio(title, text, score_cutoff=80):
                assert i in kept, (title, text)
                a, b = set(title.split()), set(text.split())
                if not a & b:
                    no_shared += 1
                    overlap = sum((bag(a) & bag(b)).values())
                    assert overlap >= 0.4 * (sum(bag(a).values()) + sum(bag(b).values())) - 0.3
    assert no_shared >= 5  # the draw reaches path 3, not only token matches
