/* Names for the admin's autocompletes (issue 12, accessibility). select2 shows the choice in
   a span with role="textbox" named only by its title, which it sets once something is
   chosen: before that, a screen reader (and axe-core) finds a field without a name. Each
   gets its field's placeholder ("搜索審批事項", portal.admin_forms.NamedAutocompleteSelect)
   as its name. Loaded after Django's autocomplete.js, so its select2s exist. */
(function () {
  "use strict";
  function name(root) {
    var selects = root.querySelectorAll("select.admin-autocomplete[data-placeholder]");
    for (var i = 0; i < selects.length; i++) {
      var container = selects[i].nextElementSibling;
      var shown = container && container.querySelector(".select2-selection__rendered");
      if (shown && !shown.hasAttribute("aria-label")) {
        shown.setAttribute("aria-label", selects[i].getAttribute("data-placeholder"));
      }
    }
  }
  function ready() {
    name(document);
    document.addEventListener("formset:added", function (event) { name(event.target); });
  }
  if (window.django && window.django.jQuery) {
    window.django.jQuery(ready);  // after autocomplete.js's own ready handler
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
