"""Exercise checking: run the learner's code on cases, say right or wrong, and give a hint.

A checker never raises on a wrong or unfinished answer: it prints a verdict and returns a bool,
so a notebook with open exercises still runs top to bottom. The learner's function gets copies of
its arguments and a time limit; its answer is compared by value and by type.
"""

import math
import signal
import sys
import threading
import time

import numpy as np
import torch

from .i18n import tr

SECONDS = 10  # how long a learner's function may run before the checker stops it


class Verdict:
    """A checker's result: true when right. A notebook shows nothing more for it: the printed line says it all."""

    def __init__(self, ok):
        self.ok = bool(ok)

    def __bool__(self):
        return self.ok

    def __repr__(self):
        return f"Verdict({self.ok})"

    def _ipython_display_(self):
        pass


def report(ok, praise, hint):
    """Print a verdict ('Right' with praise, or 'Not yet' with a hint) and give a Verdict, true when ok."""
    print(tr("✅ Right! {praise}", praise=praise) if ok else tr("❌ Not yet. {hint}", hint=hint))
    return Verdict(ok)


class TooSlow(BaseException):
    """Raised inside the learner's function when its time is up (a BaseException: `except Exception` won't hide it)."""


def call(function, *args, seconds=SECONDS):
    """The learner's function on copies of args, stopped after `seconds` -> (result, None) or (None, what's wrong)."""
    try:
        result = within(seconds, function, *copied(args))
    except KeyboardInterrupt:  # the teacher's Stop button still stops the cell
        raise
    except TooSlow:
        problem = tr("your function did not finish within {seconds:g} s (is there a loop that never ends?)",
                     seconds=seconds)
    except BaseException as error:  # noqa: BLE001 - any error in learner code (SystemExit too) becomes a hint
        problem = tr("it raised {kind}: {error}", kind=type(error).__name__, error=error)
    else:
        if result is not None:
            return result, None
        problem = compare(None, None)
    return None, given(args, problem)


def given(args, problem):
    """A problem met on these arguments, naming them ('with 2, it returned None ...'); no arguments, the problem."""
    return tr("with {args}, {problem}", args=describe(args), problem=problem) if args else problem


def copied(value):
    """A deep copy of tensors and of the lists, tuples and dicts holding them; other values as they are."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone().requires_grad_(value.requires_grad)
    if isinstance(value, (list, tuple)):
        return type(value)(copied(v) for v in value)
    if isinstance(value, dict):
        return {k: copied(v) for k, v in value.items()}
    return value


def within(seconds, function, *args):
    """function(*args), raising TooSlow inside it after `seconds`.

    SIGALRM where it exists and we are in the main thread (Linux, macOS, a Jupyter kernel): no cost while it runs.
    Elsewhere (Windows, other threads) a trace function checks the clock at every line: slower, but it stops loops.
    """
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        return _within_alarm(seconds, function, args)
    return _within_trace(seconds, function, args)


def _within_alarm(seconds, function, args):
    def stop(signum, frame):
        raise TooSlow

    start = time.monotonic()
    handler = signal.signal(signal.SIGALRM, stop)
    outer, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL if handler is None else handler)
        if outer:  # someone else's timer was running: give back what is left of it (at once if it is due)
            signal.setitimer(signal.ITIMER_REAL, max(outer - (time.monotonic() - start), 1e-3), interval)


def _within_trace(seconds, function, args):
    deadline = time.monotonic() + seconds

    def check(frame, event, arg):
        if time.monotonic() > deadline:
            raise TooSlow
        return check

    tracer = sys.gettrace()
    sys.settrace(check)
    try:
        return function(*args)
    finally:
        sys.settrace(tracer)


def describe(args):
    """Arguments in a learner's words: tensors by shape, the rest by value."""
    return tr(", ").join(tr("a tensor of shape {shape}", shape=tuple(a.shape)) if isinstance(a, torch.Tensor)
                         else repr(a) for a in args)


def what(value):
    """What a value is, in a learner's words: 'a tensor of shape (3,)', 'the str '12'', ..."""
    if isinstance(value, torch.Tensor):
        return tr("a {dtype} tensor of shape {shape}", dtype=value.dtype, shape=tuple(value.shape))
    text = repr(value)
    return tr("{value} (a {kind})", value=text if len(text) < 60 else text[:56] + " ...", kind=type(value).__name__)


