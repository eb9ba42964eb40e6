// Skip link (issue 6, RGAA 12.7): its target is the page's first heading, which cannot take
// focus, so browsers left focus on <body> and some screen readers stayed at the top. Make the
// target focusable from script only (tabindex -1) and move focus to it; the link's default
// action (scroll, #hash in the address) still happens.
"use strict";
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("a.md-skip") : null;
  if (!link || !link.hash) return;
  var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
  if (!target) return;
  if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
  target.focus({ preventScroll: true });
});
