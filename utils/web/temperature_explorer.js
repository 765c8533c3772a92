// fc.TemperatureExplorer in the browser: a temperature over one image's logits -> softmax(logits / T) as bars and a
// table. The chart's frame (gridlines, tick labels, class names) comes drawn from the kernel, once per axis.
import {copy, decodePng, escapeHtml, mount, pyFormat, pyRound} from "./common.js";

const AXES = [0.25, 0.5, 1.0];

// torch.softmax on float64, as its CPU kernel computes it: exp(z - max), then each times 1 / their sum.
function softmax(z) {
  const most = Math.max(...z), e = z.map(v => Math.exp(v - most));
  const inverse = 1 / e.reduce((a, b) => a + b, 0);
  return e.map(v => v * inverse);
}

// fc.bar_chart: one bar per class (the top one orange) on the frame of its axis, and the grey line at 1/K.
function barChart(frame, values, top, axis, textPx) {
  const {picture, left, slot, base, height} = frame, chart = copy(picture);
  values.forEach((value, i) => {
    const x = left + i * slot, y = base - Math.max(1, pyRound(value / axis * height));
    chart.fill(y, base + 1, x + Math.floor(slot / 6), x + slot - Math.floor(slot / 6),
               i === top ? [230, 120, 30] : [70, 120, 200]);
  });
  const uniform = base - pyRound(height / values.length / axis);
  chart.fill(uniform, uniform + Math.max(1, Math.floor(textPx / 10)), left, left + values.length * slot, [90, 90, 90]);
  return chart;
}

const TEMPERATURE_EXPLORER = {
  async prepare(data, memory) {
    memory.frames = {};
    for (const [axis, frame] of Object.entries(data.frames)) {
      memory.frames[axis] = {...frame, picture: await decodePng(frame.png)};
    }
  },

  compute({temperature}, data, tr, memory) {
    const z = data.logits, names = data.classes, p = softmax(z.map(v => v / temperature));
    let top = 0;
    p.forEach((v, i) => { if (v > p[top]) top = i; });
    const axis = AXES.find(a => p[top] <= a);
    const rows = names.map((name, i) =>
      `<tr${i === top ? " style=font-weight:bold" : ""}><td>${escapeHtml(name)}</td>` +
      `<td>${pyFormat(z[i], "+.4f")}</td><td>${pyFormat(z[i] / temperature, "+.3f")}</td>` +
      `<td>${pyFormat(p[i], ".4f")}</td></tr>`).join("");
    const head = `<tr><th>${tr("class")}</th><th>logit</th><th>logit / T</th><th>${tr("probability")}</th></tr>`;
    const total = p.reduce((a, b) => a + b, 0);
    const text = `<table>${head}${rows}</table>` +
      tr("<p>T = {temperature:g}: probabilities sum to {total:.6f}; predicted class (argmax) = {name}.</p>",
         {temperature, total, name: escapeHtml(names[top])});
    const title = tr("softmax(logits / T): bar height = probability, grey line = 1/{count}", {count: names.length});
    return {text, panels: [{title, picture: barChart(memory.frames[String(axis)], p, top, axis, data.scale.text_px)}]};
  },
};

export default {render: ({model, el}) => mount(model, el, TEMPERATURE_EXPLORER)};
