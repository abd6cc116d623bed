/* A "Print" button for pages that show a secret slip, without inline script (the pages run
   under a Content-Security-Policy). Buttons marked data-print start hidden, so a browser
   without JavaScript shows the sentence about its own Print command instead. */
(function () {
  "use strict";
  function ready() {
    var buttons = document.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () { window.print(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
