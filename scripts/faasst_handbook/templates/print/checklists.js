// Print views (issue 16): the toolbar's print button. A button needs a script, so it is hidden
// in the HTML and shown here; without JavaScript the toolbar still says how to print (Ctrl+P).
// WeasyPrint runs no script and prints no toolbar: the PDFs made from these pages are unchanged.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-hb-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
