// conv.KernelPlayground in the browser: a 3x3 kernel over the photo (or an upload), the feature map, and, pointing at
// a pixel of the feature map, its arithmetic: the nine products and their sum.
import {SettingError, bytes, colorize, escapeHtml, f32, fitFactor, floats, mount, upscale} from "./common.js";

const WEIGHTS = ["w00", "w01", "w02", "w10", "w11", "w12", "w20", "w21", "w22"];

// F.conv2d(image, w, padding=1) in float32: each output the sum of its nine products, in the kernel's row order
// (PyTorch's CPU kernel sums in this order: the browser test checks the pictures pixel for pixel).
function convolve(image, height, width, w) {
  const out = new Float32Array(height * width);
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      let sum = 0;
      for (let i = 0; i < 3; i++) {
        const y = r + i - 1;
        if (y < 0 || y >= height) continue;  // zero padding: adding 0 changes no sum
        for (let j = 0; j < 3; j++) {
          const x = c + j - 1;
          if (x >= 0 && x < width) sum = f32(sum + f32(w[3 * i + j] * image[y * width + x]));
        }
      }
      out[r * width + c] = sum;
    }
  }
  return out;
}

// torch.quantile(values, q) with linear interpolation, as torch computes it: the rank q·(n−1) from q in float32,
// then a float32 lerp between the two values around it.
function quantile(values, q) {
  const sorted = Float32Array.from(values).sort();
  const rank = f32(q) * (sorted.length - 1), below = Math.trunc(rank), above = Math.ceil(rank);
  const weight = f32(rank - below), start = sorted[below], end = sorted[above];
  return weight < 0.5 ? f32(start + f32(weight * f32(end - start))) : f32(end - f32(f32(end - start) * f32(1 - weight)));
}

// conv.KernelPlayground._fill_weights: a new preset fills the boxes; a box changed away from the preset -> custom.
function fillWeights(settings, data, memory) {
  const typed = WEIGHTS.map(n => settings[n]);
  let preset = settings.preset;
  const kernel = data.kernels[preset];
  if (preset !== memory.preset && preset !== data.custom) {
    WEIGHTS.forEach((n, i) => { settings[n] = kernel[i]; });
  } else if (preset !== data.custom && !typed.every((v, i) => Math.abs(v - kernel[i]) <= 1e-8 + 1e-5 * Math.abs(kernel[i]))) {
    preset = settings.preset = data.custom;
  }
  memory.preset = preset;
  return WEIGHTS.map(n => settings[n]);
}