def number(value):
    """A real number (int, float, NumPy scalar or 0-d tensor, not a bool) as int or float; None for anything else."""
    if isinstance(value, torch.Tensor) and value.dim() == 0 and not value.is_complex() and value.dtype != torch.bool:
        value = value.item()
    if isinstance(value, np.generic) and isinstance(value, (np.integer, np.floating)):
        value = value.item()
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def compare(got, expected):
    """What differs between the learner's answer and the expected one ('' when they match), by type and value."""
    if got is None:
        return tr("it returned None (did you forget `return`?)")
    if number(expected) is not None:
        return _compare_numbers(got, number(expected))
    if isinstance(expected, torch.Tensor):
        return _compare_tensors(got, expected)
    if isinstance(expected, (tuple, list)):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            return tr("it returned {got}, expected {count} values like {expected!r}", got=what(got),
                      count=len(expected), expected=expected)
        problems = (tr("at position {i}, {problem}", i=i, problem=p)
                    for i, (g, e) in enumerate(zip(got, expected)) if (p := compare(g, e)))
        return next(problems, "")
    if type(got) is not type(expected) or got != expected:
        return tr("it returned {got}, expected {expected!r}", got=what(got), expected=expected)
    return ""


def _compare_numbers(got, expected):
    value = number(got)
    if value is None:
        return tr("it returned {got}, expected one number ({expected!r})", got=what(got), expected=expected)
    if not math.isfinite(value) and math.isfinite(expected):
        return tr("it returned {got}, expected a finite number ({expected!r})", got=value, expected=expected)
    if isinstance(expected, int) and value != expected or not math.isclose(value, expected, rel_tol=1e-4, abs_tol=1e-4):
        return tr("it returned {got!r}, expected {expected!r}", got=value, expected=expected)
    return ""


def _compare_tensors(got, expected):
    if not isinstance(got, torch.Tensor):
        kind = type(got).__name__
        return tr("expected a tensor, got {kind} {got!r}", kind=kind, got=got) if number(got) is not None \
            else tr("expected a tensor, got {kind}", kind=kind)
    if got.shape != expected.shape:
        return tr("the shape is {got}, expected {expected}", got=tuple(got.shape), expected=tuple(expected.shape))
    if expected.is_floating_point() and not got.is_floating_point():
        return tr("the values are {got}, expected floating-point numbers ({expected})", got=got.dtype,
                  expected=expected.dtype)
    got = got.detach().to(expected.dtype)
    wrong = ~torch.isclose(got, expected, atol=1e-4, rtol=1e-4, equal_nan=True)
    if not wrong.any():
        return ""
    where = tuple(int(i) for i in wrong.nonzero()[0])
    return tr("the shape is right but the values differ: at index {where} got {got:.4g}, expected {expected:.4g}",
              where=where, got=got[where].item(), expected=expected[where].item())


def check_prediction(guess, measured, explain, tolerance=0.0, mistakes=None):
    """A number the learner wrote down before running vs the measured one (within a relative `tolerance`).

    Either way the measured value and `explain` are shown; `mistakes` maps a common wrong guess to why it is wrong.
    """
    if guess is ...:
        return report(False, "", tr("write your prediction (a number) in place of `...`, then run the cell again."))
    value = number(guess)
    if value is None or not math.isfinite(value):
        return report(False, "", tr("a prediction is one number, got {got}.", got=what(guess)))
    ok = abs(value - measured) <= tolerance * abs(measured)
    why = (mistakes or {}).get(value, "")
    said = tr("You predicted {guess:g}; the measured value is {measured:g}.", guess=value, measured=measured)
    return report(ok, f"{said} {explain}", " ".join(filter(None, [said, why, explain])))


def check_choice(answer, options, correct):
    """A multiple-choice answer (a letter) -> right or not, with the explanation of the option picked.

    `options` maps each letter to its explanation: why it is right, or why it is wrong.
    """
    letters = tr(", ").join(options)
    if answer is ...:
        return report(False, "", tr("write one letter ({letters}) in place of `...`, then run the cell again.",
                                    letters=letters))
    picked = answer.strip().upper() if isinstance(answer, str) else None
    if picked not in options:
        return report(False, "", tr("the answer should be one letter of {letters}, got {answer!r}.", letters=letters,
                                    answer=answer))
    return report(picked == correct, options[picked], tr("{letter}: {why}", letter=picked, why=options[picked]))


def check_cases(function, cases, reference, praise, hint, seconds=SECONDS):
    """Compare function(*case) with reference(*case) on every case; report the first mismatch with a hint.

    The reference runs first, on its own copies, so a learner's function that changes its inputs misleads nothing.
    """
    for case in cases:
        expected = reference(*copied(case))
        got, problem = call(function, *case, seconds=seconds)
        if not problem:
            difference = compare(got, expected)
            problem = difference and given(case, difference)
        if problem:
            return report(False, praise, tr("{problem}. Hint: {hint}", problem=problem, hint=hint))
    return report(True, praise, hint)
