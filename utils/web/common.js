// What every browser-side view shares: Python's number formatting, pictures drawn as utils/draw.py draws them
// (same float32 arithmetic, same colour tables), and the widget's frame: controls, message, pictures, text.
//
// A view module imports from here and exports `export default {render({model, el}) {return mount(model, el, VIEW)}}`
// where VIEW = {compute(settings, data, tr, memory) -> {panels, text, settings?, limits?}, point?(...)}.
// The model holds `controls` (what to draw), `settings` (synced with the kernel), `data` (what the module needs:
// the strings in the learner's language, colour tables, pixels) and `note` (a message from the kernel).
// utils/view.py joins this file and the view's file into one module (anywidget loads one module per widget).

export const f32 = Math.fround;

// ---------------------------------------------------------------------------------------------------------------
// Text: Python's str.format, for the templates the kernel passes (the catalog's English keys, translated).

export class SettingError extends Error {}

const FIELD = /\{\{|\}\}|\{([A-Za-z_]\w*)(![rs])?(?::([^{}]*))?\}/g;

// A template with {name}, {name!r} and {name:spec} fields filled from values, as Python's str.format does.
export function format(template, values = {}) {
  return template.replace(FIELD, (whole, name, conversion, spec) => {
    if (whole === "{{") return "{";
    if (whole === "}}") return "}";
    if (!(name in values)) throw new Error(`no value for {${name}} in ${JSON.stringify(template)}`);
    const value = values[name];
    if (conversion === "!r") return pyRepr(value);
    return spec ? pyFormat(value, spec) : pyStr(value);
  });
}

// A translator: the English key -> the learner's text (from data.strings), its fields filled.
export function translator(strings) {
  return (english, values) => {
    if (!(english in strings)) throw new Error(`the kernel passed no text for ${JSON.stringify(english)}`);
    return values ? format(strings[english], values) : strings[english];
  };
}

