"use strict";
// The findings table: filters, free-text search, sorting, paging and CSV download,
// over the rows in the report's data block (the whole set stays in memory; only a page is drawn).
(function () {
  const { data, el } = TG;
  const VALUE_SHOWN = 300; // characters of a value drawn in the table
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
  const printRows = document.getElementById("print-rows");
  const printNote = document.getElementById("print-note");
  const state = { sortColumn: null, sortDirection: 1, page: 0, shown: [], perRule: {} };
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
    state.perRule = {};
    for (const i of state.shown) state.perRule[rows[i][C.rule]] = (state.perRule[rows[i][C.rule]] || 0) + 1;
    if (state.sortColumn !== null) state.shown.sort(compare);
    state.page = 0;
    draw();
  }

  function pageCount() {
    return Math.max(1, Math.ceil(state.shown.length / Number(pageSize.value)));
  }

  function draw() {
    const size = Number(pageSize.value);
    const first = state.page * size;
    const last = Math.min(first + size, state.shown.length);
    drawRows(state.shown, first, last, 0);
    const filtered = state.shown.length === rows.length ? "" : " (filtered from " + rows.length.toLocaleString("en") + ")";
    const held = (data.total || rows.length) - rows.length;
    const rest = held > 0 ? "; " + held.toLocaleString("en") + " more in the JSON report" : "";
    counter.textContent = "(" + state.shown.length.toLocaleString("en") + " shown" + filtered + rest + ")";
    pageInfo.textContent = state.shown.length
      ? "Rows " + (first + 1).toLocaleString("en") + "\u2013" + last.toLocaleString("en") + " of " +
        state.shown.length.toLocaleString("en") + " \u00b7 page " + (state.page + 1) + " of " + pageCount()
      : "No rows";
    document.getElementById("page-prev").disabled = state.page === 0;
    document.getElementById("page-next").disabled = state.page >= pageCount() - 1;
  }

  // Rows first to last of `list` (indices into rows); `limit`, when a printout holds only the
  // first rows of each rule, is said in each rule's heading row.
  function drawRows(list, first, last, limit) {
    const fragment = document.createDocumentFragment();
    const grouped = byRule();
    for (let k = first; k < last; k++) {
      const r = rows[list[k]];
      const before = k > 0 ? rows[list[k - 1]][C.rule] : null;
      if (grouped && (k === first || r[C.rule] !== before)) fragment.appendChild(groupElement(r, before === r[C.rule], limit));
      fragment.appendChild(rowElement(r, grouped));
    }
    if (!list.length) {
      const empty = el("tr");
      empty.appendChild(el("td", { colspan: "9" }, rows.length ? "No finding matches the filters." : "No findings."));
      fragment.appendChild(empty);
    }
    body.replaceChildren(fragment);
  }

  // Paper is not paged like the screen: a printout holds the first rows of each rule, or every
  // row the filters show when chosen under "Rows printed"; the JSON report holds them all.
  function drawForPrint() {
    const limit = Number(printRows.value);
    const seen = {};
    const kept = (i) => (seen[rows[i][C.rule]] = (seen[rows[i][C.rule]] || 0) + 1) <= limit;
    const list = limit ? state.shown.filter(kept) : state.shown;
    drawRows(list, 0, list.length, limit);
    const shown = state.shown.length.toLocaleString("en");
    printNote.textContent = list.length < state.shown.length
      ? "This printout holds the first " + limit + " findings of each rule: " + list.length.toLocaleString("en") +
        " of the " + shown + " the filters show (choose \u201cevery finding shown\u201d under \u201cRows printed\u201d to print them all)."
      : "This printout holds every finding the filters show (" + shown + ").";
  }

  // Rows of one rule stand together (the table's first order, or sorted by severity or rule):
  // the rule's description is said once, in a row heading its group, not in every row.
  function byRule() {
    return state.sortColumn === null || state.sortColumn === C.severity || state.sortColumn === C.rule;
  }

  function groupElement(r, continued, limit) {
    const rule = data.rules[r[C.rule]];
    const count = state.perRule[r[C.rule]] || 0;
    const cut = limit && count > limit ? ", the first " + limit + " printed" : "";
    const tr = el("tr", { class: "rule-group", "data-group": r[C.rule], "data-severity": r[C.severity] });
    const cell = el("td", { colspan: "9" });
    cell.appendChild(el("span", { class: "sev " + r[C.severity] }, r[C.severity]));
    cell.appendChild(el("code", {}, r[C.rule]));
    const more = (data.more || {})[r[C.rule]];
    const held = more ? ", " + more.toLocaleString("en") + " more in the JSON report" : "";
    cell.appendChild(el("span", { class: "group-count" }, count.toLocaleString("en") + (count === 1 ? " finding" : " findings") + held + cut + (continued ? ", continued" : "")));
    if (rule) cell.appendChild(el("span", { class: "group-text" }, rule.description));
    tr.appendChild(cell);
    return tr;
  }

  function rowElement(r, grouped) {
    const tr = el("tr", { "data-severity": r[C.severity], "data-rule": r[C.rule], class: stateOf(r) });
    const severity = el("td");
    severity.appendChild(el("span", { class: "sev " + r[C.severity] }, r[C.severity]));
    if (r[C.history]) severity.appendChild(el("span", { class: "badge " + r[C.history] }, r[C.history]));
    if (r[C.waiver]) severity.appendChild(el("span", { class: "badge waived", title: r[C.waiver] }, "waived"));
    tr.appendChild(severity);
    const rule = el("td");
    const code = rule.appendChild(el("code", {}, r[C.rule]));
    const described = data.rules[r[C.rule]];
    if (described) code.title = described.description;
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
      values.appendChild(el("div", {}, text));
    }
    tr.appendChild(values);
    tr.appendChild(el("td", { class: "num" }, r[C.day] === null ? "" : r[C.day]));
    const message = el("td");
    message.appendChild(el("div", {}, TG.visible(r[C.message], VALUE_SHOWN)));
    if (described && !grouped) message.appendChild(el("div", { class: "rule-text" }, "Rule: " + described.description));
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
  window.addEventListener("beforeprint", drawForPrint);
  window.addEventListener("afterprint", () => draw());

  refresh();
})();
