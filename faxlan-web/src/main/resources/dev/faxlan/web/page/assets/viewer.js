// The page viewer: page through (buttons or arrow keys), zoom and rotate the page shown. Without it every page shows in turn.
"use strict";
(function () {
  const figures = Array.from(document.querySelectorAll("#pages .fax-page"));
  if (figures.length === 0) return;
  const toolbar = document.querySelector(".toolbar");
  const position = document.getElementById("position");
  let current = 0;
  let zoom = 1;
  const rotation = figures.map(() => 0);

  function show() {
    figures.forEach((f, i) => { f.hidden = i !== current; });
    const img = figures[current].querySelector("img");
    img.style.width = (zoom * 100) + "%";
    img.style.transform = "rotate(" + rotation[current] + "deg)";
    position.textContent = "Page " + (current + 1) + " of " + figures.length;
    document.getElementById("previous").disabled = current === 0;
    document.getElementById("next").disabled = current === figures.length - 1;
  }

  document.getElementById("previous").addEventListener("click", () => { if (current > 0) { current--; show(); } });
  document.getElementById("next").addEventListener("click", () => { if (current < figures.length - 1) { current++; show(); } });
  document.getElementById("zoom-in").addEventListener("click", () => { zoom = Math.min(4, zoom * 1.25); show(); });
  document.getElementById("zoom-out").addEventListener("click", () => { zoom = Math.max(0.25, zoom / 1.25); show(); });
  document.getElementById("rotate").addEventListener("click", () => { rotation[current] = (rotation[current] + 90) % 360; show(); });
  document.addEventListener("keydown", e => {
    if (e.target.closest("input, textarea, select")) return;
    if (e.key === "ArrowRight" || e.key === "PageDown") document.getElementById("next").click();
    if (e.key === "ArrowLeft" || e.key === "PageUp") document.getElementById("previous").click();
  });
  toolbar.hidden = false;
  show();
})();
