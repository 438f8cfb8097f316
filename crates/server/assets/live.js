// Live views: the server says "changed" over Server-Sent Events and the page reloads the
// changed part with htmx (the queue's rows, or a ticket's timeline in the chat console).
// EventSource reconnects by itself after a network drop.
(function () {
  if (!window.EventSource) return;
  document.querySelectorAll("[data-stream][data-rows]").forEach(function (el) {
    var source = new EventSource(el.getAttribute("data-stream"));
    source.addEventListener(el.getAttribute("data-event") || "queue", function () {
      window.htmx.ajax("GET", el.getAttribute("data-rows"), { target: "#" + el.id, swap: "innerHTML" });
    });
  });
})();
