"use strict";
// Subject timelines on the protocol-day axis (Day 0 = cell infusion): a study-level swimmer
// plot and, for the subject opened, a detailed timeline with its findings pinned to their days.
(function () {
  const { data, el, svg } = TG;
  const timelines = data.timelines;
  const subjects = new Map((timelines.subjects || []).map((s) => [s.id, s]));
  const GRADE_COLOURS = { 1: "#8bc34a", 2: "#f2c200", 3: "#f57c00", 4: "#d32f2f", 5: "#4a148c" };
  const SEVERITY_COLOURS = { error: "#b3261e", warning: "#a15c00", notice: "#33658a" };
  const EVENT = { record: 0, label: 1, lo: 2, hi: 3, start: 4, extra: 5, extra2: 6 };
  const DATASET_OF = { EX: "ex", AE: "ae", DL: "dl" };
  const SWIMMER_FIRST_LANES = 60;
  let findingsBySubject = null;

  function subjectFindings(id) {
    if (!findingsBySubject) {
      findingsBySubject = new Map();
      for (const row of data.findings) {
        if (!row[4]) continue;
        if (!findingsBySubject.has(row[4])) findingsBySubject.set(row[4], []);
        findingsBySubject.get(row[4]).push(row);
      }
    }
    return findingsBySubject.get(id) || [];
  }

  // The day a finding is pinned to: its own date, else the day of the record it points at.
  function findingDay(row, subject) {
    if (row[8] !== null) return row[8];
    const kind = DATASET_OF[row[2]];
    if (!subject || !kind || row[3] === null) return null;
    const event = subject[kind].find((e) => e[EVENT.record] === row[3]);
    return event ? event[EVENT.lo] : null;
  }

  function text(root, attrs, content, title) {
    const node = root.appendChild(svg("text", attrs));
    node.textContent = content === null || content === undefined ? "" : TG.visible(content, 120);
    if (title) node.appendChild(svg("title")).textContent = TG.visible(title, 300);
    return node;
  }

  function gradeColour(grade) {
    return GRADE_COLOURS[grade] || "#9e9e9e";
  }

  function isProduct(event) {
    return event[EVENT.label] === timelines.product;
  }

  function windowOf() {
    return timelines.window || { first: 0, last: 28 };
  }

  // An axis from `lo` to `hi` (whole days) over [left, right] pixels.
  function axis(lo, hi, left, right) {
    const dayWidth = (right - left) / (hi - lo + 1);
    return {
      lo,
      hi,
      dayWidth,
      x: (day) => left + (Math.min(Math.max(day, lo), hi + 1) - lo) * dayWidth,
      centre: (day) => left + (Math.min(Math.max(day, lo), hi) - lo + 0.5) * dayWidth,
      clipped: (day) => day < lo || day > hi,
    };
  }

  function drawAxis(root, scale, top, bottom) {
    const span = scale.hi - scale.lo;
    const step = span <= 70 ? 7 : span <= 140 ? 14 : 28;
    for (let day = Math.ceil(scale.lo / step) * step; day <= scale.hi; day += step) {
      const x = scale.centre(day);
      root.appendChild(svg("line", { x1: x, x2: x, y1: top, y2: bottom, class: "grid" }));
      root.appendChild(svg("text", { x, y: bottom + 14, class: "tick" })).textContent = "D" + day;
    }
    const x0 = scale.centre(0);
    root.appendChild(svg("line", { x1: x0, x2: x0, y1: top - 4, y2: bottom, class: "day0" }, "Day 0: " + timelines.product));
  }

  function drawWindow(root, scale, top, bottom, label) {
    const w = windowOf();
    const x = scale.x(w.first);
    root.appendChild(svg("rect", { x, y: top, width: scale.x(w.last + 1) - x, height: bottom - top, class: "dlt-window" },
      "DLT window: Day " + w.first + " to Day " + w.last + (w.assumed ? " (assumed)" : "")));
    if (label) {
      root.appendChild(svg("text", { x: x + 4, y: top + 11, class: "window-label" })).textContent =
        "DLT window D" + w.first + "\u2013D" + w.last + (w.assumed ? " (assumed)" : "");
    }
  }

  function marker(root, kind, x, y, size, colour, title) {
    const s = size;
    const shapes = {
      diamond: ["polygon", { points: `${x},${y - s} ${x + s},${y} ${x},${y + s} ${x - s},${y}` }],
      triangle: ["polygon", { points: `${x},${y - s} ${x + s},${y + s} ${x - s},${y + s}` }],
      circle: ["circle", { cx: x, cy: y, r: s }],
      pin: ["path", { d: `M${x},${y + s} L${x - s * 0.7},${y - s * 0.2} A${s * 0.75},${s * 0.75} 0 1 1 ${x + s * 0.7},${y - s * 0.2} Z` }],
    };
    const [tag, attrs] = shapes[kind];
    return root.appendChild(svg(tag, Object.assign({ fill: colour, class: "marker " + kind }, attrs), title));
  }

  function describe(kind, event) {
    const days = event[EVENT.lo] === event[EVENT.hi] ? "Day " + event[EVENT.lo] : "Days " + event[EVENT.lo] + " to " + event[EVENT.hi];
    if (kind === "ex") {
      const dose = event[EVENT.extra] === null ? "" : " " + event[EVENT.extra] + " " + (event[EVENT.extra2] || "");
      return event[EVENT.label] + dose + ", " + days + " (" + event[EVENT.start] + ")";
    }
    const grade = event[EVENT.extra] === null ? "" : ", grade " + event[EVENT.extra];
    const serious = kind === "ae" && event[EVENT.extra2] === "Y" ? ", serious" : "";
    return (kind === "dl" ? "DLT: " : "AE: ") + event[EVENT.label] + grade + serious + ", " + days + " (" + event[EVENT.start] + ")";
  }

  // Study-level swimmer plot ---------------------------------------------------------------
  function drawSwimmer(limit) {
    const host = document.getElementById("swimmer");
    if (!host) return;
    const all = timelines.subjects;
    const lanes = all.slice(0, limit);
    const lane = 22, top = 22, left = 230, right = 1010, width = 1060;
    const bottom = top + lanes.length * lane;
    const exStarts = all.flatMap((s) => s.ex.map((e) => e[EVENT.lo]));
    const scale = axis(Math.max(-30, Math.min(-7, ...exStarts)), windowOf().last + 14, left, right);
    const root = svg("svg", { viewBox: `0 0 ${width} ${bottom + 24}`, class: "swimmer", role: "img",
      "aria-label": "Swimmer plot of " + lanes.length + " treated subjects" });
    drawWindow(root, scale, top, bottom, true);
    drawAxis(root, scale, top, bottom);
    root.appendChild(svg("text", { x: right + 25, y: top - 6, class: "tick" })).textContent = "findings";
    lanes.forEach((subject, n) => drawLane(root, subject, scale, top + n * lane, lane, right));
    const more = all.length > lanes.length
      ? el("button", { type: "button", id: "swimmer-all" }, "Show all " + all.length + " subjects")
      : null;
    host.replaceChildren(root);
    if (more) {
      more.addEventListener("click", () => drawSwimmer(all.length));
      host.appendChild(more);
    }
  }

  function drawLane(root, subject, scale, y, height, right) {
    const g = root.appendChild(svg("g", { class: "lane", "data-subject": subject.id, tabindex: "0" }));
    const mid = y + height / 2;
    g.appendChild(svg("rect", { x: 0, y, width: right + 50, height, class: "lane-bg" }, "Open the timeline of " + subject.id));
    g.appendChild(svg("text", { x: 4, y: mid + 4, class: "lane-label" })).textContent = subject.id + (subject.arm ? "  " + subject.arm : "");
    for (const e of subject.ex) {
      if (isProduct(e)) {
        marker(g, "diamond", scale.centre(e[EVENT.lo]), mid, 6, "#1b4f72", describe("ex", e));
      } else {
        const x = scale.x(e[EVENT.lo]);
        g.appendChild(svg("rect", { x, y: mid - 3, width: Math.max(2, scale.x(e[EVENT.hi] + 1) - x), height: 6, class: "ld-bar" }, describe("ex", e)));
      }
    }
    for (const e of subject.ae) marker(g, "circle", scale.centre(e[EVENT.lo]), mid, 4.5, gradeColour(e[EVENT.extra]), describe("ae", e));
    for (const e of subject.dl) marker(g, "triangle", scale.centre(e[EVENT.lo]), mid - 4, 5, "#000", describe("dl", e));
    const later = [...subject.ae, ...subject.dl].filter((e) => e[EVENT.lo] > scale.hi).length;
    if (later) text(g, { x: right - 4, y: mid + 4, class: "later" }, "\u25b6", later + " later event(s)");
    const count = subjectFindings(subject.id).length;
    if (count) {
      g.appendChild(svg("circle", { cx: right + 32, cy: mid, r: 8, class: "count-badge" }));
      g.appendChild(svg("text", { x: right + 32, y: mid + 4, class: "count" })).textContent = count;
    }
    g.addEventListener("click", () => openSubject(subject.id));
    g.addEventListener("keydown", (event) => {
      if (event.key === "Enter") openSubject(subject.id);
    });
  }

  // One subject's timeline ------------------------------------------------------------------
  function detailRows(subject, findings) {
    const rows = [];
    for (const e of subject.ex) rows.push({ kind: "ex", event: e, label: e[EVENT.label] + (e[EVENT.extra] === null ? "" : " " + e[EVENT.extra] + " " + (e[EVENT.extra2] || "")) });
    for (const e of subject.ae) rows.push({ kind: "ae", event: e, label: "AE " + e[EVENT.label] + (e[EVENT.extra] ? " (G" + e[EVENT.extra] + ")" : "") });
    for (const e of subject.dl) rows.push({ kind: "dl", event: e, label: "DLT " + e[EVENT.label] + (e[EVENT.extra] ? " (G" + e[EVENT.extra] + ")" : "") });
    if (findings.length) rows.push({ kind: "findings", label: "Findings" });
    return rows;
  }

  function drawSubject(subject, findings) {
    const rows = detailRows(subject, findings);
    const days = rows.filter((r) => r.event).flatMap((r) => [r.event[EVENT.lo], r.event[EVENT.hi]]);
    days.push(...findings.map((f) => findingDay(f, subject)).filter((d) => d !== null));
    const w = windowOf();
    const lo = Math.max(-60, Math.min(-7, ...days.map((d) => d - 1)));
    const hi = Math.min(Math.max(w.last + 7, ...days.map((d) => d + 2)), Math.max(w.last + 7, 120));
    const rowHeight = 24, top = 24, left = 260, right = 1000;
    const bottom = top + rows.length * rowHeight;
    const scale = axis(lo, hi, left, right);
    const root = svg("svg", { viewBox: `0 0 1020 ${bottom + 26}`, class: "timeline", role: "img",
      "aria-label": "Timeline of " + subject.id + " on protocol days" });
    drawWindow(root, scale, top, bottom, true);
    drawAxis(root, scale, top, bottom);
    rows.forEach((row, n) => {
      const y = top + n * rowHeight, mid = y + rowHeight / 2;
      const label = row.label.length > 38 ? row.label.slice(0, 37) + "\u2026" : row.label;
      text(root, { x: 4, y: mid + 4, class: "row-label " + row.kind }, label, row.label);
      if (row.kind === "findings") return drawPins(root, findings, subject, scale, mid);
      const e = row.event;
      const title = describe(row.kind, e);
      if (row.kind === "ex" && isProduct(e)) return marker(root, "diamond", scale.centre(e[EVENT.lo]), mid, 8, "#1b4f72", title);
      if (row.kind === "dl") return marker(root, "triangle", scale.centre(e[EVENT.lo]), mid, 7, "#000", title);
      const x = scale.x(e[EVENT.lo]);
      const fill = row.kind === "ae" ? gradeColour(e[EVENT.extra]) : "#7f8fa6";
      const bar = svg("rect", { x, y: mid - 6, width: Math.max(3, scale.x(e[EVENT.hi] + 1) - x), height: 12, rx: 3, fill,
        class: "bar " + row.kind + (row.kind === "ae" && e[EVENT.extra2] === "Y" ? " serious" : "") }, title);
      root.appendChild(bar);
      if (scale.clipped(e[EVENT.lo]) || scale.clipped(e[EVENT.hi])) {
        root.appendChild(svg("text", { x: right + 4, y: mid + 4, class: "later" })).textContent = "\u25b6 D" + e[EVENT.hi];
      }
    });
    return root;
  }

  function drawPins(root, findings, subject, scale, mid) {
    const stacked = new Map();
    for (const f of findings) {
      const day = findingDay(f, subject);
      if (day === null) continue;
      const height = stacked.get(day) || 0;
      stacked.set(day, height + 1);
      const pin = marker(root, "pin", scale.centre(day), mid - height * 5, 7, SEVERITY_COLOURS[f[0]],
        f[1] + " (" + f[0] + ", Day " + day + "): " + f[7]);
      pin.classList.add("finding-pin");
      pin.dataset.rule = f[1];
    }
  }

  function findingItem(f, subject) {
    const item = el("li");
    item.appendChild(el("span", { class: "sev " + f[0] }, f[0]));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(el("code", {}, f[1]));
    const day = findingDay(f, subject);
    const where = (f[2] || "") + (f[3] === null ? "" : " record " + f[3]) + (day === null ? ", no date" : ", Day " + day);
    item.appendChild(document.createTextNode(" " + where + ": " + f[7]));
    return item;
  }

  function eventRows(subject) {
    const body = document.createDocumentFragment();
    for (const [kind, name] of [["ex", "EX"], ["ae", "AE"], ["dl", "DL"]]) {
      for (const e of subject[kind]) {
        const tr = el("tr");
        const days = e[EVENT.lo] === e[EVENT.hi] ? String(e[EVENT.lo]) : e[EVENT.lo] + " to " + e[EVENT.hi];
        for (const [text, cls] of [[name], [e[EVENT.record], "num"], [describe(kind, e).split(",")[0]], [e[EVENT.start]], [days, "num"]]) {
          tr.appendChild(el("td", cls ? { class: cls } : {}, text === null || text === undefined ? text : TG.visible(text, 300)));
        }
        body.appendChild(tr);
      }
    }
    return body;
  }

  function openSubject(id) {
    const detail = document.getElementById("subject-detail");
    const subject = subjects.get(id);
    const findings = subjectFindings(id);
    detail.hidden = false;
    detail.dataset.subject = id;
    const title = document.getElementById("subject-title");
    title.textContent = subject
      ? id + (subject.arm ? " \u00b7 " + subject.arm : "") + " \u00b7 Day 0 = " + subject.day0
      : id;
    const host = document.getElementById("subject-timeline");
    if (subject) {
      host.replaceChildren(drawSubject(subject, findings));
    } else {
      const product = timelines.product ? " of " + timelines.product : "";
      const why = timelines.available === false ? " (" + (timelines.reason || "no timelines") + ")" : "";
      host.replaceChildren(el("p", { class: "not-drawn" }, "No protocol-day timeline: no infusion" + product + " is recorded for this subject" + why + "."));
    }
    const list = document.getElementById("subject-findings");
    list.replaceChildren(...findings.map((f) => findingItem(f, subject)));
    if (!findings.length) list.appendChild(el("li", {}, "None."));
    document.getElementById("subject-events").replaceChildren(subject ? eventRows(subject) : "");
    for (const lane of document.querySelectorAll("#swimmer .lane")) lane.classList.toggle("open", lane.dataset.subject === id);
    detail.scrollIntoView();
  }

  function drawLegend() {
    const host = document.getElementById("timeline-legend");
    if (!host) return;
    const root = svg("svg", { viewBox: "0 0 1020 22", class: "legend", role: "img", "aria-label": "Legend" });
    let x = 6;
    const item = (draw, text) => {
      draw(x + 6, 11);
      root.appendChild(svg("text", { x: x + 16, y: 15 })).textContent = text;
      x += 22 + text.length * 6.4;
    };
    item((cx, cy) => marker(root, "diamond", cx, cy, 6, "#1b4f72"), "Day 0 infusion");
    item((cx, cy) => root.appendChild(svg("rect", { x: cx - 6, y: cy - 3, width: 12, height: 6, class: "ld-bar" })), "other exposure (lymphodepletion)");
    for (const grade of [1, 2, 3, 4, 5]) item((cx, cy) => marker(root, "circle", cx, cy, 5, gradeColour(grade)), "AE grade " + grade);
    item((cx, cy) => marker(root, "triangle", cx, cy, 5.5, "#000"), "DLT");
    item((cx, cy) => marker(root, "pin", cx, cy + 2, 7, SEVERITY_COLOURS.error), "finding");
    host.replaceChildren(root);
  }

  TG.on("subject", openSubject);
  if (timelines.available) {
    drawLegend();
    drawSwimmer(SWIMMER_FIRST_LANES);
  }
})();
