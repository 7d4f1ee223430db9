"use strict";
(function () {
  const table = document.getElementById("findings-table");
  if (!table) return;
  const rows = Array.from(table.tBodies[0].rows).filter((row) => row.dataset.rule);
  const controls = ["f-severity", "f-domain", "f-rule", "f-text"].map((id) => document.getElementById(id));
  const counter = document.getElementById("shown-count");

  function apply() {
    const [severity, domain, rule, text] = controls.map((c) => c.value.trim());
    const needle = text.toLowerCase();
    let shown = 0;
    for (const row of rows) {
      const visible =
        (!severity || row.dataset.severity === severity) &&
        (!domain || row.dataset.domain === domain) &&
        (!rule || row.dataset.rule === rule) &&
        (!needle || row.textContent.toLowerCase().includes(needle));
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    counter.textContent = "(" + shown + " of " + rows.length + " shown)";
  }

  controls.forEach((control) => control.addEventListener("input", apply));
  apply();
})();
