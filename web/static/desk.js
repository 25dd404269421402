// Sillok's review desk: keyboard shortcuts, live updates, and starting a
// claim from a selected passage. The pages work without it; it only
// enhances them. No framework, nothing fetched but the desk's own API.
(function () {
  "use strict";
  var body = document.body;
  var pageRev = parseInt(body.dataset.revision || "0", 10);

  function typing(e) {
    var t = e.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  var live = document.getElementById("live");
  function say(html) {
    if (!live) return;
    live.textContent = "";
    live.appendChild(html);
    live.hidden = false;
  }
  function text(s) { return document.createTextNode(s); }

  // --- Keyboard -------------------------------------------------------
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row[data-href]"));
  var claims = Array.prototype.slice.call(document.querySelectorAll(".claim[data-claim]"));
  var list = rows.length ? rows : claims;
  var sel = -1;
  function select(i) {
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    if (sel >= 0 && list[sel]) list[sel].classList.remove("selected");
    sel = i;
    list[sel].classList.add("selected");
    list[sel].scrollIntoView({ block: "nearest" });
  }
  rows.forEach(function (row) {
    row.addEventListener("click", function (e) {
      if (e.target.closest("a, button, input, form")) return;
      window.location.href = row.dataset.href;
    });
  });
  claims.forEach(function (c, i) {
    c.addEventListener("click", function (e) {
      if (e.target.closest("a, button")) return;
      select(i);
    });
  });
  function press(action) {
    var scope = claims.length && action !== "dismiss" && action !== "same" && action !== "distinct" ? (sel >= 0 ? claims[sel] : null) : document;
    if (!scope) {
      var m = document.createElement("span");
      m.textContent = "Select a claim first (j/k or its number), then press a.";
      say(m);
      return;
    }
    var b = scope.querySelector('button[data-action="' + action + '"]');
    if (b) b.click();
  }
  var help = document.getElementById("help");
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
    if (help && help.open) return;
    var k = e.key;
    if (k === "?") {
      if (help && help.showModal) help.showModal();
    } else if (k === "j" || (k === "n" && rows.length)) {
      select(sel + 1);
    } else if (k === "k") {
      select(sel - 1);
    } else if ((k === "Enter" || k === "o") && rows.length && sel >= 0) {
      window.location.href = rows[sel].dataset.href;
    } else if (/^[1-9]$/.test(k) && claims.length) {
      select(parseInt(k, 10) - 1);
    } else if (k === "a" && claims.length) {
      press("accept");
    } else if (k === "d") {
      press("dismiss");
    } else if (k === "n" || k === "u") {
      var a = document.querySelector('a[data-key="' + k + '"]');
      if (a) window.location.href = a.href;
      else return;
    } else {
      return;
    }
    e.preventDefault();
  });

  // --- Live updates ---------------------------------------------------
  // The server streams one message per new event; the page says how many
  // arrived since it was rendered, and on the queue how many conflicts
  // opened or closed, with a link to reload.
  var queue = document.querySelector(".queue[data-open]");
  if (window.EventSource && !document.querySelector(".login")) {
    var news = 0, timer = null;
    var es = new EventSource("/api/events");
    var onEvent = function (m) {
      var ev;
      try { ev = JSON.parse(m.data); } catch (err) { return; }
      if (!ev || !(ev.revision > pageRev)) return;
      news++;
      clearTimeout(timer);
      timer = setTimeout(announce, 400);
    };
    // The stream names its messages "revision"; an unnamed one is taken
    // too.
    es.addEventListener("revision", onEvent);
    es.onmessage = onEvent;
    var announce = function () {
      var done = function (what) {
        var s = document.createElement("span");
        s.textContent = what + " since this page was shown \u2014 ";
        var a = document.createElement("a");
        a.href = window.location.href.split("#")[0];
        a.textContent = "reload";
        s.appendChild(a);
        say(s);
      };
      var events = news + (news === 1 ? " new event" : " new events");
      if (!queue || !window.fetch) return done(events);
      fetch("/api/conflicts?status=open", { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (page) {
          // A capped page (it has a next) cannot count the queue. The
          // queue counts items (one per root cause), as the page does.
          var n = page.next ? 0 : (page.items || page.conflicts || []).length - parseInt(queue.dataset.open, 10);
          if (n > 0) done(n + (n === 1 ? " new conflict" : " new conflicts") + " (" + events + ")");
          else if (n < 0) done((-n) + (n === -1 ? " conflict resolved" : " conflicts resolved") + " (" + events + ")");
          else done(events);
        })
        .catch(function () { done(events); });
    };
  }

  // --- A claim from a selected passage --------------------------------
  var src = document.querySelector("#source-text[data-select]");
  var form = src && document.getElementById(src.dataset.select);
  if (src && form) {
    var squash = function (s) { return s.replace(/\s+/g, " "); };
    var taken = "";
    var take = function () {
      var s = window.getSelection();
      if (!s || s.rangeCount === 0 || s.isCollapsed) return;
      var r = s.getRangeAt(0);
      if (!src.contains(r.commonAncestorContainer)) return;
      var quote = squash(r.toString()).trim();
      if (quote.length < 3 || quote === taken) return;
      taken = quote;
      form.elements.quote.value = quote;
      // A quote that occurs more than once is placed by the words just
      // before it.
      var all = squash(src.textContent);
      var prefix = "";
      if (all.indexOf(quote) !== all.lastIndexOf(quote)) {
        var before = document.createRange();
        before.setStart(src, 0);
        before.setEnd(r.startContainer, r.startOffset);
        prefix = squash(before.toString()).trim().slice(-24);
      }
      form.elements.prefix.value = prefix;
      form.elements.suffix.value = "";
      var box = form.closest(".record");
      if (box) {
        box.classList.add("flash");
        setTimeout(function () { box.classList.remove("flash"); }, 1200);
      }
      var m = document.createElement("span");
      m.textContent = "Quote taken: \u201c" + (quote.length > 60 ? quote.slice(0, 60) + "\u2026" : quote) + "\u201d \u2014 ";
      var a = document.createElement("a");
      a.href = "#record";
      a.textContent = "fill in the claim";
      a.addEventListener("click", function (e) {
        e.preventDefault();
        form.scrollIntoView({ block: "start" });
        (form.elements.subject.value ? form.elements.value : form.elements.subject).focus();
      });
      m.appendChild(a);
      say(m);
    };
    var later = null;
    document.addEventListener("selectionchange", function () {
      clearTimeout(later);
      later = setTimeout(take, 250);
    });
    src.addEventListener("mouseup", function () { setTimeout(take, 0); });
  }
})();
