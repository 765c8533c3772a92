"""utils.checks: verdicts, hints, and a learner's error never escaping as a traceback."""

import torch

from utils import checks


def square(x):
    return x * x


def test_report_prints_a_verdict_and_gives_ok(capsys):
    right, wrong = checks.report(True, "well done", "try again"), checks.report(False, "well done", "try again")
    assert right and not wrong and repr(wrong) == "Verdict(False)"
    assert right._ipython_display_() is None, "a notebook shows the printed line only, not True/False"
    out = capsys.readouterr().out.splitlines()
    assert out == ["✅ Right! well done", "❌ Not yet. try again"]


def test_call_turns_an_exception_into_words():
    assert checks.call(square, 3) == (9, None)
    result, error = checks.call(lambda x: x / 0, 1)
    assert result is None and "ZeroDivisionError" in error and "with 1" in error
    assert checks.call(lambda x: None, 2) == (None, "with 2 it returned None (did you forget `return`?)")


def test_compare_says_what_differs():
    expected = torch.arange(6.0).view(2, 3)
    assert checks.compare(expected.clone(), expected) == ""
    assert "forget `return`" in checks.compare(None, expected)
    assert "expected a tensor, got list" in checks.compare([1], expected)
    assert "shape is (3, 2), expected (2, 3)" in checks.compare(expected.view(3, 2), expected)
    wrong = expected.clone()
    wrong[1, 2] = 50
    assert "at index (1, 2) got 50, expected 5" in checks.compare(wrong, expected)


def test_describe_names_tensors_by_shape():
    assert checks.describe((torch.zeros(2, 3), 4, "same")) == "a tensor of shape (2, 3), 4, 'same'"


def test_check_cases_passes_a_right_answer_and_hints_on_a_wrong_one(capsys):
    cases = [(torch.tensor([1.0, -2.0]),), (torch.tensor([3.0]),)]
    assert checks.check_cases(square, cases, torch.square, "squares!", "multiply x by itself")
    assert not checks.check_cases(lambda x: x + x, cases, torch.square, "squares!", "multiply x by itself")
    assert not checks.check_cases(lambda x: None, cases, torch.square, "squares!", "multiply x by itself")
    assert not checks.check_cases(lambda n: n + 1, [(2,)], lambda n: n * 2, "", "double it")
    out = capsys.readouterr().out
    assert out.count("✅") == 1 and out.count("❌") == 3
    assert "multiply x by itself" in out and "forget `return`" in out and "returned 3, expected 4" in out
