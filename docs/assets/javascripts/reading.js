// What readers use on any page (issue 16), three small jobs that each do nothing on a page
// without their elements:
// - the language switcher keeps the reader's place: the same #anchor (a role, a glossary
//   term, a matrix cell), the pack builder's #pack= selection and the ?query (the finder's
//   filters, a search) in the other language, whose pages have the same anchors (from ids);
// - print buttons ([data-hb-print], hidden in the HTML: a button needs a script);
// - checklist ticks kept in this browser (localStorage, per sheet, the same in every
//   language), with a button that clears them. Nothing is sent anywhere.
(function () {
  "use strict";

  // --- the language switcher keeps the place ------------------------------------------------
  var switchLinks = Array.prototype.slice.call(document.querySelectorAll("a[data-hb-keep-place]"));

  function keepPlace() {
    switchLinks.forEach(function (link) {
      if (!link.hasAttribute("data-hb-href")) link.setAttribute("data-hb-href", link.getAttribute("href"));
      var target = new URL(link.getAttribute("data-hb-href"), document.baseURI);
      target.search = window.location.search;
      target.hash = window.location.hash;
      link.href = target.href;
    });
  }

  if (switchLinks.length) {
    keepPlace();
    window.addEventListener("hashchange", keepPlace);
    // Pages change their address without an event (history.replaceState: the pack builder's
    // selection, the finder's filters): read it again just before the link is followed.
    ["pointerdown", "focusin", "click"].forEach(function (type) {
      document.addEventListener(type, function (event) {
        var link = event.target.closest && event.target.closest("a[data-hb-keep-place]");
        if (link) keepPlace();
      }, true);
    });
  }

  // --- print buttons --------------------------------------------------------------------------
  Array.prototype.forEach.call(document.querySelectorAll("[data-hb-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // --- checklist ticks kept -----------------------------------------------------------------------
  function storage() {
    try {
      var store = window.localStorage, probe = "faasst-handbook:probe";
      store.setItem(probe, "1");
      store.removeItem(probe);
      return store;
    } catch (error) {
      return null;  // storage refused (private browsing, settings): ticks are not kept
    }
  }

  var blocks = document.querySelectorAll("[data-hb-ticks]");
  var store = blocks.length ? storage() : null;
  if (!store) return;

  Array.prototype.forEach.call(blocks, function (block) {
    var key = "faasst-handbook:ticks:" + block.getAttribute("data-hb-ticks");
    var boxes = Array.prototype.slice.call(block.querySelectorAll("input[type=checkbox]"));
    var tools = block.querySelector(".hb-ticks");
    var status = block.querySelector(".hb-ticks__status");

    // Saved with the number of items: if the checklist changed since, the ticks no longer
    // say which item they were for, and are dropped.
    function load() {
      try {
        var saved = JSON.parse(store.getItem(key) || "null");
        if (saved && saved.items === boxes.length && Array.isArray(saved.ticked)) return saved.ticked;
      } catch (error) { /* unreadable: start afresh */ }
      return [];
    }

    function save() {
      var ticked = [];
      boxes.forEach(function (box, n) { if (box.checked) ticked.push(n); });
      try {
        if (ticked.length) store.setItem(key, JSON.stringify({ items: boxes.length, ticked: ticked }));
        else store.removeItem(key);
      } catch (error) { /* full or refused: the ticks stay on the page only */ }
    }

    load().forEach(function (n) { if (boxes[n]) boxes[n].checked = true; });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        if (status) status.textContent = "";
        save();
      });
    });
    if (tools) {
      tools.hidden = false;
      tools.querySelector("button").addEventListener("click", function () {
        boxes.forEach(function (box) { box.checked = false; });
        save();
        if (status) status.textContent = status.getAttribute("data-cleared");
      });
    }
  });
})();
