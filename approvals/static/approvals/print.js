// The "Print" button of printable pages. A script file rather than an onclick attribute:
// the Content-Security-Policy (portal.settings) runs no inline script.
document.addEventListener("click", function (event) {
  if (event.target.closest(".print-button")) {
    window.print();
  }
});
