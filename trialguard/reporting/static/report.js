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

  const listeners = {};
  return {
    data,
    el,
    svg,
    on(event, handler) {
      (listeners[event] = listeners[event] || []).push(handler);
    },
    emit(event, value) {
      for (const handler of listeners[event] || []) handler(value);
    },
  };
})();
