// The page viewer: page through, zoom and rotate a received fax's page pictures. Without it every
// page is still shown, one below the other; with it the buttons (and keys) work on all pages at once.
"use strict";
(function () {
  const box = document.getElementById("fax-pages");
  const tools = document.getElementById("viewer-tools");
  if (!box || !tools) return;
  const figures = Array.from(box.querySelectorAll("figure.fax-page"));
  const position = document.getElementById("page-position");
  const zoomLevel = document.getElementById("zoom-level");
  const ZOOMS = [50, 75, 100, 150, 200, 300];
  let zoom = 2;
  let angle = 0;
  let current = 0;

  // A quarter turn swaps the picture's width and height: the figure is given the turned picture's
  // height, and the picture is moved back into its box (CSS transforms do not move the layout).
  function layout(fig) {
    const img = fig.querySelector("img");
    const turn = fig.querySelector(".turn");
    img.style.width = (ZOOMS[zoom] / 100 * box.clientWidth * (angle % 180 ? 0.75 : 1)) + "px";
    const w = img.offsetWidth;
    const h = img.offsetHeight;
    const moves = { 0: "", 90: "translate(" + h + "px,0) rotate(90deg)", 180: "translate(" + w + "px," + h + "px) rotate(180deg)",
      270: "translate(0," + w + "px) rotate(270deg)" };
    img.style.transform = moves[angle];
    turn.style.height = (angle % 180 ? w : h) + "px";
    turn.style.width = (angle % 180 ? h : w) + "px";
  }

  function layoutAll() {
    figures.forEach(layout);
    zoomLevel.textContent = ZOOMS[zoom] + "%";
  }

  function show(i) {
    current = Math.max(0, Math.min(figures.length - 1, i));
    position.textContent = "Page " + (current + 1) + " of " + figures.length;
    figures.forEach((f, k) => f.classList.toggle("current", k === current));
    figures[current].scrollIntoView({ block: "start" });
    figures[current].focus({ preventScroll: true });
    document.getElementById("prev-page").disabled = current === 0;
    document.getElementById("next-page").disabled = current === figures.length - 1;
  }

  document.getElementById("prev-page").addEventListener("click", () => show(current - 1));
  document.getElementById("next-page").addEventListener("click", () => show(current + 1));
  document.getElementById("zoom-in").addEventListener("click", () => { zoom = Math.min(ZOOMS.length - 1, zoom + 1); layoutAll(); });
  document.getElementById("zoom-out").addEventListener("click", () => { zoom = Math.max(0, zoom - 1); layoutAll(); });
  document.getElementById("rotate").addEventListener("click", () => {
    angle = (angle + 90) % 360;
    box.dataset.rotation = String(angle);
    layoutAll();
  });
  // Keys for the same buttons, except while typing in a form field.
  document.addEventListener("keydown", (e) => {
    if (e.target.closest("input, select, textarea") || e.ctrlKey || e.metaKey || e.altKey) return;
    const act = { ArrowLeft: "prev-page", PageUp: "prev-page", ArrowRight: "next-page", PageDown: "next-page", "+": "zoom-in",
      "-": "zoom-out", r: "rotate" }[e.key];
    if (!act) return;
    e.preventDefault();
    document.getElementById(act).click();
  });
  figures.forEach((f) => f.querySelector("img").addEventListener("load", () => layout(f)));
  window.addEventListener("resize", layoutAll);
  tools.hidden = false;
  box.classList.add("scripted");
  position.textContent = "Page 1 of " + figures.length;
  document.getElementById("prev-page").disabled = true;
  document.getElementById("next-page").disabled = figures.length < 2;
  layoutAll();
})();
