// Live views: the server says "changed" over Server-Sent Events and the page reloads the
// changed part with htmx (the queue's rows, a ticket's timeline in the chat console, the
// header's count of unread notifications). One connection per stream address, shared by the
// parts that listen to it. EventSource reconnects by itself after a network drop.
(function () {
  if (!window.EventSource) return;
  var sources = {};
  document.querySelectorAll("[data-stream][data-rows]").forEach(function (el) {
    var url = el.getAttribute("data-stream");
    var source = sources[url] || (sources[url] = new EventSource(url));
    source.addEventListener(el.getAttribute("data-event") || "queue", function () {
      window.htmx.ajax("GET", el.getAttribute("data-rows"), { target: "#" + el.id, swap: "innerHTML" });
    });
  });
})();
