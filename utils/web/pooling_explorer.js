// pool.PoolingExplorer in the browser: window, stride, padding and max/avg over a feature map, and, pointing at an
// output pixel, its window: the values in it and the winner (max) or their mean (avg).
import {Picture, SettingError, bytes, colorize, drawBox, escapeHtml, f32, fitFactor, floats, mount, pyFormat,
        upscale} from "./common.js";

// F.max_pool2d(x, k, s, p, return_indices=True) / F.avg_pool2d(x, k, s, p) on an (h, w) map, as PyTorch's CPU kernels
// compute them: the first largest value in row order wins (padding never does); the mean counts padding as 0 and
// sums in float32.
function pool2d(map, h, w, k, s, p, mode) {
  const oh = Math.floor((h + 2 * p - k) / s) + 1, ow = Math.floor((w + 2 * p - k) / s) + 1;
  const out = new Float32Array(oh * ow), index = new Int32Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      const y0 = i * s - p, x0 = j * s - p;
      const ys = Math.max(y0, 0), ye = Math.min(y0 + k, h), xs = Math.max(x0, 0), xe = Math.min(x0 + k, w);
      if (mode === "max") {
        let best = -Infinity, at = ys * w + xs;
        for (let y = ys; y < ye; y++) {
          for (let x = xs; x < xe; x++) {
            const v = map[y * w + x];
            if (v > best || Number.isNaN(v)) { best = v; at = y * w + x; }
          }
        }
        out[i * ow + j] = best;
        index[i * ow + j] = at;
      } else {
        let sum = 0;
        for (let y = ys; y < ye; y++) for (let x = xs; x < xe; x++) sum = f32(sum + map[y * w + x]);
        out[i * ow + j] = f32(sum / (k * k));
      }
    }
  }
  return {out, index, oh, ow};
}

// pool.covered: which of `size` input positions some of `count` windows cover.
function covered(size, k, s, p, count) {
  const hit = new Array(size + 2 * p).fill(false);
  for (let start = 0; start < count * s; start += s) for (let i = start; i < start + k && i < hit.length; i++) hit[i] = true;
  return hit.slice(p, p + size);
}

// pool.outline: a one-pixel ring around every marked cell of an upscaled picture.
function outline(marked, h, w, factor, color, pic) {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!marked[y * w + x]) continue;
      const top = y * factor, left = x * factor;
      pic.fill(top, top + 1, left, left + factor, color);
      pic.fill(top + factor - 1, top + factor, left, left + factor, color);
      pic.fill(top, top + factor, left, left + 1, color);
      pic.fill(top, top + factor, left + factor - 1, left + factor, color);
    }
  }
}

