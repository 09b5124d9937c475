// The outbox's live state: server-sent events from /outbox/events update each job's row in place.
"use strict";
(function () {
  const table = document.querySelector("#jobs tbody");
  const live = document.getElementById("live");
  const csrf = document.body.dataset.csrf;
  const FINAL = ["done", "failed", "cancelled"];

  function actionForm(id, action, label, text) {
    const f = document.createElement("form");
    f.method = "post";
    f.action = "/outbox/" + id + "/" + action;
    f.className = action;
    const t = document.createElement("input");
    t.type = "hidden";
    t.name = "_csrf";
    t.value = csrf;
    const b = document.createElement("button");
    b.type = "submit";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    f.append(t, b);
    return f;
  }

  function newRow(job) {
    const tr = document.createElement("tr");
    tr.id = "job-" + job.id;
    tr.dataset.job = job.id;
    const cells = [String(job.id), job.to || "", job.subject || "", "", "", ""];
    const labels = ["Job", "To", "Subject", "State", "Reason", "Created"];
    cells.forEach((text, i) => { const td = document.createElement("td"); td.textContent = text; td.dataset.label = labels[i]; tr.append(td); });
    const state = document.createElement("span");
    state.className = "state";
    tr.children[3].append(state);
    tr.children[4].className = "reason";
    const actions = document.createElement("td");
    actions.className = "actions";
    actions.append(actionForm(job.id, "cancel", "Cancel job " + job.id, "Cancel"), actionForm(job.id, "resend", "Send job " + job.id + " again", "Resend"));
    tr.append(actions);
    table.prepend(tr);
    const none = document.getElementById("no-jobs");
    if (none) none.remove();
    return tr;
  }

  function update(job) {
    const row = document.getElementById("job-" + job.id) || newRow(job);
    const state = row.querySelector(".state");
    // Events can overtake the list sent on connecting: a finished job never goes back.
    if (FINAL.includes(state.dataset.state) && !FINAL.includes(job.state)) return;
    state.textContent = job.state;
    state.dataset.state = job.state;
    state.className = "state state-" + job.state;
    row.querySelector(".reason").textContent = job.reason || "";
    const cancel = row.querySelector("form.cancel");
    if (cancel) cancel.hidden = FINAL.includes(job.state);
  }

  const events = new EventSource("/outbox/events");
  events.addEventListener("job", e => update(JSON.parse(e.data)));
  events.addEventListener("open", () => { live.textContent = "Job states update by themselves (connected)."; live.dataset.live = "true"; });
  events.addEventListener("error", () => { live.textContent = "Live updates interrupted: reconnecting…"; live.dataset.live = "false"; });
})();
