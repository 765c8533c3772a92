"""utils.checks: verdicts, hints, and a learner's error never escaping as a traceback."""

import signal
import sys
import threading
from unittest.mock import ANY

import numpy as np
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
    assert checks.call(lambda x: None, 2) == (None, "with 2, it returned None (did you forget `return`?)")
    assert checks.call(lambda: None) == (None, "it returned None (did you forget `return`?)")  # no empty "with"


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


# Answers compared by value and type: a wrong kind of answer is a ❌ with a hint, never a crash or a pass.

def double(n):
    return n * 2


@pytest.mark.parametrize("answer", [torch.tensor([4.0, 4.0]), torch.tensor([4.0]), True, "4", [4], (4,), ANY,
                                    float("nan"), float("inf"), 4.5, np.array([4]), torch.tensor(4.0 + 0j)])
def test_a_number_expected_and_something_else_given_is_not_yet(answer, capsys):
    assert not checks.check_cases(lambda n: answer, [(2,)], double, "", "double it")
    out = capsys.readouterr().out
    assert "❌ Not yet." in out and "expected" in out and "double it" in out


@pytest.mark.parametrize("answer", [4, 4.0, np.int64(4), np.float32(4.0), torch.tensor(4), torch.tensor(4.0)])
def test_any_kind_of_real_number_is_a_number(answer, capsys):
    assert checks.check_cases(lambda n: answer, [(2,)], double, "", "")


def test_a_vector_where_a_number_is_expected_names_what_came(capsys):
    checks.check_cases(lambda n: torch.tensor([n, n]), [(2,)], double, "", "")
    assert "it returned a torch.int64 tensor of shape (2,), expected one number (4)" in capsys.readouterr().out


def test_floats_are_compared_with_a_tolerance_and_integers_exactly():
    assert checks.compare(0.1 + 0.2, 0.3) == "" and checks.compare(torch.tensor(0.30001), 0.3) == ""
    assert checks.compare(0.31, 0.3) == "it returned 0.31, expected 0.3"
    assert checks.compare(400.0, 400) == "" and checks.compare(400.01, 400) != ""


@pytest.mark.parametrize("answer, problem", [
    (ANY, "expected a tensor, got _ANY"),
    (torch.tensor([1, 2]), "the values are torch.int64, expected floating-point numbers"),
    (torch.tensor([1.0, float("nan")]), "at index (1,) got nan, expected 2"),
    (torch.tensor([float("inf"), 2.0]), "at index (0,) got inf, expected 1"),
    (3.0, "expected a tensor, got float 3.0"),
])
def test_a_tensor_expected_needs_a_float_tensor_of_finite_right_values(answer, problem):
    assert problem in checks.compare(answer, torch.tensor([1.0, 2.0]))


def test_nan_is_right_only_where_nan_is_expected():
    assert checks.compare(torch.tensor([float("nan"), 1.0]), torch.tensor([float("nan"), 1.0])) == ""


def test_a_tuple_is_compared_item_by_item_without_crashing_on_tensors():
    assert checks.compare((torch.tensor(1), 2), (1, 2)) == ""
    assert checks.compare((torch.tensor([1, 1]), 2), (1, 2)).startswith("at position 0, it returned a torch")
    assert "expected 2 values" in checks.compare(3, (1, 2))


# The learner's function works on copies; the expected answer comes from untouched inputs.

def softmax_in_place(z):
    return z.sub_(z.max(-1, keepdim=True).values).exp_().div_(z.sum(-1, keepdim=True))


def test_a_right_function_that_changes_its_input_is_right(capsys):
    cases = [(torch.tensor([[1.0, 2.0, 3.0]]),)]
    assert checks.check_cases(softmax_in_place, cases, lambda z: torch.softmax(z, -1), "", "")
    assert cases[0][0].tolist() == [[1.0, 2.0, 3.0]], "the checker's own case stays as it was"


def test_a_wrong_function_that_zeroes_its_input_is_wrong(capsys):
    def zero_it(image, kernel):
        image.zero_()
        kernel[0].zero_()
        return 0.0
    cases = [(torch.ones(3, 3), [torch.ones(2)])]
    assert not checks.check_cases(zero_it, cases, lambda image, kernel: image.sum() * kernel[0].sum(), "", "")
    assert "it returned 0.0, expected 18.0" in capsys.readouterr().out


def test_call_copies_tensors_in_lists_and_dicts_and_keeps_requires_grad():
    x = torch.ones(2, requires_grad=True)
    got, _ = checks.call(lambda args: args, {"a": [x]})
    assert got["a"][0] is not x and got["a"][0].requires_grad and torch.equal(got["a"][0], x)


# A function that never ends is stopped; every error of learner code is a hint; Ctrl-C still stops.

def forever(n):
    while True:
        try:
            n += 1
        except Exception:  # a learner's catch-all does not hide the time limit
            pass


def test_a_loop_that_never_ends_is_stopped_with_a_clear_message(capsys):
    assert not checks.check_cases(forever, [(1,)], double, "", "double it", seconds=0.2)
    assert "with 1, your function did not finish within 0.2 s (is there a loop that never ends?). Hint" in \
        capsys.readouterr().out


def test_the_time_limit_puts_back_an_earlier_alarm_handler_and_timer():
    def mine(signum, frame):
        pass
    before = signal.signal(signal.SIGALRM, mine)
    signal.setitimer(signal.ITIMER_REAL, 100)
    try:
        assert checks.call(double, 2) == (4, None)
        assert checks.call(forever, 1, seconds=0.1)[1].endswith("(is there a loop that never ends?)")
        assert signal.getsignal(signal.SIGALRM) is mine and 90 < signal.getitimer(signal.ITIMER_REAL)[0] <= 100
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)


def test_outside_the_main_thread_a_trace_function_stops_the_loop_and_is_put_back():
    results = []

    def checker():
        tracer = sys.gettrace()
        results.append((checks.call(forever, 1, seconds=0.2), checks.call(double, 3), sys.gettrace() is tracer))
    thread = threading.Thread(target=checker)
    thread.start()
    thread.join(30)
    (slow, fine, restored), = results
    assert slow[0] is None and "did not finish within 0.2 s" in slow[1] and fine == (6, None) and restored


@pytest.mark.parametrize("error, name", [(SystemExit, "SystemExit"), (RecursionError, "RecursionError"),
                                         (GeneratorExit, "GeneratorExit")])
def test_any_error_of_learner_code_becomes_words(error, name):
    def fail(n):
        raise error("boom")
    assert checks.call(fail, 1) == (None, f"with 1, it raised {name}: boom")


def test_keyboard_interrupt_still_stops_the_cell():
    def interrupted(n):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        checks.call(interrupted, 1)


@pytest.mark.parametrize("guess", [np.int64(9216), torch.tensor(9216), 9216.0])
def test_a_prediction_may_be_any_kind_of_number(guess, capsys):
    assert checks.check_prediction(guess, 9216, "")


@pytest.mark.parametrize("guess", [float("inf"), ANY, torch.tensor([3.0])])
def test_a_prediction_that_is_infinite_or_no_number_is_not_yet(guess, capsys):
    assert not checks.check_prediction(guess, 3, "")
    assert "a prediction is one number" in capsys.readouterr().out
