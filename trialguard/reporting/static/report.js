"use strict";
// Shared by the findings table and the timelines: the report's data and DOM helpers.
// Values from the data only ever reach the page through textContent or attributes.
const TG = (function () {
  const source = document.getElementById("tg-data");
  const data = JSON.parse(source.textContent);
  const SVG_NS = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function svg(tag, attrs, title) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (title) node.appendChild(svg("title")).textContent = title;
    return node;
  }

  // Control and text-direction characters are drawn as visible code points, so a value cannot
  // hide text or display in another order than it is stored; very long values are cut for display
  // (the report itself holds at most 300 characters of any text, cut with its length said: CUT).
  const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
  const CUT = /\u2026 \(([\d,]+) characters in all; the JSON report holds the whole value\)$/;
  function visible(text, limit) {
    const full = String(text);
    const marked = full.match(CUT);
    const body = marked ? full.slice(0, marked.index) : full;
    const cut = limit && body.length > limit ? body.slice(0, limit) : body;
    const shown = cut.replace(HIDDEN, (c) => "\u27e8U+" + c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "\u27e9");
    if (cut === full) return shown;
    const length = marked ? marked[1] : full.length.toLocaleString("en");
    return shown + "\u2026 (" + length + " characters in all; the JSON report holds the whole value)";
  }

  const listeners = {};
  return {
    data,
    el,
    svg,
    visible,
    on(event, handler) {
      (listeners[event] = listeners[event] || []).push(handler);
    },
    emit(event, value) {
      for (const handler of listeners[event] || []) handler(value);
    },
  };
})();

// A printout is an audit copy: the folded run and input list is printed open.
(function () {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("details.print-open:not([open])")];
    for (const details of opened) details.open = true;
  });
  window.addEventListener("afterprint", () => {
    for (const details of opened) details.open = false;
    opened = [];
  });
})();