// str(value) as Python prints it: numbers, strings, lists as [a, b], Tuple as (a, b).
export function pyStr(value) {
  if (value instanceof Tuple) return `(${value.items.map(pyRepr).join(", ")}${value.items.length === 1 ? "," : ""})`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

export function pyRepr(value) {
  return typeof value === "string" ? `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : pyStr(value);
}

export class Tuple {
  constructor(...items) { this.items = items; }
}

// |x| as an exact decimal: the integer n and the power k with |x| = n / 10^k (every double is one).
function exactDecimal(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let power = -1074;
  if (exponent) { mantissa |= 1n << 52n; power = exponent - 1075; }
  return power >= 0 ? {n: mantissa << BigInt(power), k: 0} : {n: mantissa * 5n ** BigInt(-power), k: -power};
}

// |x| rounded to `places` decimals (half to even, as Python does on the exact value): a BigInt of units.
function roundedUnits(x, places) {
  const {n, k} = exactDecimal(x);
  if (k <= places) return n * 10n ** BigInt(places - k);
  const divisor = 10n ** BigInt(k - places), q = n / divisor, r = n % divisor;
  return 2n * r > divisor || (2n * r === divisor && q % 2n === 1n) ? q + 1n : q;
}

function fixedDigits(x, places) {  // |x| with `places` decimals, no sign
  const digits = roundedUnits(x, places).toString().padStart(places + 1, "0");
  return places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
}

function decimalExponent(x) {  // floor(log10(|x|)) exactly, for x != 0
  const {n, k} = exactDecimal(x);
  return n.toString().length - 1 - k;
}

function generalDigits(x, precision) {  // |x| in format 'g' with `precision` significant digits, no sign
  if (x === 0) return "0";
  let exponent = decimalExponent(x);
  let units = roundedUnits(x, precision - 1 - exponent);
  if (units.toString().length > precision) exponent += 1;  // 9.99 -> 10.0
  if (exponent < -4 || exponent >= precision) {
    units = roundedUnits(x, precision - 1 - exponent);
    let digits = units.toString().slice(0, precision);
    digits = (digits[0] + "." + digits.slice(1)).replace(/\.?0+$/, "");
    const sign = exponent < 0 ? "-" : "+";
    return `${digits}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return fixedDigits(x, precision - 1 - exponent).replace(/(\.\d*?)0+$/, "$1").replace(/\.$/, "");
}

function grouped(digits, separator) {  // "1234567.5" -> "1,234,567.5"
  const [whole, fraction] = digits.split(".");
  const out = whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  return fraction === undefined ? out : `${out}.${fraction}`;
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([deEfFgG%sn])?$/;

// format(value, spec) as Python does, for the specs the series uses: d, f, g, e, %, with sign, width and ','.
export function pyFormat(value, spec) {
  const m = SPEC.exec(spec);
  if (!m) throw new Error(`unsupported format spec ${JSON.stringify(spec)}`);
  const [, fill = " ", align, sign = "-", , zero, width, group, precision, type] = m;
  if (typeof value === "string") return pad(value, width, fill, align || "<");
  const negative = value < 0 || Object.is(value, -0);
  const x = Math.abs(value);
  let digits;
  if (!Number.isFinite(x)) digits = Number.isNaN(x) ? "nan" : "inf";
  else if (type === "f" || type === "F") digits = fixedDigits(x, precision === undefined ? 6 : +precision);
  else if (type === "%") digits = fixedDigits(x * 100, precision === undefined ? 6 : +precision) + "%";
  else if (type === "e" || type === "E") digits = exponential(x, precision === undefined ? 6 : +precision);
  else if (type === "g" || type === "G") digits = generalDigits(x, precision === undefined ? 6 : Math.max(1, +precision));
  else if (type === "d" || Number.isInteger(value)) digits = String(x);
  else digits = String(x);
  if (group) digits = grouped(digits, group);
  const signed = (negative && !(digits === "nan")) ? "-" : sign === "+" ? "+" : sign === " " ? " " : "";
  if (zero && !align) return signed + digits.padStart(Math.max(0, (+width || 0) - signed.length), "0");
  return pad(signed + digits, width, fill, align || ">");
}

function exponential(x, precision) {
  const exponent = x === 0 ? 0 : decimalExponent(x);
  let units = roundedUnits(x, precision - exponent), e = exponent;
  if (units.toString().length > precision + 1) { e += 1; units = roundedUnits(x, precision - e); }
  const digits = units.toString().padStart(precision + 1, "0");
  return `${digits[0]}${precision ? "." + digits.slice(1) : ""}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

function pad(text, width, fill, align) {
  const missing = Math.max(0, (+width || 0) - [...text].length);
  if (align === "<") return text + fill.repeat(missing);
  if (align === "^") return fill.repeat(Math.floor(missing / 2)) + text + fill.repeat(Math.ceil(missing / 2));
  return fill.repeat(missing) + text;
}

// Python's round(x) for a number: half to even.
export function pyRound(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
}

// draw.number: 3 significant digits and a true minus sign, as the legends print.
export function legendNumber(value) {
  return pyFormat(value, ".3g").replace(/-/g, "−");
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers the kernel passes as bytes.

export function floats(view) {  // a DataView of little-endian float32 -> Float32Array (a copy, aligned)
  return new Float32Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

export function bytes(view) {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

// ---------------------------------------------------------------------------------------------------------------
// Pictures: an (h, w) RGBA array, drawn as utils/draw.py draws (h, w, 3) uint8 arrays.

export class Picture {
  constructor(height, width, color = [255, 255, 255]) {
    this.height = height;
    this.width = width;
    this.rgba = new Uint8ClampedArray(height * width * 4);
    this.fill(0, height, 0, width, color);
  }

  fill(y0, y1, x0, x1, color) {  // rows y0..y1-1, columns x0..x1-1 (clipped to the picture), as rgb[y0:y1, x0:x1]
    y0 = Math.max(0, y0); x0 = Math.max(0, x0); y1 = Math.min(this.height, y1); x1 = Math.min(this.width, x1);
    for (let y = y0; y < y1; y++) {
      for (let x = x0, i = (y * this.width + x0) * 4; x < x1; x++, i += 4) {
        this.rgba[i] = color[0]; this.rgba[i + 1] = color[1]; this.rgba[i + 2] = color[2]; this.rgba[i + 3] = 255;
      }
    }
    return this;
  }

  get(y, x) {
    const i = (y * this.width + x) * 4;
    return [this.rgba[i], this.rgba[i + 1], this.rgba[i + 2]];
  }

  set(y, x, color) {
    return this.fill(y, y + 1, x, x + 1, color);
  }
}

// draw.upscale: nearest neighbour, each cell factor x factor pixels.
export function upscale(small, factor) {
  const big = new Picture(small.height * factor, small.width * factor);
  const src = new Uint32Array(small.rgba.buffer), dst = new Uint32Array(big.rgba.buffer);
  for (let y = 0; y < big.height; y++) {
    const row = Math.floor(y / factor) * small.width, out = y * big.width;
    for (let x = 0; x < big.width; x++) dst[out + x] = src[row + Math.floor(x / factor)];
  }
  return big;
}

// draw.fit_factor: the whole-number upscale that brings the longer side near `size`.
export function fitFactor(height, width, size) {
  return Math.max(1, Math.floor(size / Math.max(height, width)));
}

// draw.colorize for one channel: values (Float32Array, row-major h x w) -> a Picture.
//   style "image": grey, clipped to [0, 1]; "signed"/"activation": through the 256-colour `lut` from low to high.
// The arithmetic is NumPy's in float32: (a - low) / (high - low), clipped, * 255 + 0.5, truncated.
export function colorize(values, height, width, style, lut = null, low = 0, high = 1) {
  const picture = new Picture(height, width), rgba = picture.rgba;
  const lo = f32(low), span = f32((high - low) || 1.0);
  for (let i = 0; i < height * width; i++) {
    let index, v = values[i];
    if (style === "image") {
      v = v < 0 ? 0 : v > 1 ? 1 : v;
      const grey = Math.trunc(f32(f32(v * 255) + 0.5));
      rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = grey;
    } else {
      let s = f32(f32(v - lo) / span);
      s = s < 0 ? 0 : s > 1 ? 1 : s;
      index = Math.trunc(f32(f32(s * 255) + 0.5));
      rgba[4 * i] = lut[3 * index]; rgba[4 * i + 1] = lut[3 * index + 1]; rgba[4 * i + 2] = lut[3 * index + 2];
    }
    rgba[4 * i + 3] = 255;
  }
  return picture;
}

// draw.picture: colorize, then upscale to about `size` pixels.
export function picture(values, height, width, style, size, lut, low, high) {
  return upscale(colorize(values, height, width, style, lut, low, high), fitFactor(height, width, size));
}

// draw.draw_box: a rectangle outline in source-cell coordinates on an upscaled picture.
export function drawBox(pic, top, left, height, width, factor, color, thickness = 2) {
  const y0 = Math.max(0, top * factor), x0 = Math.max(0, left * factor);
  const y1 = Math.min(pic.height, (top + height) * factor), x1 = Math.min(pic.width, (left + width) * factor);
  if (y1 <= y0 || x1 <= x0) return pic;
  const t = thickness;
  pic.fill(y0, y0 + t, x0, x1, color);
  pic.fill(Math.max(y0, y1 - t), y1, x0, x1, color);
  pic.fill(y0, y1, x0, x0 + t, color);
  pic.fill(y0, y1, Math.max(x0, x1 - t), x1, color);
  return pic;
}

// A picture from the kernel: PNG bytes, decoded once (a chart's frame with its labels, say).
export async function decodePng(view) {
  const bitmap = await createImageBitmap(new Blob([bytes(view)], {type: "image/png"}));
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext("2d");
  context.drawImage(bitmap, 0, 0);
  const pic = new Picture(bitmap.height, bitmap.width);
  pic.rgba.set(context.getImageData(0, 0, bitmap.width, bitmap.height).data);
  return pic;
}

export function copy(pic) {
  const out = new Picture(pic.height, pic.width);
  out.rgba.set(pic.rgba);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The widget: controls on top, a message line, the pictures (canvas at their own pixel size, caption above, legend
// below), what pointing at a picture explains, and the text. Redrawn in the next animation frame after a change.

const STYLE = `
.cnn-live {font-size: var(--cnn-text, 15px); line-height: 1.4; font-family: var(--jp-ui-font-family, system-ui,
  -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
  "Microsoft YaHei", "PingFang SC", "Series Sans SC", sans-serif); color: #111;}
.cnn-live .cnn-controls {margin-bottom: 6px;}
.cnn-live .cnn-row {display: flex; flex-wrap: wrap; gap: 4px 18px; align-items: center; margin-bottom: 4px;}
.cnn-live label.cnn-control {display: inline-flex; align-items: center; gap: 6px; white-space: nowrap;}
.cnn-live input[type=range] {width: calc(10 * var(--cnn-text, 15px));}
.cnn-live input[type=number] {width: calc(4.5 * var(--cnn-text, 15px)); font: inherit;}
.cnn-live select, .cnn-live button {font: inherit;}
.cnn-live .cnn-toggle button {border: 1px solid #999; background: #eee; padding: 1px 10px; cursor: pointer;}
.cnn-live .cnn-toggle button.cnn-on {background: #444; color: white;}
.cnn-live .cnn-readout {min-width: 3ch; display: inline-block;}
.cnn-live .cnn-message {color: #b00020; min-height: 0;}
.cnn-live .cnn-pictures {display: flex; flex-wrap: wrap; gap: 0 12px; align-items: flex-start;}
.cnn-live .cnn-panel {margin-bottom: 8px; flex: 0 0 auto;}
.cnn-live canvas {display: block; image-rendering: pixelated;}
.cnn-live .cnn-legend-labels {display: flex; justify-content: space-between; gap: 0.5em;}
.cnn-live .cnn-point {min-height: 1.4em; color: #333;}
.cnn-live .cnn-point table, .cnn-live .cnn-text table {border-collapse: collapse;}
.cnn-live td, .cnn-live th {padding: 2px 12px; text-align: right;}
.cnn-live .cnn-point td {padding: 1px 6px; border: 1px solid #ddd;}
.cnn-live .cnn-point td.cnn-chosen {font-weight: bold; background: #fde2e4;}
`;

function addStyle() {
  if (document.getElementById("cnn-live-style")) return;
  const style = document.createElement("style");
  style.id = "cnn-live-style";
  style.textContent = STYLE;
  document.head.appendChild(style);
}

function element(tag, className, parent) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  // A focused control keeps its keys: JupyterLab's shortcuts (the slideshow's arrows, Space) skip such an element.
  if (["input", "select", "button"].includes(tag)) e.dataset.lmSuppressShortcuts = "true";
  if (parent) parent.appendChild(e);
  return e;
}

// One control, as the kernel's spec says: slider, options slider, dropdown, toggle buttons or a number box.
function makeControl(spec, onChange) {
  const label = element("label", "cnn-control");
  label.dataset.name = spec.name;
  if (spec.label) element("span", "cnn-label", label).textContent = spec.label;
  let input, readout, show;
  if (spec.kind === "slider" || spec.kind === "options-slider") {
    input = element("input", "cnn-slider", label);
    input.type = "range";
    readout = element("span", "cnn-readout", label);
    const values = spec.kind === "options-slider" ? spec.options.map(o => o[1]) : null;
    if (values) input.dataset.options = JSON.stringify(values);
    show = (value, limit) => {
      if (values) {
        input.min = 0; input.max = values.length - 1; input.step = 1;
        input.value = values.findIndex(v => v === value);
        readout.textContent = spec.options[+input.value][0];
      } else {
        input.min = spec.min; input.max = limit && limit.max !== undefined ? limit.max : spec.max;
        input.step = spec.step || 1; input.value = value;
        readout.textContent = pyStr(value);
      }
      for (const a of ["min", "max"]) input.setAttribute(`aria-value${a}`, input[a]);
      input.setAttribute("aria-valuenow", input.value);
    };
    input.addEventListener("input", () => onChange(spec.name, values ? values[+input.value] : +input.value));
  } else if (spec.kind === "dropdown") {
    input = element("select", "cnn-dropdown", label);
    for (const [text, value] of spec.options) {
      const option = element("option", "", input);
      option.textContent = text;
      option.value = JSON.stringify(value);
    }
    show = value => { input.value = JSON.stringify(value); };
    input.addEventListener("change", () => onChange(spec.name, JSON.parse(input.value)));
  } else if (spec.kind === "toggle") {
    input = element("span", "cnn-toggle", label);
    const buttons = spec.options.map(([text, value]) => {
      const button = element("button", "", input);
      button.type = "button";
      button.textContent = text;
      button.dataset.value = JSON.stringify(value);
      button.addEventListener("click", () => onChange(spec.name, value));
      return [button, value];
    });
    show = value => buttons.forEach(([b, v]) => b.classList.toggle("cnn-on", v === value));
  } else if (spec.kind === "number") {
    input = element("input", "cnn-number", label);
    input.type = "number";
    Object.assign(input, {min: spec.min, max: spec.max, step: spec.step});
    show = value => { if (+input.value !== value || input.value === "") input.value = pyStr(value); };
    const changed = () => {  // as a BoundedFloatText: clipped to its range; not a number stays not a number
      const value = input.value === "" ? NaN : Math.min(spec.max, Math.max(spec.min, +input.value));
      onChange(spec.name, value);
    };
    input.addEventListener("change", changed);
    input.addEventListener("input", changed);
  } else {
    throw new Error(`unknown control kind ${spec.kind}`);
  }
  input.dataset.name = spec.name;
  return {label, input, show};
}

// Mount a view in `el`. Gives the cleanup function anywidget calls when the view goes.
export function mount(model, el, view) {
  addStyle();
  el.classList.add("cnn-live");
  let data = model.get("data");
  const tr = () => translator(data.strings);
  const memory = {};  // what a view keeps between redraws (the last preset, say)
  const root = element("div", "cnn-view", el);
  const controlsBox = element("div", "cnn-controls", root);
  const message = element("div", "cnn-message", root);
  const note = element("div", "cnn-message cnn-note", root);
  const heading = element("div", "cnn-heading", root);
  const pictures = element("div", "cnn-pictures", root);
  const point = element("div", "cnn-point", root);
  const text = element("div", "cnn-text", root);
  let settings = {...model.get("settings")}, limits = {}, panels = [], frame = null, drawn = 0;

  const controls = {};
  const changed = (name, value) => {
    settings = {...settings, [name]: value};
    note.textContent = "";
    schedule(true);
  };
  let row = null;
  model.get("controls").forEach((spec, i) => {  // rows of three, as the kernel's widget: a 3x3 kernel is a grid
    if (i % 3 === 0) row = element("div", "cnn-row", controlsBox);
    const control = makeControl(spec, changed);
    controls[spec.name] = control;
    row.appendChild(control.label);
  });
  if (view.extraControls) view.extraControls(controlsBox.firstChild || controlsBox, model, tr());

  function showControls() {
    for (const [name, control] of Object.entries(controls)) control.show(settings[name], limits[name]);
  }

  function redraw(save) {
    frame = null;
    const t0 = performance.now();
    let result;
    try {
      result = view.compute({...settings}, data, tr(), memory);
    } catch (error) {
      if (!(error instanceof SettingError)) throw error;
      message.textContent = error.message;
      root.dataset.message = error.message;
      showControls();
      if (save) sync();
      finish(t0);
      return;
    }
    message.textContent = "";
    root.dataset.message = "";
    if (result.settings) settings = {...settings, ...result.settings};
    limits = result.limits || {};
    showControls();
    showPanels(result.panels);
    heading.textContent = result.heading || "";
    text.innerHTML = result.text || "";
    if (save || result.settings) sync();
    finish(t0);
  }

  function finish(t0) {
    drawn += 1;
    root.dataset.drawn = drawn;  // the browser tests and benchmarks watch this: one more picture on screen
    root.dataset.drawnAt = performance.now();  // drawn in this animation frame's callback: painted with the frame
    root.dataset.computeMs = (performance.now() - t0).toFixed(2);
    root.dispatchEvent(new CustomEvent("cnn-drawn", {bubbles: true}));
  }

  let syncing = false;
  function sync() {  // the kernel learns the learner's settings (so `view.settings()` and its update() agree)
    const old = model.get("settings");
    if (JSON.stringify(old) === JSON.stringify(settings)) return;
    syncing = true;  // our own change comes back as a change event: not news
    try {
      model.set("settings", {...settings});
      model.save_changes();
    } finally {
      syncing = false;
    }
  }

  function showPanels(list) {
    if (list.length !== panels.length || list.some((p, i) => !!p.legend !== !!panels[i].legend)) {
      pictures.replaceChildren();
      panels = list.map((p, index) => {
        const box = element("div", "cnn-panel", pictures);
        const title = element("div", "cnn-title", box);
        const canvas = element("canvas", "", box);
        canvas.dataset.panel = index;
        const legend = p.legend ? element("div", "cnn-legend", box) : null;
        canvas.addEventListener("pointermove", event => pointAt(index, canvas, event));
        canvas.addEventListener("pointerleave", () => { point.innerHTML = ""; delete point.dataset.panel; });
        return {box, title, canvas, legend, context: canvas.getContext("2d")};
      });
    }
    list.forEach((p, i) => {
      const shown = panels[i];
      Object.assign(shown, {picture: p.picture, legendSpec: p.legend, meta: p.meta});
      shown.title.textContent = p.title;
      if (shown.canvas.width !== p.picture.width || shown.canvas.height !== p.picture.height) {
        shown.canvas.width = p.picture.width;
        shown.canvas.height = p.picture.height;
        shown.canvas.style.width = `${p.picture.width}px`;
        shown.canvas.style.height = `${p.picture.height}px`;
      }
      shown.context.putImageData(new ImageData(p.picture.rgba, p.picture.width, p.picture.height), 0, 0);
      if (p.legend) drawLegend(shown.legend, p.legend, Math.max(p.picture.width, 1));
    });
    if (view.columns) {
      pictures.style.display = "grid";
      pictures.style.gridTemplateColumns = `repeat(${view.columns}, max-content)`;
    }
    if (point.dataset.panel !== undefined) point.innerHTML = "";
  }

  function drawLegend(box, [style, low, high], width) {  // draw.legend: the colour bar, then its labels
    const labels = style === "signed" ? [legendNumber(low), "0", "+" + legendNumber(high)]
      : [legendNumber(low), legendNumber(high)];
    const key = JSON.stringify([style, low, high, width]);
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    box.replaceChildren();
    const lut = bytes(data.luts[style]);
    const bar = element("canvas", "cnn-legend-bar", box);
    const height = Math.max(1, Math.floor(data.scale.text_px / 2));
    bar.width = width; bar.height = height;
    bar.style.width = `${width}px`; bar.style.height = `${height}px`;
    const strip = new Picture(height, width);
    for (let x = 0; x < width; x++) {
      const i = pyRound(width > 1 ? 255 * x / (width - 1) : 0);
      strip.fill(0, height, x, x + 1, [lut[3 * i], lut[3 * i + 1], lut[3 * i + 2]]);
    }
    bar.getContext("2d").putImageData(new ImageData(strip.rgba, width, height), 0, 0);
    const row = element("div", "cnn-legend-labels", box);
    row.style.width = `${width}px`;
    for (const label of labels) element("span", "", row).textContent = label;
  }

  function pointAt(index, canvas, event) {
    if (!view.point || !panels[index]) return;
    const box = canvas.getBoundingClientRect();
    const x = Math.floor((event.clientX - box.left) * canvas.width / box.width);
    const y = Math.floor((event.clientY - box.top) * canvas.height / box.height);
    const html = view.point(index, y, x, panels[index].meta, tr());
    point.innerHTML = html || "";
    if (html) point.dataset.panel = index; else delete point.dataset.panel;
  }

  function schedule(save) {
    if (frame === null) {
      frame = {save};
      requestAnimationFrame(() => { const f = frame; if (f) redraw(f.save); });
    } else {
      frame.save = frame.save || save;
    }
  }

  const fromKernel = () => {
    if (syncing) return;
    settings = {...model.get("settings")};
    schedule(false);
  };
  const newData = () => {
    data = model.get("data");
    Promise.resolve(view.prepare && view.prepare(data, memory)).then(() => schedule(false));
  };
  const kernelNote = () => { note.textContent = model.get("note") || ""; };
  model.on("change:settings", fromKernel);
  model.on("change:data", newData);
  model.on("change:note", kernelNote);
  el.style.setProperty("--cnn-text", `${data.scale.text_px}px`);
  kernelNote();
  root.cnn = {  // for tests and benchmarks: what is shown, and a way to set a control as a learner does
    controls, settings: () => ({...settings}), panels: () => panels, redraw: () => redraw(false),
    point: (index, y, x) => view.point(index, y, x, panels[index].meta, tr()),
  };
  Promise.resolve(view.prepare && view.prepare(data, memory)).then(() => redraw(false));
  return () => {
    model.off("change:settings", fromKernel);
    model.off("change:data", newData);
    model.off("change:note", kernelNote);
    if (frame) frame = null;
  };
}