const KERNEL_PLAYGROUND = {
  compute(settings, data, tr, memory) {
    const {image, show} = settings;
    if (!(image in data.images)) {
      throw new SettingError(tr("No image uploaded yet: click Upload to choose a PNG or JPEG, or pick 'photo'."));
    }
    if (memory.preset === undefined) memory.preset = data.preset;
    const weights = fillWeights(settings, data, memory);
    const adjusted = Object.fromEntries(["preset", ...WEIGHTS].map(n => [n, settings[n]]));
    const bad = WEIGHTS.filter((n, i) => !Number.isFinite(weights[i]));
    if (bad.length) {
      throw new SettingError(tr("The weight {names} is not a number: type a number between -10 and 10 in its box.",
                                {names: bad.join(", ")}));
    }
    const w = Float32Array.from(weights);
    const [height, width] = data.shapes[image], pixels = floats(data.images[image]);
    const map = convolve(pixels, height, width, w);
    let total = 0, low = Infinity, high = -Infinity, top = 0;
    const lanes = new Float32Array(8);  // w.sum() as torch sums nine floats: eight lanes, then the lanes in order
    w.forEach((v, i) => { lanes[i % 8] = f32(lanes[i % 8] + v); top = Math.max(top, Math.abs(v)); });
    for (const v of lanes) total = f32(total + v);
    for (const v of map) { low = Math.min(low, v); high = Math.max(high, v); }
    top = top || 1.0;
    const colours = show === "signed" ? tr("colours: red > 0 > blue, saturated for the strongest 1% of |values|.")
      : tr("shown clipped to [0, 1] like a photo.");
    const size = `${height}×${width}`, display = data.scale.pixels * data.display;
    const signed = bytes(data.luts.signed);
    let shown, legend = null;
    if (show === "signed") {  // saturated for the strongest 1%, so that faint edges show (as conv.stretch does)
      const limit = quantile(map.map(Math.abs), 0.99) || 1.0;
      shown = colorize(map, height, width, "signed", signed, -limit, limit);
      legend = ["signed", -limit, limit];
    } else {
      shown = colorize(map, height, width, "image");
    }
    const factor = fitFactor(height, width, display);
    return {
      settings: adjusted,
      text: tr("The weights sum to <b>{total:.3g}</b>, so a flat patch of brightness b gives {total:.3g}·b. " +
               "Output values run from {low:.3g} to {high:.3g}; {colours}", {total, low, high, colours}),
      panels: [
        {title: `${data.labels[image]} ${size}`, picture: upscale(colorize(pixels, height, width, "image"), factor)},
        {title: tr("kernel 3x3"), legend: ["signed", -top, top],
         picture: upscale(colorize(w, 3, 3, "signed", signed, -top, top), fitFactor(3, 3, data.scale.pixels * 96))},
        {title: tr("feature map {size} ({show})", {size, show: data.labels[show]}), picture: upscale(shown, factor),
         legend, meta: {pixels, map, w, height, width, factor}},
      ],
    };
  },

  // Pointing at the feature map: the 3x3 patch under the kernel, each weight times its pixel, and their sum.
  point(panel, y, x, meta, tr) {
    if (panel !== 2 || !meta) return null;
    const {pixels, map, w, height, width, factor} = meta, row = Math.floor(y / factor), col = Math.floor(x / factor);
    if (row < 0 || col < 0 || row >= height || col >= width) return null;
    const cells = [];
    for (let i = 0; i < 3; i++) {
      const tds = [];
      for (let j = 0; j < 3; j++) {
        const r = row + i - 1, c = col + j - 1, inside = r >= 0 && r < height && c >= 0 && c < width;
        const value = inside ? pixels[r * width + c] : 0, weight = w[3 * i + j];
        tds.push(`<td>${escapeHtml(tr("{weight:.3g} × {pixel:.3g} = {product:.3g}",
                                      {weight, pixel: value, product: f32(weight * value)}))}</td>`);
      }
      cells.push(`<tr>${tds.join("")}</tr>`);
    }
    return `<p>${escapeHtml(tr("Feature map pixel ({row}, {col}): weight × pixel under each of the 9 taps (0 outside " +
                               "the image: padding 1), then their sum.", {row, col}))}</p><table>${cells.join("")}` +
      `</table><p>${escapeHtml(tr("sum of the 9 products = {value:.4g}", {value: map[row * width + col]}))}</p>`;
  },

  // Beside the menus: a file of the learner's own, sent to the kernel (which decodes it as the Python view does).
  // The browser's own file input says "Choose File" in the browser's language: it stays hidden behind a button
  // that speaks the learner's.
  extraControls(box, model, tr) {
    if (model.kernel === false) return;  // a page with no kernel: the photo only
    const label = document.createElement("span");
    label.className = "cnn-control cnn-upload";
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/*";
    input.hidden = true;
    input.addEventListener("change", async () => {
      const file = input.files[0];
      if (file) model.send({upload: file.name}, [await file.arrayBuffer()]);
      input.value = "";
    });
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = tr("Upload");
    button.dataset.lmSuppressShortcuts = "true";
    button.addEventListener("click", () => input.click());
    label.append(button, input);
    box.appendChild(label);
  },
};

export default {render: ({model, el}) => mount(model, el, KERNEL_PLAYGROUND)};
