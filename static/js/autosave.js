// Saves each questionnaire answer as it is given, so leaving a page without pressing Next
// loses nothing. The form's own buttons still save everything, with or without this script.
//
// Order matters: answers changed quickly (arrow keys run through several options) must be
// stored in the order they were given, and Next must not be overtaken by an older save. So
// saves go one at a time, a field's newer value replaces its older one still waiting, and
// pressing a button of the form waits until the saves under way have finished.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData || !window.Promise) return;
  const url = form.getAttribute("data-autosave");
  const tokenInput = form.querySelector('input[name="csrf_token"]');
  const status = document.getElementById("autosave-status");
  if (!url || !tokenInput) return;
  const waiting = new Map(); // field name -> newest value not sent yet
  let running = null; // the promise of the save being sent, if any
  let submitting = false;

  function say(text) {
    if (status) status.textContent = text;
  }

  function mark() {
    form.setAttribute("data-autosave-pending", String(waiting.size + (running ? 1 : 0)));
  }

  function send(name, value) {
    const body = new FormData();
    body.append("csrf_token", tokenInput.value);
    body.append(name, value);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: true,
      headers: { "X-CSRFToken": tokenInput.value },
    })
      .then(function (response) {
        say(response.ok ? "Your answers on this page are saved." : "Not saved yet: your answers are kept when you press Next.");
      })
      .catch(function () {
        say("Not saved yet: your answers are kept when you press Next.");
      });
  }

  // Sends the waiting values one after another; resolves when none is left.
  function drain() {
    if (running) return running;
    const next = waiting.entries().next();
    if (next.done) {
      mark();
      return Promise.resolve();
    }
    const [name, value] = next.value;
    waiting.delete(name);
    running = send(name, value).then(function () {
      running = null;
      return drain();
    });
    mark();
    return running;
  }

  function save(name, value) {
    if (submitting) return; // the form's own post carries every answer from here on
    waiting.delete(name); // re-inserted last, so fields keep the order they changed in
    waiting.set(name, value);
    say("Saving…");
    drain();
  }

  form.addEventListener("change", function (event) {
    const field = event.target;
    if (field.type === "radio" && field.checked) save(field.name, field.value);
    else if (field.tagName === "TEXTAREA") save(field.name, field.value);
  });

  // A button pressed while saves are under way: wait for them, then post the form as that
  // button would have, so an older save never lands after the page's own.
  form.addEventListener("submit", function (event) {
    if (submitting) {
      event.preventDefault(); // a second press: the first one's post is already on its way
      return;
    }
    if (!running && waiting.size === 0) return;
    event.preventDefault();
    submitting = true;
    waiting.clear(); // the form's post carries these values anyway
    const button = event.submitter;
    if (button && button.name) {
      const chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = button.name;
      chosen.value = button.value;
      form.appendChild(chosen);
    }
    (running || Promise.resolve()).then(function () {
      form.submit();
    });
  });
})();
