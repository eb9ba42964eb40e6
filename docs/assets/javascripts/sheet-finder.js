// Sheet finder: narrows the list of method sheets by module, role, tool, mechanism and effort.
// Without JavaScript the form stays hidden and the page is the full list of sheets.
// The filters live in the address (?wp=wp4&role=…, issue 16), so that a filtered list can be
// bookmarked or shared, and they are restored from it when the page opens.
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("hb-finder");
    var list = document.getElementById("hb-finder-results");
    if (!form || !list || form.dataset.ready) return;
    form.dataset.ready = "1";
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-wp]"));
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-facet]"));
    var count = document.getElementById("hb-finder-count");
    var template = form.getAttribute("data-count-template");

    function apply() {
      var shown = 0;
      items.forEach(function (item) {
        var visible = selects.every(function (select) {
          if (!select.value) return true;
          var values = (item.getAttribute("data-" + select.dataset.facet) || "").split(" ");
          return values.indexOf(select.value) !== -1;
        });
        item.hidden = !visible;
        if (visible) shown += 1;
      });
      count.textContent = template.replace("{count}", shown).replace("{total}", items.length);
      remember();
    }

    function remember() {
      if (!window.history.replaceState) return;
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        if (select.value) params.set(select.name, select.value); else params.delete(select.name);
      });
      var query = params.toString();
      var address = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (address !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(null, "", address);
      }
    }

    // Only values the list offers: an address from an older edition keeps the rest.
    function restore() {
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        var wanted = params.get(select.name);
        if (wanted && Array.prototype.some.call(select.options, function (o) { return o.value === wanted; })) {
          select.value = wanted;
        }
      });
    }

    selects.forEach(function (select) { select.addEventListener("change", apply); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    restore();
    apply();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
