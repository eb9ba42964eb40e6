// Management matrix: highlight the cells where a role takes part ("what does the portfolio
// manager do?"), say how many in a live status, and keep the choice in the address
// (?role=role.portfolio-manager) so that it can be shared and survives a reload.
// Without JavaScript the form stays hidden and the table is complete. Other pages: nothing.
(function () {
  "use strict";
  function setup() {
    var form = document.getElementById("hb-matrix-filter");
    var table = document.getElementById("hb-matrix");
    if (!form || !table || form.dataset.ready) return;
    form.dataset.ready = "1";
    var select = form.querySelector("select");
    var status = document.getElementById("hb-matrix-status");
    var cells = Array.prototype.slice.call(table.querySelectorAll("td[data-roles]"));
    var known = Array.prototype.map.call(select.options, function (option) { return option.value; });

    function choose(role, remember) {
      if (known.indexOf(role) === -1) role = "";  // an unknown or stale role: the whole matrix
      select.value = role;
      var matches = 0;
      cells.forEach(function (cell) {
        var match = role !== "" && cell.getAttribute("data-roles").split(" ").indexOf(role) !== -1;
        cell.classList.toggle("hb-matrix__cell--match", match);
        cell.classList.toggle("hb-matrix__cell--dimmed", role !== "" && !match);
        cell.querySelector(".hb-matrix__here").hidden = !match;
        Array.prototype.forEach.call(cell.querySelectorAll("a[data-role]"), function (link) {
          link.classList.toggle("hb-matrix__role--chosen", match && link.getAttribute("data-role") === role);
        });
        if (match) matches += 1;
      });
      if (role) {
        var template = matches === 1 ? form.dataset.countOne : form.dataset.countMany;
        status.textContent = template.replace("{role}", select.options[select.selectedIndex].text)
          .replace("{count}", matches).replace("{total}", cells.length);
      } else {
        status.textContent = "";
      }
      if (remember) {
        var url = new URL(window.location.href);
        if (role) url.searchParams.set("role", role);
        else url.searchParams.delete("role");
        window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      }
    }

    select.addEventListener("change", function () { choose(select.value, true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    choose(new URLSearchParams(window.location.search).get("role") || "", false);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
