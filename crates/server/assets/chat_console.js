// The chat console on a chat ticket's page (CH-3): a line is sent without reloading the
// page, the answer is the new transcript, and a refusal (RP-2: the first line greets) is
// shown under the box. The visitor's new lines arrive through live.js, which reloads the
// transcript when the ticket changes. Without this script the form still posts.
(function () {
  var form = document.getElementById("chat-form");
  if (!form) return;
  var log = document.getElementById("chat-log");
  var box = document.getElementById("chat-body");
  var error = document.getElementById("chat-error");
  var button = form.querySelector('button[type="submit"]');
  function bottom() { log.scrollTop = log.scrollHeight; }
  bottom();
  log.addEventListener("htmx:afterSwap", bottom);
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!box.value.trim()) return;
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "HX-Request": "true" },
      credentials: "same-origin",
    })
      .then(function (r) { return r.text().then(function (html) { return { ok: r.ok, html: html }; }); })
      .then(function (res) {
        if (res.ok) {
          // Our own server's escaped markup: the transcript as the page renders it.
          log.innerHTML = res.html;
          box.value = "";
          error.innerHTML = "";
          box.removeAttribute("aria-invalid");
          // The conversation is greeted now (RP-2): say so, as a fresh page would.
          var hint = document.getElementById("chat-hint");
          hint.textContent = hint.getAttribute("data-later");
          bottom();
        } else {
          error.innerHTML = res.html;
          box.setAttribute("aria-invalid", "true");
        }
      })
      .catch(function () { error.textContent = form.getAttribute("data-offline"); })
      .then(function () { button.disabled = false; box.focus(); });
  });
  // Enter sends, as in the visitor's widget; Shift+Enter starts a new line.
  box.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
  });
})();
