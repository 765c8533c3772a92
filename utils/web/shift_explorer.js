// pool.ShiftExplorer in the browser: shift a 32x32 crop of the edge map right; which max-pooled outputs change?
import {Picture, bytes, colorize, f32, fitFactor, floats, mount, upscale} from "./common.js";

// The (size, size) crop of the (H, W) map at rows top.., columns left..
function crop(map, width, top, left, size) {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) out.set(map.subarray((top + y) * width + left, (top + y) * width + left + size), y * size);
  return out;
}

// F.max_pool2d(m, window): stride = window, no padding, the rows and columns that do not fill a window dropped.
function maxPool(values, height, width, window) {
  const oh = Math.floor(height / window), ow = Math.floor(width / window), out = new Float32Array(oh * ow);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      let best = -Infinity;
      for (let y = i * window; y < i * window + window; y++) {
        for (let x = j * window; x < j * window + window; x++) {
          const v = values[y * width + x];
          if (v > best || Number.isNaN(v)) best = v;
        }
      }
      out[i * ow + j] = best;
    }
  }
  return {values: out, height: oh, width: ow};
}

// pool.unchanged_fraction: the share of positions holding exactly the same value (a float32 mean, as torch's).
function unchanged(a, b) {
  let same = 0;
  for (let i = 0; i < a.length; i++) same += a[i] === b[i];
  return f32(same / a.length);
}

// pool.changes: red where the two maps differ, light grey where they agree.
function changes(a, b, height, width, factor, colors) {
  const cells = new Picture(height, width, colors.SAME);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) cells.set(Math.floor(i / width), i % width, colors.CHANGED);
  return upscale(cells, factor);
}

const SHIFT_EXPLORER = {
  columns: 3,
  compute({shift, window}, data, tr) {
    const map = floats(data.map), [height, width] = data.shape, {size, max_shift: most, top} = data;
    const before = crop(map, width, top, most, size), after = crop(map, width, top, most - shift, size);
    const pooled = [before, after].map(m => maxPool(m, size, size, window));
    const sameMap = unchanged(before, after), samePool = unchanged(pooled[0].values, pooled[1].values);
    const factor = fitFactor(size, size, data.scale.pixels * 208);
    const lut = bytes(data.luts.activation);
    const draw = (values, h, w) => upscale(colorize(values, h, w, "activation", lut, 0, data.vmax), factor);
    const [p, q] = pooled, legend = ["activation", 0, data.vmax];
    return {
      text: tr("Shifted {shift} px right, max pooled {window}x{window}. Unchanged (exactly equal, at the same " +
               "position): {pooled:.0%} of the pooled outputs, {pixels:.0%} of the feature map's pixels.",
               {shift, window, pooled: samePool, pixels: sameMap}),
      panels: [
        {title: tr("feature map"), picture: draw(before, size, size), legend},
        {title: tr("shifted right"), picture: draw(after, size, size), legend},
        {title: tr("changed pixels (red)"), picture: changes(before, after, size, size, factor, data.colors)},
        {title: tr("max pooled"), picture: draw(p.values, p.height, p.width), legend},
        {title: tr("pooled after the shift"), picture: draw(q.values, q.height, q.width), legend},
        {title: tr("changed outputs (red)"), picture: changes(p.values, q.values, p.height, p.width, factor,
                                                              data.colors)},
      ],
    };
  },
};

export default {render: ({model, el}) => mount(model, el, SHIFT_EXPLORER)};
