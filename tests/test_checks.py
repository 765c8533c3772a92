"""utils.checks: verdicts, hints, and a learner's error never escaping as a traceback."""

import pytest
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


def test_a_prediction_within_tolerance_is_right_and_the_measured_value_is_shown(capsys):
    assert checks.check_prediction(98, 100.0, "Because.", tolerance=0.05)
    assert "measured value is 100" in capsys.readouterr().out


def test_a_wrong_prediction_is_explained_by_its_known_mistake(capsys):
    assert not checks.check_prediction(400, 9216, "Each of 16x24x24 inputs.", mistakes={400: "That is with pooling."})
    out = capsys.readouterr().out
    assert "❌" in out and "That is with pooling." in out and "9216" in out


@pytest.mark.parametrize("guess", [..., "12", True, float("nan"), None, [3]])
def test_a_prediction_that_is_no_number_is_not_yet(guess, capsys):
    assert not checks.check_prediction(guess, 3, "")
    assert "❌ Not yet." in capsys.readouterr().out


def test_a_choice_is_judged_by_its_letter_with_each_option_explained(capsys):
    options = {"A": "Right because.", "B": "Wrong because B."}
    assert checks.check_choice(" a ", options, "A")
    assert not checks.check_choice("B", options, "A")
    assert "Wrong because B." in capsys.readouterr().out


@pytest.mark.parametrize("answer", [..., "C", 1, None, "AB"])
def test_a_choice_that_is_no_option_is_not_yet(answer, capsys):
    assert not checks.check_choice(answer, {"A": "a", "B": "b"}, "A")
    assert "one letter" in capsys.readouterr().out
