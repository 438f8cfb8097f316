// The copy buttons beside a tracking link (TR-1): the customer keeps the link with one click.
// A script file rather than an onclick attribute: the pages' Content-Security-Policy runs no
// inline script. Where the clipboard is not offered (a page not served over HTTPS), the link's
// text is selected instead, for the customer to copy by hand.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.getAttribute("data-copy");
      var done = function () {
        button.textContent = button.getAttribute("data-copied") || button.textContent;
      };
      var select = function () {
        var target = document.getElementById(button.getAttribute("aria-controls"));
        if (!target) return;
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, select);
      } else {
        select();
      }
    });
  });
})();
