"use strict";
// The findings table: filters, free-text search, sorting, paging and CSV download,
// over the rows in the report's data block (the whole set stays in memory; only a page is drawn).
(function () {
  const { data, el } = TG;
  const VALUE_SHOWN = 300; // characters of a value drawn in the table
  const ITEM_FITS = 48; // characters of a NAME=value item that fit the values column (report.css)
  const rows = data.findings;
  const C = { severity: 0, rule: 1, domain: 2, record: 3, usubjid: 4, variables: 5, values: 6, message: 7, day: 8, history: 9, waiver: 10 };
  const RANK = { error: 3, warning: 2, notice: 1 };
  const table = document.getElementById("findings-table");
  const body = table.tBodies[0];
  const controls = {
    severity: document.getElementById("f-severity"),
    domain: document.getElementById("f-domain"),
    rule: document.getElementById("f-rule"),
    state: document.getElementById("f-state"),
    subject: document.getElementById("f-subject"),
    text: document.getElementById("f-text"),
  };
  const pageInfo = document.getElementById("page-info");
  const pageSize = document.getElementById("page-size");
  const counter = document.getElementById("shown-count");
  const state = { sortColumn: null, sortDirection: 1, page: 0, shown: [] };
  let haystacks = null; // lower-case text of each row, built on the first search

  function searchText(i) {
    if (!haystacks) {
      haystacks = rows.map((r) => r.map((v) => (v === null ? "" : String(v))).join("\u0001").toLowerCase());
    }
    return haystacks[i];
  }

  function matches() {
    const severity = controls.severity.value;
    const domain = controls.domain.value;
    const rule = controls.rule.value;
    const wanted = controls.state.value;
    const subject = controls.subject.value.trim().toLowerCase();
    const needle = controls.text.value.trim().toLowerCase();
    const shown = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (severity && r[C.severity] !== severity) continue;
      if (domain && r[C.domain] !== domain) continue;
      if (rule && r[C.rule] !== rule) continue;
      if (wanted && stateOf(r) !== wanted && r[C.history] !== wanted) continue;
      if (subject && !(r[C.usubjid] || "").toLowerCase().includes(subject)) continue;
      if (needle && !searchText(i).includes(needle)) continue;
      shown.push(i);
    }
    return shown;
  }

  function stateOf(r) {
    return r[C.waiver] ? "waived" : "open";
  }

  function sortKey(i) {
    const value = rows[i][state.sortColumn];
    if (state.sortColumn === C.severity) return RANK[value];
    return value;
  }

  function compare(a, b) {
    const x = sortKey(a);
    const y = sortKey(b);
    if (x === y) return a - b;
    if (x === null || x === undefined) return 1; // empty cells last in either direction
    if (y === null || y === undefined) return -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return order * state.sortDirection || a - b;
  }

  function refresh() {
    state.shown = matches();
    if (state.sortColumn !== null) state.shown.sort(compare);
    state.page = 0;
    draw();
  }

  function pageCount() {
    return Math.max(1, Math.ceil(state.shown.length / Number(pageSize.value)));
  }

  function draw(all) {
    const size = Number(pageSize.value);
    const first = all ? 0 : state.page * size;
    const last = all ? state.shown.length : Math.min(first + size, state.shown.length);
    const fragment = document.createDocumentFragment();
    for (let k = first; k < last; k++) fragment.appendChild(rowElement(rows[state.shown[k]]));
    if (!state.shown.length) {
      const empty = el("tr");
      empty.appendChild(el("td", { colspan: "9" }, rows.length ? "No finding matches the filters." : "No findings."));
      fragment.appendChild(empty);
    }
    body.replaceChildren(fragment);
    const filtered = state.shown.length === rows.length ? "" : " (filtered from " + rows.length.toLocaleString("en") + ")";
    counter.textContent = "(" + state.shown.length.toLocaleString("en") + " shown" + filtered + ")";
    pageInfo.textContent = state.shown.length
      ? "Rows " + (first + 1).toLocaleString("en") + "\u2013" + last.toLocaleString("en") + " of " +
        state.shown.length.toLocaleString("en") + " \u00b7 page " + (state.page + 1) + " of " + pageCount()
      : "No rows";
    document.getElementById("page-prev").disabled = state.page === 0;
    document.getElementById("page-next").disabled = state.page >= pageCount() - 1;
  }

  function rowElement(r) {
    const tr = el("tr", { "data-severity": r[C.severity], "data-rule": r[C.rule], class: stateOf(r) });
    const severity = el("td");
    severity.appendChild(el("span", { class: "sev " + r[C.severity] }, r[C.severity]));
    if (r[C.history]) severity.appendChild(el("span", { class: "badge " + r[C.history] }, r[C.history]));
    if (r[C.waiver]) severity.appendChild(el("span", { class: "badge waived", title: r[C.waiver] }, "waived"));
    tr.appendChild(severity);
    const rule = el("td");
    rule.appendChild(el("code", {}, r[C.rule]));
    tr.appendChild(rule);
    tr.appendChild(el("td", {}, r[C.domain] || ""));
    tr.appendChild(el("td", { class: "num" }, r[C.record] === null ? "dataset" : r[C.record]));
    const subject = el("td", { class: "id" });
    if (r[C.usubjid]) {
      const link = el("button", { type: "button", class: "subject-link", "data-subject": r[C.usubjid] }, r[C.usubjid]);
      link.title = "Open the timeline of " + r[C.usubjid];
      subject.appendChild(link);
    }
    tr.appendChild(subject);
    tr.appendChild(el("td", {}, r[C.variables]));
    const values = el("td", { class: "values" });
    for (const pair of r[C.values]) {
      const text = TG.visible(pair, VALUE_SHOWN);
      values.appendChild(el("div", text.length > ITEM_FITS ? { class: "long" } : {}, text));
    }
    tr.appendChild(values);
    tr.appendChild(el("td", { class: "num" }, r[C.day] === null ? "" : r[C.day]));
    const message = el("td");
    message.appendChild(el("div", {}, TG.visible(r[C.message], VALUE_SHOWN)));
    const rule_ = data.rules[r[C.rule]];
    if (rule_) message.appendChild(el("div", { class: "rule-text" }, "Rule: " + rule_.description));
    if (r[C.waiver]) message.appendChild(el("div", { class: "waiver-text" }, r[C.waiver]));
    tr.appendChild(message);
    return tr;
  }

  // CSV: every filtered row; cells that a spreadsheet would run as a formula are neutralised.
  function csvCell(value) {
    if (value === null || value === undefined) return "";
    let text = String(value);
    if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function downloadCsv() {
    const header = ["severity", "rule_id", "domain", "record", "usubjid", "variables", "values", "message", "protocol_day", "history", "waiver", "rule"];
    const lines = [header.join(",")];
    for (const i of state.shown) {
      const r = rows[i];
      const rule = data.rules[r[C.rule]];
      const cells = r.slice();
      cells[C.values] = r[C.values].join("; ");
      lines.push(cells.concat([rule ? rule.description : ""]).map(csvCell).join(","));
    }
    const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    const link = el("a", { href: URL.createObjectURL(blob), download: "trialguard-findings-" + data.run + ".csv" });
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  function showRule(ruleId) {
    clearFilters();
    controls.rule.value = ruleId;
    refresh();
    document.getElementById("findings").scrollIntoView();
  }

  function clearFilters() {
    for (const control of Object.values(controls)) control.value = "";
  }

  let typing = null;
  for (const [name, control] of Object.entries(controls)) {
    const typed = name === "text" || name === "subject";
    control.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(refresh, typed ? 120 : 0);
    });
  }
  document.getElementById("f-clear").addEventListener("click", () => {
    clearFilters();
    refresh();
  });
  document.getElementById("csv-download").addEventListener("click", downloadCsv);
  pageSize.addEventListener("change", () => {
    state.page = 0;
    draw();
  });
  document.getElementById("page-prev").addEventListener("click", () => {
    state.page = Math.max(0, state.page - 1);
    draw();
  });
  document.getElementById("page-next").addEventListener("click", () => {
    state.page = Math.min(pageCount() - 1, state.page + 1);
    draw();
  });
  for (const th of table.tHead.rows[0].cells) {
    th.addEventListener("click", () => {
      const column = Number(th.dataset.sort);
      state.sortDirection = state.sortColumn === column ? -state.sortDirection : 1;
      state.sortColumn = column;
      for (const other of table.tHead.rows[0].cells) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", state.sortDirection === 1 ? "ascending" : "descending");
      state.shown.sort(compare);
      state.page = 0;
      draw();
    });
  }
  document.addEventListener("click", (event) => {
    const target = event.target.closest("button.rule-link, button.subject-link");
    if (!target) return;
    if (target.classList.contains("rule-link")) showRule(target.dataset.rule);
    else TG.emit("subject", target.dataset.subject);
  });
  // A printed report holds every filtered row, not just the page on screen.
  window.addEventListener("beforeprint", () => draw(true));
  window.addEventListener("afterprint", () => draw());

  refresh();
})();
