"""The message catalog: every string utils shows a learner goes through tr(), and every key has its Chinese.

Scanned with `ast`, so a message added without tr(), without Chinese, or with other {fields} fails here.
"""

import ast
import string
from pathlib import Path

import pytest
import torch

from utils import checks, conv, guard, images, pool
from utils.messages_zh import ZH
from utils.view import WEB, SettingError, module_keys

UTILS = Path(__file__).resolve().parent.parent / "utils"
MODULES = sorted(p for p in UTILS.glob("*.py") if p.name != "messages_zh.py")
SITE = UTILS.parent / "tools" / "website.py"  # the static site's words (its bar, the widgets' captions) use tr() too
# raise statements whose text is for a programmer, not a learner: (file, first words of the message)
CODE_FACING = {
    ("i18n.py", "the language should be one of"),  # choosing the language: said before any language is chosen
    ("view.py", "no known range for"),  # a widget class the sweep does not know: a bug in utils, not the learner's
    ("view.py", ".js should import from"),  # a browser-side view's module written wrong: a bug in utils/web
    ("conv.py", "PyTorch's refusal has changed"),  # a new PyTorch worded it otherwise: the series must follow
}
# tr() calls whose key is a variable: the browser-side views' texts, keys scanned from utils/web/*.js (below)
DYNAMIC = {("view.py", "key")}
JS_MODULES = sorted(p.stem for p in WEB.glob("*.js") if p.stem != "common")


def tr_calls(path):
    """Every tr(...) call in a module: (line, first argument node)."""
    tree = ast.parse(path.read_text())
    return [(node.lineno, node.args[0] if node.args else None) for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"]


def keys():
    """Every catalog key the code uses, by module (a browser-side view's module as web/<name>.js)."""
    used = {path.name: [arg.value for _, arg in tr_calls(path) if isinstance(arg, ast.Constant)]
            for path in [*MODULES, SITE]}
    return {**used, **{f"web/{name}.js": list(module_keys(name)) for name in JS_MODULES}}


def fields(text):
    """The {fields} of a template, with their conversion and format spec, sorted."""
    return sorted((name, conversion or "", spec or "") for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None)


def text_of(node):
    """The constant words at the start of a raised message, or None when there is no literal text."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.BinOp):
        return text_of(node.left) or text_of(node.right)
    return None


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_every_key_is_a_constant_string(path):
    bad = [line for line, arg in tr_calls(path) if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str))
           and not (isinstance(arg, ast.Name) and (path.name, arg.id) in DYNAMIC)]
    assert not bad, f"{path.name}: tr() needs a constant English key (fields as {{name}}), lines {bad}"


@pytest.mark.parametrize("name", [p.name for p in [*MODULES, SITE]] + [f"web/{m}.js" for m in JS_MODULES])
def test_every_key_has_chinese_with_the_same_fields(name):
    used = keys()[name]
    missing = [key for key in used if key not in ZH]
    assert not missing, f"{name}: no Chinese in utils/messages_zh.py for {missing}"
    differ = [key for key in used if fields(key) != fields(ZH[key])]
    assert not differ, f"{name}: the Chinese has other {{fields}} than the English for {differ}"
    assert all(ZH[key].strip() for key in used)


def test_each_key_is_in_the_catalog_once():
    tree = ast.parse((UTILS / "messages_zh.py").read_text())
    written = [key.value for node in ast.walk(tree) if isinstance(node, ast.Dict) for key in node.keys]
    twice = sorted({key for key in written if written.count(key) > 1})
    assert not twice, f"keys written twice in utils/messages_zh.py (the last one wins silently): {twice}"


def test_no_chinese_is_left_unused():
    used = {key for module in keys().values() for key in module}
    assert not set(ZH) - used, f"keys no code uses (remove them): {sorted(set(ZH) - used)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_raised_message_escapes_the_catalog(path):
    escaped = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            text = text_of(node.exc.args[0])
            if text is not None and not any((path.name, text[:len(start)]) == (name, start)
                                            for name, start in CODE_FACING):
                escaped.append(f"line {node.lineno}: {text[:50]!r}")
    assert not escaped, f"{path.name}: raise with a message outside tr(): {escaped}"


def test_the_scan_sees_a_message_that_escapes(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text('def f(x):\n    tr(f"got {x}")\n    raise ValueError(f"bad {x}")\n')
    assert tr_calls(module)[0][1].__class__ is ast.JoinedStr
    assert text_of(ast.parse(module.read_text()).body[0].body[1].exc.args[0]) == "bad "


def test_field_check_sees_a_renamed_field():
    assert fields("got {value!r} in {name}") != fields("得到 {值!r}，在 {name}")
    assert fields("{size:.1f} MB") != fields("{size} MB")


# ---- Behaviour in Chinese: helper A's modules (checks, images, view, draw, guard, conv, pool)


def test_a_checker_gives_its_verdict_and_hint_in_chinese(chinese, capsys):
    assert not checks.check_cases(lambda x: x, [(torch.tensor([2.0, 3.0]),)], torch.square, "好", "把 x 乘以它自己")
    assert not checks.check_cases(lambda: None, [()], lambda: 1, "好", "写上 return")
    assert checks.check_cases(torch.square, [(torch.ones(2),)], torch.square, "平方！", "")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("❌ 还不对。输入为（形状为 (2,) 的张量）时，")
    assert out[0].endswith("。提示：把 x 乘以它自己")
    assert out[1] == "❌ 还不对。它返回了 None（是不是忘了写 `return`？）。提示：写上 return"
    assert out[2] == "✅ 正确！平方！"


def test_a_prediction_and_a_choice_are_checked_in_chinese(chinese, capsys):
    checks.check_prediction(..., 10, "")
    conv.check_why_parameters("B")
    pool.check_gradient_choice("B")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "❌ 还不对。把 `...` 换成你的预测（一个数），然后再运行这个单元格。"
    assert out[1].startswith("❌ 还不对。B：不对") and "卷积" in out[1]
    assert out[2].startswith("✅ 正确！对") and "胜出者" in out[2]


def test_a_bad_argument_is_refused_in_chinese(chinese):
    with pytest.raises(ValueError, match=r"stride 至少应为 1，实际是 0"):
        guard.pair(0, "stride", low=1)
    with pytest.raises(ValueError, match=r"^文件 'a.png' 是空的：需要一张 PNG 或 JPEG 图像$"):
        images.image_from_bytes(b"", name="a.png")
    with pytest.raises(ValueError, match="卷积核"):
        conv.kernel("nope")


@pytest.mark.widgets
def test_a_widget_shows_chinese_labels_and_a_chinese_message(chinese):
    view = conv.ShapeCalculator()
    assert view.controls["n"].description == "输入大小"
    assert view.update(n=2, k=5) == view.message and "不可能" in view.message
    assert isinstance(view.error, SettingError)
    with pytest.raises(ValueError, match="应为 1 到 64 之间的整数"):
        view.update(n=100)
    playground = conv.KernelPlayground()
    assert ("Sobel x", "sobel x") in playground.controls["preset"].options
    assert playground.update(preset="模糊") == "" and playground.settings()["preset"] == "blur"  # the label works too
    assert [p.title for p in playground.panels][1] == "卷积核 3×3"
    explorer = pool.PoolingExplorer()
    assert explorer.controls["mode"].options == (("最大", "max"), ("平均", "avg"))
    assert explorer.update(mode="avg") == "" and "池化" in explorer.text
