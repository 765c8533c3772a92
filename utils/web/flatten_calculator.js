// fc.FlattenCalculator in the browser: input size, conv kernel and pooling window -> every stage's shape, drawn to
// one scale, and the number fc1 must be built with.
import {Picture, SettingError, mount, pyFormat, pyRound} from "./common.js";

const CHANNELS = [3, 6, 16];  // Net's: the input's colours, conv1's and conv2's maps

// fc.stage_shapes: [(stage, [C, H, W])] from the input to pool2, or the reason a layer does not fit.
function stageShapes(tr, size, kernel, pool) {
  const stages = [["input", [CHANNELS[0], size, size]]];
  let n = size;
  for (const [conv, pooled, c] of [["conv1", "pool1", CHANNELS[1]], ["conv2", "pool2", CHANNELS[2]]]) {
    if (n < kernel) {
      throw new SettingError(tr("{conv}'s {kernel}x{kernel} kernel does not fit in the {n}x{n} map it gets: " +
                                "{n} - {kernel} + 1 = {left} pixels would be left. Use a smaller kernel or a larger " +
                                "input.", {conv, kernel, n, left: n - kernel + 1}));
    }
    n = n - kernel + 1;
    stages.push([conv, [c, n, n]]);
    if (n < pool) {
      throw new SettingError(tr("{pooled}'s {pool}x{pool} window does not fit in the {n}x{n} map it gets: " +
                                "{n} // {pool} = 0 pixels would be left. Use a smaller window or a larger input.",
                                {pooled, pool, n}));
    }
    n = Math.floor(n / pool);
    stages.push([pooled, [c, n, n]]);
  }
  return stages;
}

// fc._stack: C squares stacked behind each other, H * scale pixels a side, on a square canvas.
function stack([c, h, w], scale, colours, canvas) {
  const sideH = Math.max(1, pyRound(h * scale)), sideW = Math.max(1, pyRound(w * scale));
  const step = Math.min(4, Math.floor(48 / c)) * canvas / 132, out = new Picture(canvas, canvas);
  for (let k = c - 1; k >= 0; k--) {  // channel 0 in front
    const at = pyRound(4 + k * step);
    out.fill(at, at + sideH, at, at + sideW, [40, 40, 40]);
    out.fill(at + 1, at + sideH - 1, at + 1, at + sideW - 1, colours[k % colours.length]);
  }
  return out;
}

// fc._vector: the flattened stage, one row of H*W cells per channel, channel 0 first.
function vector([c, h, w], width, row, gap, colours) {
  const out = new Picture(c * (row + gap) + 6, width + 8);
  for (let k = 0; k < c; k++) out.fill(4 + k * (row + gap), 4 + k * (row + gap) + row, 4, 4 + width, colours[k % colours.length]);
  const cells = h * w;
  if (width / cells >= 3) {  // cell borders where they can be seen
    for (let i = 1; i < cells; i++) {
      const x = 4 + pyRound(i * width / cells);
      out.fill(0, out.height, x, x + 1, [255, 255, 255]);
    }
  }
  return out;
}

function stageName(tr, name) {
  return name === "input" ? tr("input") : name;
}

// fc._shape_table: each stage's operation, the output-size arithmetic and its shape, then fc1's line.
function shapeTable(tr, stages, kernel, pool) {
  const rows = [];
  let previous = null;
  for (const [name, [c, h, w]] of stages) {
    let op = "", rule = "";
    if (name.startsWith("conv")) [op, rule] = [`Conv2d(${previous[0]}, ${c}, ${kernel})`, `${previous[1]} − ${kernel} + 1 = ${h}`];
    else if (name.startsWith("pool")) [op, rule] = [`MaxPool2d(${pool})`, `⌊${previous[1]} / ${pool}⌋ = ${h}`];
    rows.push(`<tr><td>${stageName(tr, name)}</td><td><code>${op}</code></td><td>${rule}</td>` +
              `<td>${c}×${h}×${w}</td><td>${pyFormat(c * h * w, ",")}</td></tr>`);
    previous = [c, h];
  }
  const [c, h, w] = stages[stages.length - 1][1], n = c * h * w;
  const words = [tr("stage"), tr("layer"), tr("output size"), tr("shape"), tr("values")];
  const head = "<tr>" + words.map(word => `<th>${word}</th>`).join("") + "</tr>";
  const fc1 = tr("<p>flatten: {c} × {h} × {w} = <b>{n:,}</b> numbers per image, so <code>fc1 = nn.Linear({c} * {h} * " +
                 "{w}, 120)</code> = <code>nn.Linear({n}, 120)</code> with {parameters:,} parameters.</p>",
                 {c, h, w, n, parameters: n * 120 + 120});
  return `<table>${head}${rows.join("")}</table>${fc1}`;
}

const FLATTEN_CALCULATOR = {
  compute({size, kernel, pool}, data, tr) {
    const stages = stageShapes(tr, size, kernel, pool), px = data.scale.pixels;
    const scale = px * 76 / size;  // the input spans 76 px; every later map is drawn to the same scale
    const panels = stages.map(([name, shape]) => ({
      title: `${stageName(tr, name)} ${shape.join("x")}`,
      picture: stack(shape, scale, name === "input" ? data.rgb : data.tab20, px * 132),
    }));
    const [c, h, w] = stages[stages.length - 1][1];
    panels.push({title: tr("flatten {c}x{h}x{w} = {n}", {c, h, w, n: c * h * w}),
                 picture: vector([c, h, w], px * 140, px * 6, px * 2, data.tab20)});
    return {heading: tr("shapes from the input to flatten, drawn to one scale"), panels,
            text: shapeTable(tr, stages, kernel, pool)};
  },
};

export default {render: ({model, el}) => mount(model, el, FLATTEN_CALCULATOR)};
