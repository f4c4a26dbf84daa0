// The story's pictures: a focused or hovered claim's sentence in the caption under the timeline
// (an SVG <title> shows on hover only, and not to every keyboard user).
(function () {
  "use strict";

  function caption(target) {
    var link = target.closest && target.closest(".timeline-svg a");
    var box = document.getElementById("timeline-caption");
    if (!link || !box) return;
    var title = link.querySelector("title");
    if (!title) return;
    if (!box.dataset.initial) box.dataset.initial = box.textContent;
    box.textContent = title.textContent;
    box.classList.add("active");
  }

  // On a phone the timeline scrolls sideways: start where the first conflict is, not at the oldest date,
  // a quarter into the part the lanes' sticky labels leave in view.
  function showFirstConflict() {
    var box = document.querySelector("[data-timeline]");
    var mark = box && box.querySelector("a.mark.k-conflicting");
    if (!mark || box.scrollWidth <= box.clientWidth) return;
    var labels = box.querySelector(".timeline-labels");
    var covered = labels ? labels.getBoundingClientRect().width : 0;
    var left = mark.getBoundingClientRect().left - box.getBoundingClientRect().left + box.scrollLeft;
    box.scrollLeft = Math.max(0, left - covered - (box.clientWidth - covered) / 4);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showFirstConflict);
  else showFirstConflict();

  document.addEventListener("focusin", function (event) {
    caption(event.target);
  });
  document.addEventListener("mouseover", function (event) {
    caption(event.target);
  });
})();
