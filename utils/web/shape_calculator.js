// conv.ShapeCalculator in the browser: a Conv2d's settings -> output shape, cost, and the patch behind a pixel.
import {Picture, SettingError, drawBox, escapeHtml, fitFactor, mount, upscale} from "./common.js";

const SHAPE_CALCULATOR = {
  compute({n, k, padding: p, stride: s, dilation: d, c_in, c_out, row, col}, data, tr) {
    const size = Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
    const span = d * (k - 1) + 1, padded = n + 2 * p;
    if (size <= 0) {  // PyTorch refuses it too: its own words, captured by the kernel
      const problem = tr("Impossible: the kernel spans d·(k−1)+1 = {span} pixels but the padded input has only " +
                         "n+2p = {padded}. Make the input larger, the kernel or dilation smaller, or add padding.",
                         {span, padded});
      const said = data.pytorch_refusal.replace(/\{padded\}/g, padded).replace(/\{span\}/g, span);
      throw new SettingError(tr("{problem} (PyTorch says: {said})", {problem, said}));
    }
    row = Math.min(row, size - 1);  // the output row/col sliders reach exactly the output's last pixel
    col = Math.min(col, size - 1);
    const params = c_out * (c_in * k * k + 1), macs = size * size * c_out * c_in * k * k;
    const read = new Array(padded).fill(false);
    for (let i = 0; i < size; i++) for (let j = 0; j < k; j++) read[i * s + d * j] = true;
    const factor = fitFactor(padded, padded, data.scale.pixels * 256);
    return {
      settings: {row, col},
      limits: {row: {max: size - 1}, col: {max: size - 1}},
      text: describe(tr, n, k, p, s, d, c_in, c_out, size, params, macs, read),
      panels: [inputPanel(tr, data.colors, n, k, p, s, d, c_in, row, col, read, factor),
               outputPanel(tr, data.colors, size, c_out, row, col, factor)],
    };
  },
};

function taps(index, k, s, d) {
  return Array.from({length: k}, (_, j) => index * s + d * j);
}

function describe(tr, n, k, p, s, d, c_in, c_out, size, params, macs, read) {
  const unread = [];
  for (let i = p; i < p + n; i++) if (!read[i]) unread.push(i - p);
  const line = `nn.Conv2d(${c_in}, ${c_out}, kernel_size=${k}, stride=${s}, padding=${p}, dilation=${d})`;
  return [
    tr("<b>output size</b>: formula ⌊({n} + 2·{p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = <b>{size}</b>; " +
       "PyTorch's nn.Conv2d gives (N, {shape}): {agree}",
       {n, p, d, k, s, size, shape: [c_out, size, size].join(", "), agree: tr("✓ they agree")}),
    tr("<b>parameters</b>: {c_out}·({c_in}·{k}·{k} + 1) = {params:,} · <b>multiply-adds</b> per image: " +
       "{size}·{size}·{c_out}·{c_in}·{k}·{k} = {macs:,}", {c_out, c_in, k, params, size, macs}),
    `<b>PyTorch</b>: <code>${escapeHtml(line)}</code>`,
    tr("<b>input rows/cols never read</b>: {unread}", {unread: unread.length ? unread : tr("none")}),
    tr("orange: the taps behind the chosen output pixel · blue box: their span d·(k−1)+1 · grey: zero " +
       "padding · pink: read by no output pixel"),
  ].join("<br>");
}

function gridPicture(cells, factor, colors) {  // conv._grid_picture: thin grid lines when cells are big enough
  const big = upscale(cells, factor);
  if (factor >= 6) {
    for (let y = 0; y < big.height; y += factor) big.fill(y, y + 1, 0, big.width, colors.LINE);
    for (let x = 0; x < big.width; x += factor) big.fill(0, big.height, x, x + 1, colors.LINE);
  }
  return big;
}

function inputPanel(tr, colors, n, k, p, s, d, c_in, row, col, read, factor) {
  const padded = n + 2 * p, cells = new Picture(padded, padded);
  const inside = i => i >= p && i < p + n;
  for (let y = 0; y < padded; y++) {
    for (let x = 0; x < padded; x++) {
      const pad = !(inside(y) && inside(x)), unread = !(read[y] && read[x]);
      if (pad && unread) cells.set(y, x, colors.UNREAD_PAD);
      else if (unread) cells.set(y, x, colors.UNREAD);
      else if (pad) cells.set(y, x, colors.PAD);
    }
  }
  for (const y of taps(row, k, s, d)) for (const x of taps(col, k, s, d)) cells.set(y, x, colors.TAP);
  const big = gridPicture(cells, factor, colors);
  const span = d * (k - 1) + 1;
  drawBox(big, row * s, col * s, span, span, factor, colors.BOX);
  return {title: tr("input {c_in}x{n}x{n}, padded to {padded}x{padded}", {c_in, n, padded}), picture: big};
}

function outputPanel(tr, colors, size, c_out, row, col, factor) {
  const cells = new Picture(size, size, colors.OUT);
  cells.set(row, col, colors.TAP);
  return {title: tr("output {c_out}x{size}x{size}, pixel ({row}, {col})", {c_out, size, row, col}),
          picture: gridPicture(cells, factor, colors)};
}

export default {render: ({model, el}) => mount(model, el, SHAPE_CALCULATOR)};
