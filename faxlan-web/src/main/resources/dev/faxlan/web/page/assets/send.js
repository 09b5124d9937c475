// The send page: dropped files join the file input, more recipients, the cover preview, the page preview.
"use strict";
(function () {
  const form = document.getElementById("send-form");
  const input = document.getElementById("file");
  const drop = document.getElementById("drop");
  const list = document.getElementById("file-list");
  const csrf = document.body.dataset.csrf;

  function showFiles() {
    list.replaceChildren(...Array.from(input.files).map(f => {
      const li = document.createElement("li");
      li.textContent = f.name + " (" + Math.ceil(f.size / 1024) + " KiB)";
      return li;
    }));
  }

  // Dropped files are added to those already chosen, in the order given: the form sends the input as usual.
  drop.addEventListener("dragover", e => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", e => {
    e.preventDefault();
    drop.classList.remove("over");
    const all = new DataTransfer();
    for (const f of input.files) all.items.add(f);
    for (const f of e.dataTransfer.files) all.items.add(f);
    input.files = all.files;
    showFiles();
  });
  input.addEventListener("change", showFiles);

  let extra = 0;
  document.getElementById("add-recipient").addEventListener("click", () => {
    extra++;
    const id = "to-" + extra;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Recipient " + (extra + 1);
    const field = document.createElement("input");
    field.id = id;
    field.name = "to";
    field.setAttribute("list", "phonebook");
    field.autocomplete = "off";
    document.getElementById("recipients").append(label, field);
    field.focus();
  });

  // The cover preview follows every change of the fields it shows, a moment after typing stops.
  const cover = document.getElementById("cover");
  const figure = document.getElementById("cover-figure");
  const coverImg = document.getElementById("cover-preview");
  let timer = null;
  function updateCover() {
    if (!cover.value) { figure.hidden = true; return; }
    const q = new URLSearchParams({
      cover: cover.value,
      to: Array.from(form.querySelectorAll("input[name=to]")).map(i => i.value).filter(v => v).join(", "),
      subject: form.subject.value,
      comment: form.comment.value,
      resolution: form.resolution.value
    });
    coverImg.src = "/send/cover.png?" + q;
    figure.hidden = false;
  }
  form.addEventListener("input", e => {
    if (e.target === input) return;
    clearTimeout(timer);
    timer = setTimeout(updateCover, 300);
  });
  cover.addEventListener("change", updateCover);

  const section = document.getElementById("preview");
  const status = document.getElementById("preview-status");
  const pages = document.getElementById("preview-pages");
  document.getElementById("preview-button").addEventListener("click", async () => {
    section.hidden = false;
    pages.replaceChildren();
    status.textContent = "Converting the documents…";
    const body = new FormData(form);
    try {
      const r = await fetch("/send/preview", { method: "POST", body: body, headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } });
      const answer = await r.json();
      if (!r.ok) { status.textContent = answer.error || ("Preview failed (" + r.status + ")"); return; }
      status.textContent = answer.pages.length + (answer.pages.length === 1 ? " page" : " pages") + ", as they will be faxed.";
      answer.pages.forEach((url, i) => {
        const img = document.createElement("img");
        img.src = url;
        img.alt = "Page " + (i + 1) + " of " + answer.pages.length;
        img.className = "page";
        pages.append(img);
      });
    } catch (e) {
      status.textContent = "Preview failed: " + e.message;
    }
  });

  // The schedule is the browser's local time: it is sent as an instant, so the server's zone does not matter.
  form.addEventListener("submit", () => {
    const when = document.getElementById("schedule").value;
    document.getElementById("send_at").value = when ? new Date(when).toISOString() : "";
  });
})();
