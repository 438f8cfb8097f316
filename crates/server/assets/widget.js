/* hotro chat widget (CH-3). Embed with one tag on any site:
 *   <script src="https://support.example.vn/widget.js" data-department="sales" async></script>
 * Visitors chat without an account. Messages are kept in this browser until hotro
 * acknowledges them, so a dropped connection loses nothing; the conversation resumes. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var base = new URL(script.src).origin;
  var department = script.getAttribute("data-department") || "";
  var topic = script.getAttribute("data-topic") || "";
  var lang = script.getAttribute("data-lang") || (navigator.language || "vi").slice(0, 2);
  var en = lang === "en";
  var T = en
    ? { title: "Chat with us", name: "Your name", email: "E-mail (optional)", send: "Send", placeholder: "Type a message…", you: "You", staff: "Support", retry: "Reconnecting…", open: "Chat", code: "Ticket code", follow: "Follow it at" }
    : { title: "Trò chuyện với chúng tôi", name: "Họ và tên", email: "E-mail (không bắt buộc)", send: "Gửi", placeholder: "Nhập tin nhắn…", you: "Quý khách", staff: "Hỗ trợ", retry: "Đang kết nối lại…", open: "Chat", code: "Mã phiếu", follow: "Theo dõi tại" };
  var key = "hotro-chat:" + base;
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
  saved.pending = saved.pending || [];
  function save() { try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* private mode */ } }

  var root = document.createElement("div");
  root.setAttribute("data-hotro-chat", "");
  root.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:2147483000;font:15px/1.4 system-ui,sans-serif";
  // The markup carries no style attribute: a host page whose Content-Security-Policy
  // refuses inline styles (as hotro's own pages do) would drop them. Styles set through
  // the element's style object are not inline markup, so every policy lets them apply.
  root.innerHTML =
    '<button type="button" data-role="toggle" aria-expanded="false"></button>' +
    '<section data-role="panel" role="dialog">' +
    '<header data-role="title"></header>' +
    '<p data-role="status"></p>' +
    '<p data-role="receipt" hidden><span data-role="code"></span> <a data-role="link" target="_blank" rel="noopener"></a></p>' +
    '<ol data-role="log" aria-live="polite"></ol>' +
    '<form data-role="form">' +
    '<input data-role="name" required>' +
    '<input data-role="email" type="email">' +
    '<div data-role="row"><textarea data-role="text" rows="2" required></textarea>' +
    '<button type="submit" data-role="send"></button></div>' +
    "</form></section>";
  var field = "padding:7px;border:1px solid #b9c1cd;border-radius:6px;font:inherit";
  var styles = {
    toggle: "background:#0b5cad;color:#fff;border:0;border-radius:24px;padding:10px 18px;font:inherit;cursor:pointer",
    panel: "display:none;width:320px;max-width:calc(100vw - 32px);height:440px;max-height:70vh;background:#fff;border:1px solid #c9d1dc;border-radius:10px;flex-direction:column;overflow:hidden;box-shadow:0 6px 24px rgba(0,0,0,.18)",
    title: "background:#0b5cad;color:#fff;padding:10px 12px;font-weight:600",
    status: "margin:0;padding:6px 12px;background:#f5f7fa;color:#5b6473;font-size:13px",
    receipt: "margin:0;padding:6px 12px;background:#eef7ee;color:#1d5e2c;font-size:13px;border-bottom:1px solid #d3e8d5;overflow-wrap:anywhere",
    code: "font-weight:600",
    link: "color:#0b5cad",
    log: "list-style:none;margin:0;padding:8px 12px;flex:1;overflow:auto",
    form: "display:flex;flex-direction:column;gap:6px;padding:8px;border-top:1px solid #e3e7ed",
    name: field,
    email: field,
    row: "display:flex;gap:6px",
    text: "flex:1;resize:none;" + field,
    send: "background:#0b5cad;color:#fff;border:0;border-radius:6px;padding:0 12px;font:inherit;cursor:pointer"
  };
  Object.keys(styles).forEach(function (role) {
    root.querySelector('[data-role="' + role + '"]').style.cssText = styles[role];
  });
  (document.body || document.documentElement).appendChild(root);
  function $(role) { return root.querySelector('[data-role="' + role + '"]'); }
  var toggle = $("toggle"), panel = $("panel"), log = $("log"), status = $("status");
  var form = $("form"), nameInput = $("name"), emailInput = $("email"), text = $("text");
  toggle.textContent = T.open;
  panel.querySelector("header").textContent = T.title;
  panel.setAttribute("aria-label", T.title);
  nameInput.placeholder = T.name; nameInput.setAttribute("aria-label", T.name);
  emailInput.placeholder = T.email; emailInput.setAttribute("aria-label", T.email);
  text.placeholder = T.placeholder; text.setAttribute("aria-label", T.placeholder);
  form.querySelector('button[type="submit"]').textContent = T.send;

  var shown = {};
  function show(from, body, id) {
    if (id && shown[id]) return;
    if (id) shown[id] = true;
    var li = document.createElement("li");
    li.style.cssText = "margin:6px 0;padding:6px 9px;border-radius:8px;white-space:pre-wrap;overflow-wrap:anywhere;" +
      (from === "you" ? "background:#e6f0fb;margin-left:28px" : "background:#f1f3f6;margin-right:28px");
    var who = document.createElement("strong");
    who.textContent = (from === "you" ? T.you : T.staff) + ": ";
    li.appendChild(who);
    li.appendChild(document.createTextNode(body)); // text, never HTML
    log.appendChild(li);
    log.scrollTop = log.scrollHeight;
  }
  function started() { return !!(saved.code && saved.secret); }
  // TR-1: the confirmation on the channel used — the ticket's code and tracking link,
  // shown from the first answer on and kept with the resume data, so a reload shows them too.
  var receipt = $("receipt");
  function showReceipt() {
    receipt.hidden = !started();
    // `hidden` alone loses to the style object's display; set both.
    receipt.style.display = started() ? "block" : "none";
    if (!started()) return;
    $("code").textContent = T.code + ": " + saved.code + ".";
    var link = $("link");
    link.hidden = !saved.tracking_url;
    if (saved.tracking_url) {
      link.href = saved.tracking_url;
      link.textContent = T.follow + " " + saved.tracking_url;
    }
  }
  function refreshForm() {
    nameInput.hidden = emailInput.hidden = started();
    nameInput.required = !started();
    showReceipt();
  }

  // Each page load asks for the whole conversation (shown once each); reconnects within
  // the page ask only for what came after the last entry seen.
  var since = 0;
  var socket = null, backoff = 500;
  function connect() {
    if (!started()) return;
    socket = new WebSocket(base.replace(/^http/, "ws") + "/chat/ws");
    socket.onopen = function () {
      backoff = 500;
      socket.send(JSON.stringify({ type: "hello", code: saved.code, secret: saved.secret, since: since }));
      saved.pending.forEach(function (m) { socket.send(JSON.stringify({ type: "message", body: m.body, ref: m.ref })); });
      loadStatus();
    };
    socket.onmessage = function (ev) {
      var msg = JSON.parse(ev.data);
      if (msg.type === "entry") {
        show(msg.from, msg.body, msg.ref ? "ref:" + msg.ref : "seq:" + msg.seq);
        if (msg.ref) shown["ref:" + msg.ref] = true;
        since = Math.max(since, msg.seq);
      } else if (msg.type === "ack") {
        saved.pending = saved.pending.filter(function (m) { return m.ref !== msg.ref; });
        save();
      } else if (msg.type === "error" && msg.code === "not_found") {
        saved = { pending: [] }; save(); refreshForm();
      }
    };
    socket.onclose = function () {
      status.textContent = T.retry;
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 15000);
    };
  }
  function loadStatus() {
    fetch(base + "/chat/status?department=" + encodeURIComponent(department) + "&lang=" + lang)
      .then(function (r) { return r.json(); })
      .then(function (s) { status.textContent = s.message; })
      .catch(function () { /* offline: the socket will retry */ });
  }
  function newRef() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = text.value.trim();
    if (!body) return;
    text.value = "";
    if (!started()) {
      var payload = { name: nameInput.value, email: emailInput.value || null, message: body, department: department || null, topic: topic || null };
      fetch(base + "/chat/start", { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify(payload) })
        .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
        .then(function (res) {
          if (!res.ok) {
            text.value = body;
            status.textContent = (res.j.error && res.j.error.fields && res.j.error.fields[0] && res.j.error.fields[0].message) || "";
            return;
          }
          saved.code = res.j.code; saved.secret = res.j.secret; saved.tracking_url = res.j.tracking_url; save();
          refreshForm(); connect();
        })
        .catch(function () { text.value = body; status.textContent = T.retry; });
      return;
    }
    var m = { body: body, ref: newRef() };
    saved.pending.push(m); save();
    show("you", body, "ref:" + m.ref);
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "message", body: m.body, ref: m.ref }));
  });
  text.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit(); }
  });
  toggle.addEventListener("click", function () {
    var open = panel.style.display === "none";
    panel.style.display = open ? "flex" : "none";
    toggle.setAttribute("aria-expanded", String(open));
    if (open) { loadStatus(); (started() ? text : nameInput).focus(); }
  });
  refreshForm();
  connect();
})();