const POOLING_EXPLORER = {
  compute({window: k, stride: s, padding: p, mode}, data, tr) {
    const [h, w] = data.shape, map = floats(data.map), c = data.colors, most = data.max_padding;
    if (p > Math.floor(k / 2)) {
      throw new SettingError(tr("padding {p} is more than half the window ({k}): at most {most}, or a window " +
                                "could hold nothing but padding", {p, k, most: Math.floor(k / 2)}));
    }
    if (k > Math.min(h, w) + 2 * p) {
      throw new SettingError(tr("the window ({k}x{k}) is larger than the padded map ({h}x{w})",
                                {k, h: h + 2 * p, w: w + 2 * p}));
    }
    const {out, index, oh, ow} = pool2d(map, h, w, k, s, p, mode);
    const factor = fitFactor(h + 2 * most, w + 2 * most, data.scale.pixels * 256), lut = bytes(data.luts.activation);
    const rgb = colorize(map, h, w, "activation", lut, 0, data.vmax);
    const rows = covered(h, k, s, p, oh), cols = covered(w, k, s, p, ow);
    const canvas = new Picture(h + 2 * p, w + 2 * p, c.PADDING);
    let unseen = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const colour = rgb.get(y, x), seen = rows[y] && cols[x];
        unseen += !seen;
        canvas.set(y + p, x + p, seen ? colour : colour.map(v => Math.trunc(v * c.SKIPPED)));
      }
    }
    const picture = upscale(canvas, factor);
    let winners = null;
    if (mode === "max") {
      winners = new Uint8Array(h * w);
      for (const i of index) winners[i] = 1;
      const padded = new Uint8Array((h + 2 * p) * (w + 2 * p));
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) padded[(y + p) * (w + 2 * p) + x + p] = winners[y * w + x];
      outline(padded, h + 2 * p, w + 2 * p, factor, c.WINNER, picture);
    }
    const pooled = upscale(colorize(out, oh, ow, "activation", lut, 0, data.vmax), factor);
    [c.FIRST, c.SECOND].slice(0, ow).forEach((colour, i) => {
      drawBox(picture, 0, i * s, k, k, factor, colour);
      drawBox(pooled, 0, i, 1, 1, factor, colour);
    });
    const legend = ["activation", 0, data.vmax];
    return {
      text: describe(tr, mode, k, s, p, h, w, oh, ow, unseen, winners, c.WINNER),
      panels: [{title: tr("feature map {h}x{w}", {h, w}), picture, legend},
               {title: tr("pooled output {h}x{w}", {h: oh, w: ow}), picture: pooled, legend,
                meta: {map, h, w, k, s, p, mode, out, index, oh, ow, factor}}],
    };
  },

  // Pointing at an output pixel: its window over the padded map, the winner in bold (max) or the mean (avg).
  point(panel, y, x, meta, tr) {
    if (panel !== 1 || !meta) return null;
    const {map, h, w, k, s, p, mode, out, index, oh, ow, factor} = meta;
    const i = Math.floor(y / factor), j = Math.floor(x / factor);
    if (i < 0 || j < 0 || i >= oh || j >= ow) return null;
    const top = i * s - p, left = j * s - p, rows = [];
    for (let y = top; y < top + k; y++) {
      const cells = [];
      for (let x = left; x < left + k; x++) {
        const inside = y >= 0 && y < h && x >= 0 && x < w, winner = mode === "max" && inside && index[i * ow + j] === y * w + x;
        const shown = inside ? pyFormat(map[y * w + x], ".4g") : mode === "max" ? "−inf" : "0";
        cells.push(`<td${winner ? ' class="cnn-chosen"' : ""}>${shown}</td>`);
      }
      rows.push(`<tr>${cells.join("")}</tr>`);
    }
    const value = out[i * ow + j];
    const head = tr("Output ({i}, {j}) reads the {k}x{k} window at rows {top}..{bottom}, columns {left}..{right} " +
                    "(outside the map: padding).", {i, j, k, top, bottom: top + k - 1, left, right: left + k - 1});
    const at = index[i * ow + j];
    const result = mode === "max"
      ? tr("The winner, in bold at ({row}, {col}), is the output: {value:.4g}.",
           {row: Math.floor(at / w), col: at % w, value})
      : tr("The output is the mean of the {count} values, padding counted as 0: {value:.4g}.", {count: k * k, value});
    return `<p>${escapeHtml(head)}</p><table>${rows.join("")}</table><p>${escapeHtml(result)}</p>`;
  },
};

// pool.PoolingExplorer.describe: sizes, skipped pixels, where the gradient goes.
function describe(tr, mode, k, s, p, h, w, oh, ow, unseen, winners, winnerColour) {
  const n = h * w, m = oh * ow;
  const kind = mode === "max" ? tr("max pooling") : tr("avg pooling");
  const parts = [tr("{kind}: {oh}x{ow} = {m} outputs from {h}x{w} = {n} inputs ({share:.0%}).",
                    {kind, oh, ow, m, h, w, n, share: m / n})];
  if (p) {
    parts.push(mode === "max" ? tr("Grey border: padding, filled with -inf.")
      : tr("Grey border: padding, filled with 0 (counted in the mean)."));
  }
  if (unseen) {
    const why = s > k ? tr("stride {s} > window {k}", {s, k}) : tr("the last rows or columns do not fill a window");
    parts.push(tr("{count} pixels (dimmed) are in no window: {why}.", {count: unseen, why}));
  }
  if (winners) {
    const count = winners.reduce((a, b) => a + b, 0);
    parts.push(tr("<span style='color:rgb{color}'>Red</span>: the {count} winning pixels, the only ones to " +
                  "receive gradient ({share:.0%} of the inputs).",
                  {color: `(${winnerColour.join(", ")})`, count, share: count / n}));
  } else {
    parts.push(tr("Every pixel in a window gets 1/{count} of its gradient.", {count: k * k}));
  }
  parts.push(tr("White and magenta: the first two windows and their outputs."));
  return parts.join(" ");
}

export default {render: ({model, el}) => mount(model, el, POOLING_EXPLORER)};
