// Live queue: the server says "changed" over Server-Sent Events and the page reloads the
// queue's rows with htmx. EventSource reconnects by itself after a network drop.
(function () {
  var rows = document.getElementById("queue-rows");
  if (!rows || !window.EventSource) return;
  var source = new EventSource(rows.getAttribute("data-stream"));
  source.addEventListener("queue", function () {
    window.htmx.ajax("GET", rows.getAttribute("data-rows"), { target: "#queue-rows", swap: "innerHTML" });
  });
})();
