// Checklist pack builder (issue 5): pick sheets or whole modules, see their printable
// checklists, print them as one document. Every checklist is already on the page, hidden: this
// script only shows the chosen ones and calls window.print(). Nothing leaves the browser.
// Without JavaScript the form stays hidden and the page is a list of links to print views.
(function () {
  "use strict";

  function setup() {
    var form = document.getElementById("hb-pack-form");
    var pack = document.getElementById("hb-pack");
    if (!form || !pack || form.dataset.ready) return;
    form.dataset.ready = "1";
    var status = document.getElementById("hb-pack-status");
    var fallback = document.getElementById("hb-pack-fallback");
    var sheetBoxes = Array.prototype.slice.call(form.querySelectorAll("input[name=sheet]"));
    var wpBoxes = Array.prototype.slice.call(form.querySelectorAll("input[data-pick-wp]"));
    var sheets = {};
    Array.prototype.forEach.call(pack.querySelectorAll("[data-sheet]"), function (element) {
      sheets[element.getAttribute("data-sheet")] = element;
    });

    function selected() {
      return sheetBoxes.filter(function (box) { return box.checked; })
        .map(function (box) { return box.value; });
    }

    function sheetsOf(wp) {
      return sheetBoxes.filter(function (box) { return box.getAttribute("data-wp") === wp; });
    }

    // A module's box is ticked when all its sheets are, "mixed" when only some are.
    function syncModules() {
      wpBoxes.forEach(function (wpBox) {
        var boxes = sheetsOf(wpBox.getAttribute("data-pick-wp"));
        var ticked = boxes.filter(function (box) { return box.checked; }).length;
        wpBox.checked = ticked === boxes.length && ticked > 0;
        wpBox.indeterminate = ticked > 0 && ticked < boxes.length;
      });
    }

    function update() {
      var chosen = selected();
      Object.keys(sheets).forEach(function (id) {
        sheets[id].hidden = chosen.indexOf(id) === -1;
      });
      pack.hidden = chosen.length === 0;
      var count = form.getAttribute("data-count-template").replace("{count}", chosen.length);
      status.textContent = count;
      // Echoed beside the print button at the bottom of the list (the status is at the top).
      Array.prototype.forEach.call(form.querySelectorAll("[data-hb-pack-count]"), function (echo) {
        echo.textContent = count;
      });
      syncModules();
      // The selection lives in the address, so a pack can be bookmarked or shared.
      var hash = chosen.length ? "#pack=" + chosen.join(",") : "";
      if (window.location.hash !== hash && window.history.replaceState) {
        window.history.replaceState(null, "", window.location.pathname + window.location.search + hash);
      }
    }

    function restore() {
      var match = /^#pack=([a-z0-9,-]+)$/.exec(window.location.hash);
      if (!match) return;
      var wanted = match[1].split(",");
      sheetBoxes.forEach(function (box) { box.checked = wanted.indexOf(box.value) !== -1; });
    }

    wpBoxes.forEach(function (wpBox) {
      wpBox.addEventListener("change", function () {
        sheetsOf(wpBox.getAttribute("data-pick-wp")).forEach(function (box) {
          box.checked = wpBox.checked;
        });
        update();
      });
    });
    sheetBoxes.forEach(function (box) { box.addEventListener("change", update); });
    // The reset event comes before the form is reset: clear the boxes here, at once, so that
    // the status, the pack and the address say "nothing chosen" as soon as the button is used.
    form.addEventListener("reset", function (event) {
      event.preventDefault();
      sheetBoxes.concat(wpBoxes).forEach(function (box) {
        box.checked = false;
        box.indeterminate = false;
      });
      update();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (selected().length === 0) {
        status.textContent = form.getAttribute("data-empty-message");
        if (sheetBoxes.length) sheetBoxes[0].focus();
        return;
      }
      window.print();
    });

    form.hidden = false;
    if (fallback) fallback.hidden = true;
    restore();
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
