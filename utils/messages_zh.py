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
    "it raised {kind}: {error}": "它抛出了 {kind}：{error}",
    "with {args}, {problem}": "输入为（{args}）时，{problem}",
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
    # conv.py
    "unknown kernel {name!r}; choose one of {names}": "没有名为 {name!r} 的卷积核；请从 {names} 中选一个",
    "{name} should be an int >= {low}, got {value!r}": "{name} 应为 >= {low} 的整数，实际是 {value!r}",
    "weight should be a tensor of shape (out_channels, in_channels, kh, kw), got {got}":
        "weight 应为形状为 (out_channels, in_channels, kh, kw) 的张量，实际是 {got}",
    "x, weight and bias should have the same dtype, got {x}, {weight} and {bias}":
        "x、weight 和 bias 的数据类型应当相同，实际是 {x}、{weight} 和 {bias}",
    "weight expects {expected} input channels but x has {got} (groups are not supported here: use F.conv2d)":
        "weight 需要 {expected} 个输入通道，但 x 有 {got} 个（这里不支持分组 groups：请用 F.conv2d）",
    "bias should have shape ({count},), one per kernel, got {shape}":
        "bias 的形状应为 ({count},)，每个卷积核一个偏置，实际是 {shape}",
    "padding should be 'same', 'valid', an int or a pair of ints, got {padding!r}":
        "padding 应为 'same'、'valid'、一个整数或一对整数，实际是 {padding!r}",
    "padding='same' needs stride 1 (as in PyTorch), got stride {stride}":
        "padding='same' 要求步幅为 1（与 PyTorch 相同），实际步幅是 {stride}",
    "height": "高度",
    "width": "宽度",
    "the kernel spans d·(k−1)+1 = {span} pixels in {axis}, more than the padded input's {padded}: use a smaller "
    "kernel or more padding":
        "卷积核在{axis}上跨越 d·(k−1)+1 = {span} 个像素，超过了填充后输入的 {padded} 个：请用更小的卷积核或更多的填充",
    "expected an (H, W) tensor, got {got}": "应为 (H, W) 的张量，实际是 {got}",
    "shifts should be between 0 and the size {height}x{width} (down and right), got rows={rows}, cols={cols}":
        "平移量应在 0 到大小 {height}×{width} 之间（向下和向右），实际是 rows={rows}, cols={cols}",
    "(32 + 2·1 − 5) / 3 = 9.67, floored to 9, plus 1 for the first position: 10 rows and 10 columns.":
        "(32 + 2·1 − 5) / 3 = 9.67，向下取整为 9，再为第一个位置加 1：输出 10 行 10 列。",
    "Rounding up counts a window that would run past the padded edge.":
        "向上取整会多算一个窗口，而它会越过填充后的边缘。",
    "The +1 counts the first window, at position 0.": "+1 算的是第一个窗口，即位置 0 上的那个。",
    "That is stride 1: stride 3 keeps every third position.": "那是步幅为 1 的结果：步幅为 3 时每三个位置只保留一个。",
    "Right: one kernel (3·5·5 weights and a bias per output map) is reused at every position, so more positions "
    "reuse the same numbers.":
        "对：同一个卷积核（3·5·5 个权重，每个输出特征图再加一个偏置）在每个位置上重复使用，"
        "所以位置再多，用的也还是这同一组数。",
    "No: convolution takes any size; a larger image simply gives a larger feature map (try the shape calculator). "
    "Nothing is resized.":
        "不对：卷积可以接受任意大小的输入；图像更大，得到的特征图也就更大（试试形状计算器）。图像并没有缩放。",
    "No: locality alone is not enough. A locally connected layer reads the same 5×5 windows but has its own weights "
    "at each position, so its count grows with the number of positions (section 4).":
        "不对。只有局部性还不够。局部连接层读的也是这些 5×5 窗口，但每个位置都有自己的一套权重，"
        "所以位置越多，参数就越多（第 4 节）。",
    "No: padding changes the output size, not the number of weights; conv1 has no padding at all.":
        "不对：填充改变的是输出大小，而不是权重的数量；况且 conv1 根本没有填充。",
    "No: a convolution uses the same kernel at every position, whatever its stride; that sharing is what makes it "
    "equivariant at stride 1.":
        "不对。不管步幅是多少，卷积在每个位置用的都是同一个卷积核。正是这种共享，让步幅为 1 的卷积具有等变性。",
    "No: the zeros that come in change only a band a few pixels wide along the border (section 5). At stride 2 the "
    "mismatch is everywhere, in the middle of the map too.":
        "不对。移进来的零只影响边界附近几个像素宽的一圈（第 5 节）。步幅为 2 时，整张图都对不上，中间也一样。",
    "Right: stride 2 computes the map at every second position only. A 1-pixel shift moves the content half an "
    "output pixel, between two positions the layer computes, so the new map holds values the old one never had. A "
    "2-pixel shift moves it by exactly one position.":
        "对。步幅为 2 时，只在每隔一个位置上计算输出。输入平移 1 个像素，内容只移动了半个输出像素，"
        "落在两个计算位置之间，所以新特征图里的值是旧图里从来没有过的。平移 2 个像素，输出就恰好移动一个位置。",
    "No: equivariance does not need a symmetric kernel. At stride 1, Sobel x's map moves with the input exactly "
    "(section 5); what stride 2 adds is that only every second position is kept.":
        "不对。等变性并不要求卷积核对称。步幅为 1 时，Sobel x 的特征图会精确地跟着输入移动（第 5 节）。"
        "步幅 2 带来的变化是：只保留每隔一个的位置。",
    "No: counting weights says nothing about what can be computed. What matters is that w1 followed by w2 is exactly "
    "one 5×5 kernel, which section 7's least-squares fit found with almost no error.":
        "不对。数权重的个数，说明不了能算出什么。关键在于：先用 w1 再用 w2，恰好等于一个 5×5 卷积核。"
        "第 7 节用最小二乘法找到了它，误差几乎为零。",
    "Right: a weighted sum of weighted sums is one weighted sum. Each output reads a 5×5 patch through the same 25 "
    "combined weights at every position: one convolution. max(x, 0) is not a weighted sum, so a ReLU in between "
    "breaks this.":
        "对。加权和的加权和，还是一个加权和。每个输出都用同样的 25 个合成权重去读一块 5×5 的图像块，"
        "每个位置都一样，这就是一个卷积。max(x, 0) 不是加权和，所以中间加一个 ReLU 就打破了这一点。",
    "No: negative responses pass through a linear layer like any others and carry information; nothing cancels. "
    "Setting them to 0 is what the ReLU does.":
        "不对。负的响应和其他值一样穿过线性层，也带着信息，并没有互相抵消。把它们置为 0 的，正是 ReLU。",
    "No: PyTorch runs both layers as written. The merge is arithmetic, not a speed trick: linear steps in a row are "
    "one linear step.":
        "不对。PyTorch 会按写好的样子运行两层。合并是算术上的事实，不是为了提速：连续的线性步骤就是一个线性步骤。",
    "It answers to brightness changing along the diagonal, and to nothing across it.":
        "它对沿这条对角线方向的亮度变化有响应，而对与之垂直的方向毫无响应。",
    "{problem}.": "{problem}。",
    "expected a (3, 3) tensor of numbers, got {got}.": "应为一个 (3, 3) 的数值张量，实际是 {got}。",
    "some weights are nan or inf: every weight should be an ordinary number.":
        "有些权重是 nan 或 inf：每个权重都应是普通的数。",
    "it gives (almost) nothing where dark top-left meets bright bottom-right. Give the corner cells top-left and "
    "bottom-right weights of opposite sign.":
        "在左上暗、右下亮的交界处，它（几乎）没有响应。给左上角和右下角的格子赋予符号相反的权重。",
    "it responds on a flat area: make the nine weights sum to 0.": "它在平坦区域也有响应：让九个权重之和为 0。",
    "it also responds to the other diagonal (dark bottom-left, bright top-right): make the weights equal along each "
    "line from bottom-left to top-right (w[r][c] depending only on r + c), like Sobel turned by 45 degrees.":
        "它对另一条对角线（左下暗、右上亮）也有响应：让从左下到右上的每条斜线上的权重相等"
        "（w[r][c] 只取决于 r + c），就像把 Sobel 算子旋转 45 度。",
    "Each layer adds (its span − 1) times the jump: the product of the strides before it.":
        "每一层增加（它的跨度 − 1）乘以步距（jump），步距就是它之前各层步幅的乘积。",
    "start with r = 1 and jump = 1; for each layer, r += d·(k−1)·jump (a dilated kernel spans d·(k−1)+1 pixels), "
    "then jump *= s.":
        "从 r = 1、jump = 1 开始；对每一层，先 r += d·(k−1)·jump（带空洞的卷积核跨越 d·(k−1)+1 个像素），"
        "再 jump *= s。",
    "identity": "恒等",
    "blur": "模糊",
    "sharpen": "锐化",
    "sobel x": "Sobel x",
    "sobel y": "Sobel y",
    "laplacian": "拉普拉斯",
    "emboss": "浮雕",
    "custom (typed in)": "自定义（手动输入）",
    "photo": "照片",
    "upload": "上传的图像",
    "signed": "带正负号",
    "as image": "当作图像",
    "preset": "预设",
    "image": "图像",
    "show": "显示方式",
    "Upload": "上传",
    "Could not use that file: {error}. Still showing the previous image.":
        "无法使用这个文件：{error}。仍显示之前的图像。",
    "No image uploaded yet: click Upload to choose a PNG or JPEG, or pick 'photo'.":
        "还没有上传图像：点击“上传”选择一张 PNG 或 JPEG 图像，或者选“照片”。",
    "The weight {names} is not a number: type a number between -10 and 10 in its box.":
        "权重 {names} 不是数：请在它的框里输入 -10 到 10 之间的数。",
    "colours: red > 0 > blue, saturated for the strongest 1% of |values|.":
        "颜色：红 > 0 > 蓝，|值| 最大的 1% 显示为最饱和的颜色。",
    "shown clipped to [0, 1] like a photo.": "像照片一样截断到 [0, 1] 后显示。",
    "The weights sum to <b>{total:.3g}</b>, so a flat patch of brightness b gives {total:.3g}·b. Output values run "
    "from {low:.3g} to {high:.3g}; {colours}":
        "权重之和为 <b>{total:.3g}</b>，所以亮度为 b 的平坦区域输出 {total:.3g}·b。"
        "输出值从 {low:.3g} 到 {high:.3g}；{colours}",
    "kernel 3x3": "卷积核 3×3",
    "feature map {size} ({show})": "特征图 {size}（{show}）",
    "input size": "输入大小",
    "kernel": "卷积核",
    "padding": "填充",
    "stride": "步幅",
    "dilation": "空洞",
    "in chans": "输入通道",
    "out chans": "输出通道",
    "output row": "输出行",
    "output col": "输出列",
    "Impossible: the kernel spans d·(k−1)+1 = {span} pixels but the padded input has only n+2p = {padded}. Make the "
    "input larger, the kernel or dilation smaller, or add padding.":
        "不可能：卷积核跨越 d·(k−1)+1 = {span} 个像素，但填充后的输入只有 n+2p = {padded} 个。"
        "请把输入调大、把卷积核或空洞调小，或者加上填充。",
    "{problem} (PyTorch says: {said})": "{problem}（PyTorch 的报错：{said}）",
    "✓ they agree": "✓ 两者一致",
    "✗ they DISAGREE": "✗ 两者不一致",
    "<b>output size</b>: formula ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = <b>{size}</b>; PyTorch's nn.Conv2d "
    "gives (N, {shape}): {agree}":
        "<b>输出大小</b>：公式 ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = <b>{size}</b>；"
        "PyTorch 的 nn.Conv2d 给出 (N, {shape})：{agree}",
    "<b>parameters</b>: {c_out}·({c_in}·{k}·{k} + 1) = {params:,} · <b>multiply-adds</b> per image: "
    "{size}·{size}·{c_out}·{c_in}·{k}·{k} = {macs:,}":
        "<b>参数</b>：{c_out}·({c_in}·{k}·{k} + 1) = {params:,} · 每张图像的<b>乘加次数</b>："
        "{size}·{size}·{c_out}·{c_in}·{k}·{k} = {macs:,}",
    "<b>input rows/cols never read</b>: {unread}": "<b>没有窗口看到的输入行/列</b>：{unread}",
    "none": "无",
    "orange: the taps behind the chosen output pixel · blue box: their span d·(k−1)+1 · grey: zero padding · pink: "
    "read by no output pixel":
        "橙色：所选输出像素看到的输入位置 · 蓝框：它们的跨度 d·(k−1)+1 · 灰色：零填充 · 粉色：没有任何输出像素看到",
    "input {c_in}x{n}x{n}, padded to {padded}x{padded}": "输入 {c_in}×{n}×{n}，填充后 {padded}×{padded}",
    "output {c_out}x{size}x{size}, pixel ({row}, {col})": "输出 {c_out}×{size}×{size}，像素 ({row}, {col})",
    # pool.py
    "the image should be at least 3x3 for a 3x3 Sobel kernel, got {shape}":
        "对 3×3 的 Sobel 卷积核，图像至少应为 3×3，实际是 {shape}",
    "expected two tensors, got {first} and {second}": "应为两个张量，实际是 {first} 和 {second}",
    "expected maps of the same shape, got {first} and {second}": "两张图的形状应当相同，实际是 {first} 和 {second}",
    "padding should be at most half the window ({span} pixels wide): at most {most}, got {padding!r} (PyTorch "
    "refuses it too: a window could hold nothing but padding)":
        "填充最多只能是窗口（{span} 个像素宽）的一半：最多 {most}，实际是 {padding!r}"
        "（PyTorch 也会报错：否则一个窗口里可能只有填充）",
    "the window ({span} pixels wide) is larger than the padded input ({padded}): input {shape}, kernel_size "
    "{kernel_size!r}, padding {padding!r}":
        "窗口（{span} 个像素宽）比填充后的输入（{padded}）还大：输入 {shape}，kernel_size {kernel_size!r}，"
        "padding {padding!r}",
    "feature_map should be an (H, W) float tensor, got {got}": "feature_map 应为 (H, W) 的浮点张量，实际是 {got}",
    "Padding is -inf, so a window of negatives still gives a negative maximum.":
        "填充值是 -inf，所以全是负数的窗口给出的最大值仍是负数。",
    "replace `...` with your 2x2 answer, e.g. [[a, b], [c, d]].":
        "把 `...` 换成你算出的 2×2 答案，例如 [[a, b], [c, d]]。",
    "write the answer as a list of 2 rows of 2 numbers ({error}).": "请把答案写成 2 行、每行 2 个数的列表（{error}）。",
    "padding is -inf, not 0: it can never be the maximum.": "填充值是 -inf，不是 0：它永远不会是最大值。",
    "window (i, j) covers rows 2i-1..2i+1 and columns 2j-1..2j+1 (row -1 is padding).":
        "窗口 (i, j) 覆盖第 2i-1..2i+1 行和第 2j-1..2j+1 列（第 -1 行是填充）。",
    "That is fc1 with both poolings (16x5x5 = 400 inputs).": "这是两个池化层都在时的 fc1，它有 16×5×5 = 400 个输入。",
    "Those are the weights: each of the 120 neurons has a bias too.": "这只是权重。120 个神经元每个还有一个偏置。",
    "That is the number of fc1's inputs (16x10x10); each of its 120 neurons weighs them all.":
        "这是 fc1 的输入个数（16×10×10）。它的 120 个神经元，每个都要给全部输入加权。",
    "conv2's 5x5 kernel trims 4 pixels: its maps are 10x10, not 14x14.":
        "conv2 的 5×5 卷积核会让边长少 4 个像素，所以它的特征图是 10×10，不是 14×14。",
    "That is fc1 without either pooling (16x24x24 inputs); the first pooling is still there.":
        "这是两个池化层都去掉时的 fc1（16×24×24 个输入）。可第一个池化层还在。",
    "With the first pooling only, the side goes 32, 28, 14, 10: fc1 takes 16x10x10 = 1,600 values and needs 1,600 x "
    "120 weights + 120 biases.":
        "只保留第一个池化层时，边长依次是 32、28、14、10。fc1 接收 16×10×10 = 1,600 个值，"
        "需要 1,600 × 120 个权重，再加 120 个偏置。",
    "No: that is average pooling, which shares each window's gradient among its 4 pixels.":
        "不对：那是平均池化，它把每个窗口的梯度平分给窗口里的 4 个像素。",
    "Yes: the output is a copy of the winner. Nudge any other pixel a little and the output does not move, so its "
    "derivative is 0; nudge the winner and the output moves by as much, so its derivative is 1.":
        "对：输出就是胜出者的一份拷贝。把其他任何像素稍微改动一点，输出都不变，所以它们的导数是 0；"
        "改动胜出者，输出就改变同样多，所以它的导数是 1。",
    "No: max is differentiable wherever the maximum is unique (almost everywhere). The gradient is 1 for the winner, "
    "and autograd computes it (the backward pass above checks that).":
        "不对：只要最大值唯一（几乎处处如此），max 就是可微的。胜出者的梯度是 1，"
        "自动微分（autograd）会把它算出来（上面的反向传播验证了这一点）。",
    "No: that is ReLU's rule. Max pooling compares the pixels of a window with each other, not with 0: a window of 4 "
    "positive pixels still sends its gradient to one of them.":
        "不对：那是 ReLU 的规则。最大池化比较的是窗口内像素彼此的大小，而不是和 0 比较："
        "4 个像素都是正数的窗口，也只把梯度传给其中一个。",
    "No: both keep one value per 2x2 window, so their outputs have the same size and every window is passed on. What "
    "differs is the value each window passes on.":
        "不对。两者都是每个 2×2 窗口留一个值，输出一样大，每个窗口都传了下去。不同的是每个窗口传下去的那个值。",
    "Yes: one edge pixel of strength e among three flat pixels near 0 averages to about e/4, below the threshold "
    "unless e is at least four times the threshold; the maximum is e itself. Averaging dilutes a thin edge, the "
    "maximum selects it.":
        "对。一个强度为 e 的边缘像素，加上三个接近 0 的平坦像素，平均下来只有 e/4 左右。"
        "除非 e 是阈值的四倍以上，否则就落到阈值以下了。最大值却正好是 e。平均会把细边缘冲淡，最大值则把它挑出来。",
    "No: these 2x2 windows at stride 2 have no padding at all. What pulls the mean down is the window's own flat "
    "pixels.":
        "不对。步幅为 2 的 2×2 窗口在这里根本没有填充。把平均值拉低的，是窗口自己的平坦像素。",
    "No: nothing is trained in this measurement, it is one forward pass over a fixed edge map. The gradient says where "
    "learning would go, not what the forward pass keeps.":
        "不对。这次测量没有训练任何东西，只是在一张固定的边缘图上做一次前向传播。"
        "梯度说明的是学习会往哪里走，而不是前向传播留下了什么。",
    "Every pixel collects grad_out / (k*k) from each window that holds it: 0, 1 or several.":
        "每个像素从包含它的每个窗口各收到 grad_out / (k*k)：这样的窗口可能有 0 个、1 个或好几个。",
    "start from zeros like x; for each output (i, j) add grad_out[i, j] / (k*k) to all of x[i*s:i*s+k, j*s:j*s+k]. "
    "Windows overlap when s < k, and some pixels are in no window when s > k.":
        "从与 x 形状相同的全零张量开始；对每个输出 (i, j)，把 grad_out[i, j] / (k*k) 加到 "
        "x[i*s:i*s+k, j*s:j*s+k] 的每个元素上。s < k 时窗口会重叠，s > k 时有些像素不在任何窗口里。",
    "window": "窗口",
    "max": "最大",
    "avg": "平均",
    "pooling": "池化",
    "padding {p} is more than half the window ({k}): at most {most}, or a window could hold nothing but padding":
        "填充 {p} 超过了窗口（{k}）的一半：最多只能是 {most}，否则一个窗口里可能只有填充",
    "the window ({k}x{k}) is larger than the padded map ({h}x{w})": "窗口（{k}×{k}）比填充后的图（{h}×{w}）还大",
    "feature map {h}x{w}": "特征图 {h}×{w}",
    "pooled output {h}x{w}": "池化输出 {h}×{w}",
    "max pooling": "最大池化",
    "avg pooling": "平均池化",
    "{kind}: {oh}x{ow} = {m} outputs from {h}x{w} = {n} inputs ({share:.0%}).":
        "{kind}：{oh}×{ow} = {m} 个输出，来自 {h}×{w} = {n} 个输入（{share:.0%}）。",
    "Grey border: padding, filled with -inf.": "灰色边框：填充，填入的是 -inf。",
    "Grey border: padding, filled with 0 (counted in the mean).": "灰色边框：填充，填入的是 0（计入平均值）。",
    "stride {s} > window {k}": "步幅 {s} > 窗口 {k}",
    "the last rows or columns do not fill a window": "最后几行或几列填不满一个窗口",
    "{count} pixels (dimmed) are in no window: {why}.": "{count} 个像素（变暗的）不在任何窗口里：{why}。",
    "<span style='color:rgb{color}'>Red</span>: the {count} winning pixels, the only ones to receive gradient "
    "({share:.0%} of the inputs).":
        "<span style='color:rgb{color}'>红色</span>：{count} 个胜出者，只有它们得到梯度（占输入的 {share:.0%}）。",
    "Every pixel in a window gets 1/{count} of its gradient.": "窗口里的每个像素得到该窗口梯度的 1/{count}。",
    "White and magenta: the first two windows and their outputs.": "白色和品红色：前两个窗口及其输出。",
    "shift (px)": "平移（像素）",
    "Shifted {shift} px right, max pooled {window}x{window}. Unchanged (exactly equal, at the same position): "
    "{pooled:.0%} of the pooled outputs, {pixels:.0%} of the feature map's pixels.":
        "向右平移 {shift} 像素，{window}×{window} 最大池化。不变的（在同一位置上完全相等）："
        "池化输出的 {pooled:.0%}，特征图像素的 {pixels:.0%}。",
    "feature map": "特征图",
    "shifted right": "向右平移后",
    "changed pixels (red)": "变化的像素（红色）",
    "max pooled": "最大池化后",
    "pooled after the shift": "平移后再池化",
    "changed outputs (red)": "变化的输出（红色）",

    "the map holds -inf values, which tie with the -inf padding: not supported here with padding {padding!r} "
    "(use padding 0, or F.max_pool2d)":
        "特征图中含有 -inf，会与 -inf 填充打成平手：这里在填充为 {padding!r} 时不支持"
        "（请用填充 0，或用 F.max_pool2d）",

    # --- fc.py, lenet.py, data.py, train.py, net.py
    "shapes from the input to flatten, drawn to one scale": "从输入到展平的各层形状，按同一比例画出",
    # fc.py
    "{name} should be a whole number, got {kind} {value!r}": "{name} 应为整数，实际是 {kind} {value!r}",
    "{name} should be at least 1, got {value}": "{name} 至少应为 1，实际是 {value}",
    "{conv}'s {kernel}x{kernel} kernel does not fit in the {n}x{n} map it gets: {n} - {kernel} + 1 = {left} pixels "
    "would be left. Use a smaller kernel or a larger input.":
        "{conv} 的 {kernel}×{kernel} 卷积核放不进它得到的 {n}×{n} 特征图：只会剩下 {n} - {kernel} + 1 = {left} 个像素。"
        "请用更小的卷积核或更大的输入。",
    "{pooled}'s {pool}x{pool} window does not fit in the {n}x{n} map it gets: {n} // {pool} = 0 pixels would be "
    "left. Use a smaller window or a larger input.":
        "{pooled} 的 {pool}×{pool} 窗口放不进它得到的 {n}×{n} 特征图：只会剩下 {n} // {pool} = 0 个像素。"
        "请用更小的窗口或更大的输入。",
    "expected (C, h, w) maps, got {got}": "应为 (C, h, w) 的特征图，实际是 {got}",
    "expected one image's logits, a tensor of shape ({count},), got {got}":
        "应为一张图像的 logits，即形状为 ({count},) 的张量，实际是 {got}",
    "{name} should have shape (3, 32, 32), got {shape}": "{name} 的形状应为 (3, 32, 32)，实际是 {shape}",
    "the logits should be a float tensor, got {got}: try torch.tensor(...).float()":
        "logits 应为浮点张量，实际是 {got}：试试 torch.tensor(...).float()",
    "dim should be one of the logits' dimensions (shape {shape}), got {dim!r}":
        "dim 应为 logits 的某一个维度（形状为 {shape}），实际是 {dim!r}",
    "the logits have no values along dim {dim} (shape {shape})": "logits 沿维度 {dim} 没有任何值（形状为 {shape}）",
    "cross_entropy takes logits of shape (N, C), one row per example, got {shape}: for one example use z[None]; "
    "other layouts are not supported here":
        "cross_entropy 接受形状为 (N, C) 的 logits，每个样本一行，实际是 {shape}：只有一个样本时用 z[None]；"
        "这里不支持其他排列方式",
    "target should hold class numbers as an int64 (torch.long) tensor, got {got}; class probabilities (float "
    "targets) are not supported here":
        "target 应为存放类别编号的 int64（torch.long）张量，实际是 {got}；这里不支持类别概率（浮点数的 target）",
    "target should have shape ({rows},), one class number per row of logits, got {shape}":
        "target 的形状应为 ({rows},)，logits 的每一行对应一个类别编号，实际是 {shape}",
    "target holds class {bad}, but there are {count} classes: 0 to {last}":
        "target 中有类别 {bad}，但一共只有 {count} 个类别：0 到 {last}",
    "{name} should be a float tensor of weight's dtype ({dtype}), got {got}":
        "{name} 应为与 weight 数据类型相同（{dtype}）的浮点张量，实际是 {got}",
    "expected x (..., in_features) and weight (out_features, in_features), got x {x} and weight {weight}":
        "应为 x (..., in_features) 和 weight (out_features, in_features)，实际是 x {x} 和 weight {weight}",
    "bias should have shape ({out},), one per output, got {shape}":
        "bias 的形状应为 ({out},)，每个输出一个，实际是 {shape}",
    "the backward pass takes a batch x (N, in_features) and grad_out (N, {out}), got x {x} and grad_out {grad}":
        "反向传播接受一批 x (N, in_features) 和 grad_out (N, {out})，实际是 x {x} 和 grad_out {grad}",
    "the learning rate should be a number >= 0, got {lr!r}": "学习率应为 >= 0 的数，实际是 {lr!r}",
    "{chain}, so the maps are {c}×{h}×{w} = {n} numbers": "{chain}，特征图是 {c}×{h}×{w} = {n} 个数",
    "write the sizes (a list of whole numbers) in place of `...`, then run the cell again.":
        "把 `...` 换成这些尺寸（一个整数列表），然后再运行这个单元格。",
    "the answer should be a list of whole numbers such as [30, 31], got {got}.":
        "答案应是一个整数列表，比如 [30, 31]，实际是 {got}。",
    "{size} is missing: {story}, just what fc1 takes. Each pooling rounds down (//).":
        "漏了 {size}：{story}，正是 fc1 要的数量。池化每次都向下取整（//）。",
    "{size} does not fit: {story}": "{size} 不行：{story}",
    "{said}, but fc1 takes {n}.": "{said}，而 fc1 只接受 {n} 个。",
    "{sizes}: each pooling rounds down, so these sizes all end in 5×5 maps. Any other size needs another fc1, or a "
    "layer that pools to a fixed size first.":
        "{sizes}：池化每次都向下取整，所以这几个尺寸最后都得到 5×5 的特征图。其他尺寸要换一个 fc1，"
        "或者先用一层把特征图池化到固定大小。",
    "0.1 is the probability of the right class; the loss is minus its log.":
        "0.1 是正确类别的概率；损失是它的对数取负。",
    "a loss of 0 needs probability 1 on the right class; here it gets only 1/10.":
        "损失为 0 要求正确类别的概率为 1；这里它只得到 1/10。",
    "1 would be -log(1/e): the loss is -log(1/10).": "1 是 -log(1/e)：而损失是 -log(1/10)。",
    "10 is the number of classes; the loss is its natural log.": "10 是类别数；损失是它的自然对数。",
    "Equal logits give every class 1/10, and -log(1/10) = ln 10 ≈ 2.303: an untrained classifier starts near this "
    "loss.":
        "相等的 logits 给每个类别 1/10 的概率，而 -log(1/10) = ln 10 ≈ 2.303：未训练的分类器，损失就从这附近开始。",
    "Right: nn.CrossEntropyLoss applies log_softmax itself; a softmax in forward would be applied twice, squashing "
    "the logits into [0, 1] and shrinking the gradients.":
        "对：nn.CrossEntropyLoss 自己会做 log_softmax；在 forward 里再加 softmax 就会做两次，"
        "把 logits 压进 [0, 1]，梯度也随之变小。",
    "No: softmax is cheap (one exp per class); speed is not the reason.":
        "不对：softmax 的计算量很小（每个类别一次 exp）；原因不在速度。",
    "No: softmax keeps the order of the scores, so the argmax (the predicted class) is the same with or without "
    "it; it does not make the prediction more accurate.":
        "不对：softmax 不改变得分的大小顺序，所以有没有它 argmax（预测的类别）都一样；它不会让预测更准确。",
    "No: a softmax is differentiable and backpropagation goes through it; the trouble is that the loss already has "
    "one inside it.":
        "不对：softmax 是可微的，反向传播可以穿过它；问题在于损失函数里已经有一个 softmax 了。",
    "The gradient is the prediction minus the truth, per example.": "每个样本的梯度就是预测减去真实值。",
    "differentiate -z[y] + logsumexp(z): each row gets softmax(z) minus 1 at the right class (F.one_hot(target, "
    "C)); the mean over N rows divides everything by N. Use a stable softmax.":
        "对 -z[y] + logsumexp(z) 求导：每一行得到 softmax(z)，并在正确类别处减 1（F.one_hot(target, C)）；"
        "对 N 行求平均会把所有值都除以 N。请用数值稳定的 softmax。",
    "photo, mirrored": "照片（镜像）",
    "noise (seed {seed})": "噪声（种子 {seed}）",
    "conv kernel": "卷积核大小",
    "pool window": "池化窗口",
    "flatten {c}x{h}x{w} = {n}": "展平 {c}×{h}×{w} = {n}",
    "input": "输入",
    "stage": "阶段",
    "layer": "层",
    "output size": "输出大小",
    "shape": "形状",
    "values": "数值个数",
    "<p>flatten: {c} × {h} × {w} = <b>{n:,}</b> numbers per image, so <code>fc1 = nn.Linear({c} * {h} * {w}, "
    "120)</code> = <code>nn.Linear({n}, 120)</code> with {parameters:,} parameters.</p>":
        "<p>展平：{c} × {h} × {w} = 每张图像 <b>{n:,}</b> 个数，所以 <code>fc1 = nn.Linear({c} * {h} * {w}, "
        "120)</code> = <code>nn.Linear({n}, 120)</code>，共 {parameters:,} 个参数。</p>",
    "temperature T": "温度 T",
    "softmax(logits / T): bar height = probability, grey line = 1/{count}":
        "softmax(logits / T)：柱高 = 概率，灰线 = 1/{count}",
    "class": "类别",
    "probability": "概率",
    "<p>T = {temperature:g}: probabilities sum to {total:.6f}; predicted class (argmax) = {name}.</p>":
        "<p>T = {temperature:g}：概率之和为 {total:.6f}；预测的类别（argmax）= {name}。</p>",
    "fc1 neuron": "fc1 神经元",
    "<p>neuron {neuron}: w · x = {total:+.4f} (the sum of the {count} products on the right), + bias {bias:+.4f} = "
    "<b>{activation:+.4f}</b>; after ReLU <b>{relu:.4f}</b>. For this input it ranks {rank} of {neurons} fc1 "
    "neurons (1 = most active).</p>":
        "<p>神经元 {neuron}：w · x = {total:+.4f}（右边 {count} 个乘积之和），加上偏置 {bias:+.4f} = "
        "<b>{activation:+.4f}</b>；经过 ReLU 后为 <b>{relu:.4f}</b>。对这个输入，它在 {neurons} 个 fc1 神经元中"
        "排第 {rank}（1 = 最活跃）。</p>",
    "input image 3x32x32": "输入图像 3×32×32",
    "what fc1 sees: {c} maps of {side}x{side}": "fc1 看到的：{c} 张 {side}×{side} 的特征图",
    "this neuron's weights": "这个神经元的权重",
    "weight x input: each product": "权重 × 输入：每个乘积",
    # lenet.py
    "after training": "训练后",
    "before training": "训练前",
    "channel": "通道",
    "weights": "权重",
    "<b>{layer}</b>, channel {channel} of {channels}: a {h}x{w} map, strongest response {peak:.2f} (its window in "
    "the input is boxed); {zero:.0%} of it is zero.<br>Network {network}: predicts <b>{guess}</b> ({p:.0%}); the "
    "true class {truth} gets {q:.0%}.":
        "<b>{layer}</b>，第 {channel} 个通道（共 {channels} 个）：{h}×{w} 的特征图，最强响应为 {peak:.2f}"
        "（它在输入中的窗口已用方框标出）；其中 {zero:.0%} 为零。<br>{network}的网络：预测为 <b>{guess}</b>"
        "（{p:.0%}）；真实类别（{truth}）得到 {q:.0%}。",
    "{layer}, channel {channel}": "{layer}，通道 {channel}",
    "all {count} channels": "全部 {count} 个通道",
    "images should be (K, 3, 32, 32) uint8, got {shape} {dtype}":
        "images 应为 (K, 3, 32, 32) 的 uint8，实际是 {shape} {dtype}",
    "expected one label per image ({count}), got shape {shape}":
        "应为每张图像一个标签（共 {count} 个），实际形状是 {shape}",
    "add up the five layers: a convolution costs out_channels x out_height x out_width x in_channels x k x k (the "
    "maps stay 28x28 and 10x10 whatever the channels), a linear layer in x out, pooling none.":
        "把五层加起来：一个卷积层的开销是 out_channels × out_height × out_width × in_channels × k × k"
        "（无论通道数是多少，特征图都是 28×28 和 10×10），一个全连接层是 in × out，池化层为零。",
    "conv2 costs in_channels x out_channels: doubling both channel counts quadruples it.":
        "conv2 的开销与 in_channels × out_channels 成正比：两个通道数都翻倍，开销就变成 4 倍。",
    "Four times 32x32's count assumes conv2's map grows 4x, but a 5x5 kernel loses 4 rows and columns at any size.":
        "32×32 时次数的 4 倍，是假设 conv2 的特征图变大 4 倍；但无论大小如何，5×5 卷积核都会损失 4 行和 4 列。",
    "{small:,} is conv2's count for 32x32 images: the maps grow with the image.":
        "{small:,} 是 32×32 图像时 conv2 的次数：特征图会随图像一起变大。",
    "64x64 -> conv1 {conv1}x{conv1} -> pool {pool1}x{pool1} -> conv2 {side}x{side}: 16 x {side} x {side} x 6 x 5 x "
    "5 = {large:,}, {ratio:.2f}x the 32x32 count ({small:,}), not 4x: the 4 rows and columns each 5x5 kernel loses "
    "weigh less in a bigger image. (fc1 would need {inputs} inputs, not 400: Net itself refuses 64x64 images.)":
        "64×64 -> conv1 {conv1}×{conv1} -> 池化 {pool1}×{pool1} -> conv2 {side}×{side}：16 × {side} × {side} × 6 × 5 "
        "× 5 = {large:,}，是 32×32 时次数（{small:,}）的 {ratio:.2f} 倍，而不是 4 倍："
        "每个 5×5 卷积核损失的 4 行和 4 列，在更大的图像中占比更小。"
        "（fc1 将需要 {inputs} 个输入，而不是 400：Net 本身不接受 64×64 的图像。）",
    "the diagonal holds the right answers, so leave it out (e.g. matrix - torch.diag(matrix.diag())); rows are true "
    "classes and columns predicted ones: divmod(index, number of classes) gives (row, column).":
        "对角线上是预测正确的数目，所以先把它去掉（例如 matrix - torch.diag(matrix.diag())）；行是真实类别，"
        "列是预测的类别：divmod(index, 类别数) 给出 (行, 列)。",
    "That pair is where to look first: show a few of those images and see why.":
        "先看这一对：显示几张这样的图像，看看为什么。",
    "input: {label}": "输入：{label}",
    "{layer}: {count} maps of {h}x{w}": "{layer}：{count} 张 {h}×{w} 的特征图",
    "predicted class": "预测类别",
    "true class": "真实类别",
    "Confusion matrix, {count:,} test images": "混淆矩阵：{count:,} 张测试图像",
    "Right: backward adds each new gradient to the one in .grad (so that the gradients of several losses can be "
    "summed), and zero_grad empties it. Without it, the step after batch n follows the sum of n batches' gradients, "
    "old ones included, computed where the weights no longer are.":
        "对。backward 会把新的梯度加到 .grad 里已有的梯度上，这样几个损失的梯度才能相加；zero_grad 负责把它清空。"
        "少了这一行，第 n 个小批量之后的那一步就沿着 n 个小批量梯度之和走，"
        "其中的旧梯度是在权重早已离开的地方算出来的。",
    "backward adds to .grad, it does not replace it: after one backward of 2w, w.grad holds {once}; after a second, "
    "{twice}. That is why zero_grad exists.":
        "backward 是往 .grad 上加，而不是替换。对 2w 做一次 backward，w.grad 是 {once}；再做一次，就变成 {twice}。"
        "所以才需要 zero_grad。",
    "No error: PyTorch adds the new gradients to the old ones without a word (w.grad goes from {once} to {twice}), "
    "which is what makes this mistake quiet.":
        "不会报错。PyTorch 一声不响地把新梯度加到旧梯度上，w.grad 从 {once} 变成 {twice}。"
        "正因为不报错，这个错误才不容易发现。",
    "The weights still change at every step, only in the direction of the summed gradients.":
        "权重每一步照样在变，只是沿着这些梯度之和的方向变。",
    "Right: of the three directions the red, green and blue weights at a pixel span, one is brightness and two are "
    "differences between colours, so untrained kernels already put {share:.0%} of their squared weights there "
    "(measured on {layers} untrained conv1 layers). 70% says something about training only beside that number.":
        "对。同一位置上红、绿、蓝三个权重构成一个三维空间，其中一个方向是亮度，另外两个是颜色之间的差异。"
        "所以未训练的卷积核本来就有 {share:.0%} 的平方权重落在颜色差异上（在 {layers} 个未训练的 conv1 上测得）。"
        "只有和这个数相比，70% 才能说明训练做了什么。",
    "More epochs measure more training, not what training did: there is still no untrained share to compare with.":
        "多训练几轮，测到的只是训练得更久，而不是训练做了什么。还是没有未训练时的比例可以对比。",
    "The test accuracy says how well the whole network classifies, not where conv1's weights lie.":
        "测试准确率说明整个网络分类分得多好，说明不了 conv1 的权重落在哪里。",
    "Over half is not the question: untrained kernels already put {share:.0%} of their squared weights there "
    "(measured on {layers} untrained conv1 layers), so 70% alone cannot show what training did.":
        "问题不在于是否过半。未训练的卷积核本来就有 {share:.0%} 的平方权重落在那里"
        "（在 {layers} 个未训练的 conv1 上测得），所以单看 70% 说明不了训练做了什么。",
    # net.py
    "Net expects a batch of images of shape (N, 3, 32, 32), got {shape}":
        "Net 需要一批形状为 (N, 3, 32, 32) 的图像，实际是 {shape}",
    "airplane": "飞机",
    "plane": "飞机",
    "automobile": "汽车",
    "car": "汽车",
    "bird": "鸟",
    "cat": "猫",
    "deer": "鹿",
    "dog": "狗",
    "frog": "青蛙",
    "horse": "马",
    "ship": "船",
    "truck": "卡车",
    "disk": "圆盘",
    "ring": "圆环",
    "square": "正方形",
    "triangle": "三角形",
    "plus": "加号",
    "cross": "叉号",
    "h-stripes": "横条纹",
    "v-stripes": "竖条纹",
    "diagonal": "斜条纹",
    "checker": "棋盘格",
    # data.py
    "offline shapes": "离线数据集",
    "{name} ({train:,} training and {test:,} test images of shape {shape}, {classes} classes)":
        "{name}（{train:,} 张训练图像，{test:,} 张测试图像，形状为 {shape}，共 {classes} 个类别）",
    "expected a uint8 tensor of images (as stored in Data), got {got}":
        "应为存放图像的 uint8 张量（和 Data 中存放的一样），实际是 {got}",
    "count should be a positive int, got {count!r}": "count 应为正整数，实际是 {count!r}",
    "Downloading CIFAR-10": "正在下载 CIFAR-10",
    "the download is truncated or corrupted ({size:,} bytes, MD5 mismatch)":
        "下载的文件不完整或已损坏（{size:,} 字节，MD5 校验不符）",
    "an SSL error ({error}). Your Python could not verify the server's certificate: update your certificates "
    "(`pip install --upgrade certifi`; on macOS run 'Install Certificates.command' in the Python folder). "
    "Never turn SSL checks off":
        "SSL 错误（{error}）。你的 Python 无法验证服务器的证书：请更新证书（`pip install --upgrade certifi`；"
        "在 macOS 上运行 Python 文件夹中的“Install Certificates.command”）。千万不要关闭 SSL 检查",
    "the server answered HTTP {code} ({reason})": "服务器返回了 HTTP {code}（{reason}）",
    "no network connection ({error})": "没有网络连接（{error}）",
    "the files in {folder} are incomplete or corrupted": "{folder} 中的文件不完整或已损坏",
    "{archive} was truncated or corrupted and has been removed": "{archive} 不完整或已损坏，已被删除",
    "it is not in {root} and downloading was not allowed": "它不在 {root} 中，而且不允许下载",
    "{problem}, and downloading a fresh copy failed: {reason}": "{problem}，而且重新下载失败了：{reason}",
    "To use CIFAR-10, connect to the internet and run again with DATASET = 'auto' or 'cifar10' (170 MB, downloaded "
    "once into {where}), or download {url} yourself and put it in {where}.":
        "要使用 CIFAR-10，请连上互联网，并在 DATASET = 'auto' 或 'cifar10' 时重新运行（170 MB，只下载一次，"
        "存入 {where}）；或者自己下载 {url}，放到 {where} 中。",
    "dataset should be one of {datasets}, got {dataset!r}": "dataset 应为 {datasets} 之一，实际是 {dataset!r}",
    "Dataset: CIFAR-10 from {root}: {data}": "数据集：来自 {root} 的 CIFAR-10：{data}",
    "CIFAR-10 is not available: {error}. {how}": "无法使用 CIFAR-10：{error}。{how}",
    "⚠️ CIFAR-10 is not available: {error}.\nFalling back to the offline default dataset.":
        "⚠️ 无法使用 CIFAR-10：{error}。\n改用离线数据集。",
    "You chose the offline dataset (DATASET = 'offline').": "你选择了离线数据集（DATASET = 'offline'）。",
    ", ": "、",  # between the items of a list: class names, a function's arguments
    "{why}\nDataset: {data}\n  generated on this computer from seed {seed}, no download needed: {classes}.\n  {how}":
        "{why}\n数据集：{data}\n  由种子 {seed} 在这台计算机上生成，无需下载：{classes}。\n  {how}",
    "Data folder: {folder} ({note}).": "数据文件夹：{folder}（{note}）。",
    "from {variable}, read-only: only read; checkpoints go in {checkpoints}":
        "来自 {variable}，只读：只从中读取；检查点保存在 {checkpoints}",
    "from {variable}: CIFAR-10 and checkpoints": "来自 {variable}：存放 CIFAR-10 和检查点",
    "CIFAR-10 and checkpoints{why}; set {variable} to choose another folder":
        "存放 CIFAR-10 和检查点{why}；设置 {variable} 可以换一个文件夹",
    ", as data/ beside the notebook is read-only": "，因为 notebook 旁边的 data/ 是只读的",
    "it is not in {root}": "它不在 {root} 中",
    "{problem}; {root} is read-only here, so nothing in it is changed or downloaded: ask whoever manages it for a "
    "complete copy, or set {variable} to a folder you can write to":
        "{problem}；{root} 在这里是只读的，所以不会修改其中的任何文件，也不会下载到那里："
        "请向管理它的人要一份完整的副本，或者把 {variable} 设为一个你有写入权限的文件夹",
    # train.py
    "the loss diverged (it became {loss}) at step {step}": "损失在第 {step} 步发散了（变成了 {loss}）",
    "{error} of epoch {epoch}: lower the learning rate (lr={lr})":
        "{error}，这是第 {epoch} 轮：请调低学习率（lr={lr}）",
    "epoch {epoch}/{epochs}: loss {loss:.3f}, training accuracy {train:.1%}, test accuracy {test:.1%} "
    "({seconds:.1f} s of training)":
        "第 {epoch}/{epochs} 轮：损失 {loss:.3f}，训练准确率 {train:.1%}，测试准确率 {test:.1%}"
        "（已训练 {seconds:.1f} 秒）",
    "{name} (the notebook's {upper}) should be a whole number of at least 1, got {value!r}":
        "{name}（notebook 中的 {upper}）应为不小于 1 的整数，实际是 {value!r}",
    "lr should be a positive number such as 0.006, got {lr!r}": "lr 应为正数，例如 0.006，实际是 {lr!r}",
    "optimizer should be 'adam' or 'sgd', got {optimizer!r}": "optimizer 应为 'adam' 或 'sgd'，实际是 {optimizer!r}",
    "device should be 'cpu', 'cuda' or 'mps', got {device!r}": "device 应为 'cpu'、'cuda' 或 'mps'，实际是 {device!r}",
    "device {device!r} is not available on this computer: use 'cpu' (the parameter cell picks 'cuda' only when "
    "torch.cuda.is_available())":
        "这台计算机上没有设备 {device!r}：请用 'cpu'（参数单元格只在 torch.cuda.is_available() 为真时才选 'cuda'）",
    "expected two (N,) tensors of class indices, got {predicted} and {labels}":
        "应为两个存放类别编号、形状为 (N,) 的张量，实际是 {predicted} 和 {labels}",
    "class indices should be in 0..{last}": "类别编号应在 0..{last} 之间",
    "could not save the checkpoint to {path}: {kind}: {error}. Choose a folder you can write to":
        "无法把检查点保存到 {path}：{kind}：{error}。请选一个你有写入权限的文件夹",
    "no checkpoint at {path}: train and save_checkpoint first": "{path} 处没有检查点：请先训练，再调用 save_checkpoint",
    "{path} is not a readable checkpoint: the file is empty, truncated or of another kind ({kind}). Save it again "
    "with save_checkpoint":
        "{path} 不是可读取的检查点：文件是空的、不完整，或者是别的类型（{kind}）。请用 save_checkpoint 重新保存",
    "Training, epoch {epoch}/{epochs}": "训练第 {epoch}/{epochs} 轮",
    "batches": "个小批量",
    "epoch": "轮（epoch）",
    "loss (cross-entropy)": "损失（交叉熵）",
    "training loss per batch": "每个小批量的训练损失",
    "training batches": "训练小批量",
    "test images": "测试图像",
    "accuracy": "准确率",
    "accuracy after each epoch": "每轮之后的准确率",
    "Training progress and curves (run the notebook to see them live)": "训练进度和曲线（运行 notebook 即可实时查看）",

    # ---- browser-side views (utils/view.py, utils/web/*.js)
    "anywidget is not installed here, so this widget is redrawn by the kernel (slower). For instant "
    "redraws: %pip install anywidget, then restart the kernel.":
        "这里没有安装 anywidget，所以这个小部件由内核重画，会慢一些。想让它立刻响应，"
        "请运行 %pip install anywidget，然后重启内核。",
    "{weight:.3g} × {pixel:.3g} = {product:.3g}": "{weight:.3g} × {pixel:.3g} = {product:.3g}",
    "Feature map pixel ({row}, {col}): weight × pixel under each of the 9 taps (0 outside the image: padding 1), "
    "then their sum.":
        "特征图像素 ({row}, {col})：卷积核 9 个位置上的权重 × 像素（图像之外是 0，即填充 1），再把它们加起来。",
    "sum of the 9 products = {value:.4g}": "9 个乘积之和 = {value:.4g}",
    "Output ({i}, {j}) reads the {k}x{k} window at rows {top}..{bottom}, columns {left}..{right} (outside the map: "
    "padding).":
        "输出 ({i}, {j}) 看到第 {top}..{bottom} 行、第 {left}..{right} 列的 {k}×{k} 窗口（特征图之外是填充）。",
    "The winner, in bold at ({row}, {col}), is the output: {value:.4g}.":
        "胜出者（粗体，位于 ({row}, {col})）就是输出：{value:.4g}。",
    "The output is the mean of the {count} values, padding counted as 0: {value:.4g}.":
        "输出是这 {count} 个值的平均值，填充按 0 计：{value:.4g}。",
    # the static site and its handouts (tools/website.py): the bar on top, the widgets' captions
    "Contents": "目录",
    "PDF handout": "PDF 讲义",
    "Run it yourself": "自己运行",
    "A picture of the widget. Run the notebook to move its controls.":
        "这是小部件的静态图片。运行 notebook 后才能调节它。",
    "A live widget: run the notebook to use it.": "这是一个交互小部件，运行 notebook 后才能使用。",
}
