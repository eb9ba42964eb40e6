// The site's search page (generated from templates/search.html.j2): loads Pagefind's interface
// and its index for the page's language, only here and only when the page opens. The query
// comes from the header's search form (?q=) and stays in the address, so a search can be
// shared or reopened with the Back button.
(function () {
  "use strict";
  var root = document.getElementById("hb-search");
  if (!root) return;
  var material = document.querySelector('[data-md-component="search-query"]');
  if (material) {
    // The offline copy (publish/offline.py): Pagefind cannot run from disk, Material's search
    // in the header does the searching (it reads ?q= itself). This page only opens it.
    document.getElementById("hb-search-fallback").hidden = true;
    var toggle = document.getElementById("__search");
    if (toggle && !toggle.checked && !new URLSearchParams(location.search).get("q")) {
      toggle.click();
      material.focus();
    }
    return;
  }
  var bundle = root.getAttribute("data-bundle");
  var siteRoot = new URL(root.getAttribute("data-site-root"), document.baseURI).pathname;

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = bundle + "pagefind-ui.css";
  document.head.appendChild(css);

  var script = document.createElement("script");
  script.src = bundle + "pagefind-ui.js";
  script.onload = function () {
    var fallback = document.getElementById("hb-search-fallback");
    if (fallback) fallback.hidden = true;
    var ui = new PagefindUI({
      element: "#hb-search",
      bundlePath: bundle,
      baseUrl: siteRoot,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
      excerptLength: 24,
      // Page length counts less than by default: a method sheet is long, and it is
      // usually the page a reader wants (measured on the query set of the tests).
      ranking: { pageLength: 0.25 },
      autofocus: !new URLSearchParams(location.search).get("q"),
      processTerm: function (term) {
        var url = new URL(location.href);
        if (term) url.searchParams.set("q", term); else url.searchParams.delete("q");
        history.replaceState(null, "", url);
        return term;
      }
    });
    var query = new URLSearchParams(location.search).get("q");
    if (query) ui.triggerSearch(query);
  };
  document.head.appendChild(script);
})();
