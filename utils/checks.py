"""Exercise checking: run the learner's code on cases, say right or wrong, and give a hint.

A checker never raises on a wrong or unfinished answer: it prints a verdict and returns a bool,
so a notebook with open exercises still runs top to bottom.
"""

import torch


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
    print(f"✅ Right! {praise}" if ok else f"❌ Not yet. {hint}")
    return Verdict(ok)


def call(function, *args):
    """The learner's function applied to args -> (result, None), or (None, what went wrong, a None result included)."""
    try:
        result = function(*args)
    except Exception as error:  # noqa: BLE001 - any error in learner code becomes a hint
        return None, f"with {describe(args)} it raised {type(error).__name__}: {error}"
    if result is None:
        return None, f"with {describe(args)} it returned None (did you forget `return`?)"
    return result, None


def describe(args):
    """Arguments in a learner's words: tensors by shape, the rest by value."""
    return ", ".join(f"a tensor of shape {tuple(a.shape)}" if isinstance(a, torch.Tensor) else repr(a) for a in args)


def compare(got, expected):
    """What differs between two tensors ('' when they match): the type, the shape, or the values and where."""
    if got is None:
        return "it returned None (did you forget `return`?)"
    if not isinstance(got, torch.Tensor):
        return f"expected a tensor, got {type(got).__name__}"
    if got.shape != expected.shape:
        return f"the shape is {tuple(got.shape)}, expected {tuple(expected.shape)}"
    got = got.detach().to(expected.dtype)
    if torch.allclose(got, expected, atol=1e-4, rtol=1e-4):
        return ""
    where = tuple(int(i) for i in torch.unravel_index((got - expected).abs().argmax(), got.shape))
    return f"the shape is right but the values differ: at index {where} got {got[where]:.4g}, " \
        f"expected {expected[where]:.4g}"


def check_prediction(guess, measured, explain, tolerance=0.0, mistakes=None):
    """A number the learner wrote down before running vs the measured one (within a relative `tolerance`).

    Either way the measured value and `explain` are shown; `mistakes` maps a common wrong guess to why it is wrong.
    """
    if guess is ...:
        return report(False, "", "write your prediction (a number) in place of `...`, then run the cell again.")
    if isinstance(guess, bool) or not isinstance(guess, (int, float)) or guess != guess:
        return report(False, "", f"a prediction is one number, got {type(guess).__name__} {guess!r}.")
    ok = abs(guess - measured) <= tolerance * abs(measured)
    why = (mistakes or {}).get(guess, "")
    said = f"You predicted {guess:g}; the measured value is {measured:g}. "
    return report(ok, said + explain, said + (f"{why} " if why else "") + explain)


def check_choice(answer, options, correct):
    """A multiple-choice answer (a letter) -> right or not, with the explanation of the option picked.

    `options` maps each letter to its explanation: why it is right, or why it is wrong.
    """
    letters = ", ".join(options)
    if answer is ...:
        return report(False, "", f"write one letter ({letters}) in place of `...`, then run the cell again.")
    picked = answer.strip().upper() if isinstance(answer, str) else None
    if picked not in options:
        return report(False, "", f"the answer should be one letter of {letters}, got {answer!r}.")
    return report(picked == correct, options[picked], f"{picked}: {options[picked]}")


def check_cases(function, cases, reference, praise, hint):
    """Compare function(*case) with reference(*case) on every case; report the first mismatch with a hint."""
    for case in cases:
        got, error = call(function, *case)
        expected = reference(*case)
        if error:
            return report(False, praise, f"{error}. Hint: {hint}")
        problem = compare(got, expected) if isinstance(expected, torch.Tensor) else (
            "" if got == expected else f"it returned {got!r}, expected {expected!r}"
        )
        if problem:
            return report(False, praise, f"with {describe(case)}, {problem}. Hint: {hint}")
    return report(True, praise, hint)
