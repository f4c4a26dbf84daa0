// Consensus screens: refused writes are swapped in place by the htmx-config in base.html.

// The filter form updates the list as soon as a choice changes; its button is for pages without htmx.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".cx-filters .cx-nojs")) {
    button.hidden = true;
  }
});
