// Reply composer hints (RP-4): warn while the reply is still only the policy's template,
// or very long. The server enforces the greeting and closing whatever this script does.
(function () {
  var box = document.getElementById("reply-body");
  if (!box) return;
  // The template comes from the page, not from the box: after a refused reply the box holds
  // the agent's own words, which are not "only the template".
  var template = box.getAttribute("data-template") || "";
  var tooLong = document.getElementById("warn-long");
  var unchanged = document.getElementById("warn-template");
  function check() {
    unchanged.hidden = box.value.trim() !== template.trim();
    tooLong.hidden = box.value.length < 4000;
  }
  box.addEventListener("input", check);
  check();
})();
