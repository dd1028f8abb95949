// Saves each questionnaire answer as it is given, so leaving a page without pressing Next
// loses nothing. The form's own buttons still save everything, with or without this script.
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) return;
  const url = form.getAttribute("data-autosave");
  const tokenInput = form.querySelector('input[name="csrf_token"]');
  const status = document.getElementById("autosave-status");
  if (!url || !tokenInput) return;
  let pending = 0;

  function say(text) {
    if (status) status.textContent = text;
  }

  function save(name, value) {
    const body = new FormData();
    body.append("csrf_token", tokenInput.value);
    body.append(name, value);
    pending += 1;
    form.setAttribute("data-autosave-pending", String(pending));
    say("Saving…");
    fetch(url, {
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
      })
      .finally(function () {
        pending -= 1;
        form.setAttribute("data-autosave-pending", String(pending));
      });
  }

  form.addEventListener("change", function (event) {
    const field = event.target;
    if (field.type === "radio" && field.checked) save(field.name, field.value);
    else if (field.tagName === "TEXTAREA") save(field.name, field.value);
  });
})();
