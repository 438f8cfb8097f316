// The reception slip's print button (CH-4). A script file rather than an onclick attribute:
// the pages' Content-Security-Policy runs no inline script.
(function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
