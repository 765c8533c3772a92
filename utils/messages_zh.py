"""The Chinese of every message `utils` shows a learner, keyed by its English (see utils/i18n.py).

Terms follow i18n/glossary.tsv (《动手学深度学习》's usage). Grouped by module; tests/test_messages.py
fails on a key that no code uses, a message that has no Chinese, or {fields} that differ.
"""

ZH = {
    # --- checks.py, images.py, view.py, draw.py, guard.py, conv.py, pool.py
    # checks.py
    "✅ Right! {praise}": "✅ 正确！{praise}",
    "❌ Not yet. {hint}": "❌ 还不对。{hint}",
    "{problem}. Hint: {hint}": "{problem}。提示：{hint}",
    "your function did not finish within {seconds:g} s (is there a loop that never ends?)":
        "你的函数在 {seconds:g} 秒内没有运行完（是不是有一个永远不会结束的循环？）",
    "it raised {kind}: {error}": "它引发了 {kind}：{error}",
    "with {args}, {problem}": "输入为 {args} 时，{problem}",
    "a tensor of shape {shape}": "形状为 {shape} 的张量",
    "a {dtype} tensor of shape {shape}": "形状为 {shape}、数据类型为 {dtype} 的张量",
    "{value} (a {kind})": "{value}（{kind} 类型）",
    "it returned None (did you forget `return`?)": "它返回了 None（是不是忘了写 `return`？）",
    "it returned {got}, expected {count} values like {expected!r}":
        "它返回了 {got}，应为像 {expected!r} 这样的 {count} 个值",
    "at position {i}, {problem}": "在位置 {i}，{problem}",
    "it returned {got}, expected {expected!r}": "它返回了 {got}，应为 {expected!r}",
    "it returned {got}, expected one number ({expected!r})": "它返回了 {got}，应为一个数（{expected!r}）",
    "it returned {got}, expected a finite number ({expected!r})": "它返回了 {got}，应为一个有限的数（{expected!r}）",
    "it returned {got!r}, expected {expected!r}": "它返回了 {got!r}，应为 {expected!r}",
    "expected a tensor, got {kind} {got!r}": "应为张量，实际是 {kind} {got!r}",
    "expected a tensor, got {kind}": "应为张量，实际是 {kind}",
    "the shape is {got}, expected {expected}": "形状是 {got}，应为 {expected}",
    "the values are {got}, expected floating-point numbers ({expected})": "值的类型是 {got}，应为浮点数（{expected}）",
    "the shape is right but the values differ: at index {where} got {got:.4g}, expected {expected:.4g}":
        "形状对了，但值不同：在索引 {where} 处得到 {got:.4g}，应为 {expected:.4g}",
    "write your prediction (a number) in place of `...`, then run the cell again.":
        "把 `...` 换成你的预测（一个数），然后再运行这个单元格。",
    "a prediction is one number, got {got}.": "预测应是一个数，实际是 {got}。",
    "You predicted {guess:g}; the measured value is {measured:g}.": "你预测的是 {guess:g}；实测值是 {measured:g}。",
    "write one letter ({letters}) in place of `...`, then run the cell again.":
        "把 `...` 换成一个字母（{letters}），然后再运行这个单元格。",
    "the answer should be one letter of {letters}, got {answer!r}.":
        "答案应是 {letters} 中的一个字母，实际是 {answer!r}。",
    "{letter}: {why}": "{letter}：{why}",
    # guard.py
    "{name} should be an int or a pair of ints (rows, columns), got {value!r}":
        "{name} 应为一个整数或一对整数（行, 列），实际是 {value!r}",
    "{name} should be at least {low}, got {value!r}": "{name} 至少应为 {low}，实际是 {value!r}",
    "{name} should be a torch.Tensor, got {kind}": "{name} 应为 torch.Tensor，实际是 {kind}",
    "{name} should have shape (N, C, H, W) or (C, H, W), got {shape}":
        "{name} 的形状应为 (N, C, H, W) 或 (C, H, W)，实际是 {shape}",
    "{name} should hold floats (as PyTorch's layers require), got dtype {dtype}: try x.float()":
        "{name} 应存放浮点数（PyTorch 的层要求如此），实际的数据类型是 {dtype}：试试 x.float()",
    # images.py
    "the file": "该文件",
    "the file {name!r}": "文件 {name!r} ",
    "expected the file's bytes, got {kind}": "应为文件的字节（bytes），实际是 {kind}",
    "{file} is empty: expected a PNG or JPEG image": "{file}是空的：需要一张 PNG 或 JPEG 图像",
    "{file} is {size:.1f} MB: expected an image of at most {most} MB":
        "{file}有 {size:.1f} MB：图像最多只能有 {most} MB",
    "could not read {file} as an image (expected a PNG or JPEG)": "无法把{file}读成图像（需要 PNG 或 JPEG）",
    "{file} is too large to use here: over {most} megapixels": "{file}太大，这里用不了：超过了 {most} 百万像素",
    "{name} should hold floats in [0, 1], got dtype {dtype} (try image.float() / 255)":
        "{name} 应存放 [0, 1] 内的浮点数，实际的数据类型是 {dtype}（试试 image.float() / 255）",
    "{name} should have shape {wanted}, got {shape}": "{name} 的形状应为 {wanted}，实际是 {shape}",
    "{name} values should be in [0, 1], got values from {low:.3g} to {high:.3g}":
        "{name} 的值应在 [0, 1] 内，实际从 {low:.3g} 到 {high:.3g}",
    # draw.py
    "expected a tensor or NumPy array, got {kind}": "应为张量或 NumPy 数组，实际是 {kind}",
    "style should be one of {styles}, got {style!r}": "style 应为 {styles} 之一，实际是 {style!r}",
    "expected an (H, W) map (or (3, H, W) for style 'image'), got shape {shape}":
        "应为 (H, W) 的图（style 为 'image' 时也可以是 (3, H, W)），实际形状是 {shape}",
    "expected at least one picture to tile": "至少需要一张图片来拼接",
    # view.py
    "unknown setting(s) {unknown}; this view has {names}": "未知的设置 {unknown}；这个小部件的设置有 {names}",
    "Unexpected {kind}: {error}": "意外的错误 {kind}：{error}",
    "{name} should be one of {options}, got {value!r}": "{name} 应为 {options} 之一，实际是 {value!r}",
    "{name} should be True or False, got {value!r}": "{name} 应为 True 或 False，实际是 {value!r}",
    "{name} should be a whole number (not nan or inf), got {value!r}":
        "{name} 应为整数（不能是 nan 或 inf），实际是 {value!r}",
    "{name} should be a number (not nan or inf), got {value!r}":
        "{name} 应为一个数（不能是 nan 或 inf），实际是 {value!r}",
    "{name} should be a whole number from {low:g} to {high:g}, got {value!r}":
        "{name} 应为 {low:g} 到 {high:g} 之间的整数，实际是 {value!r}",
    "{name} should be a number from {low:g} to {high:g}, got {value!r}":
        "{name} 应为 {low:g} 到 {high:g} 之间的数，实际是 {value!r}",

    # --- fc.py, lenet.py, data.py, train.py, net.py

}
