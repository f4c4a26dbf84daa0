// Consensus screens: let htmx show our 400 and 409 answers (a refused comment, a decision conflict)
// in place, since they carry the message the person needs; other errors keep htmx's default.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const target = event.detail.target;
  if ((status === 400 || status === 409) && target && target.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// The filter form updates the list as soon as a choice changes; its button is for pages without htmx.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll(".cx-filters .cx-nojs")) {
    button.hidden = true;
  }
});
