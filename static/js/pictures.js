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

  document.addEventListener("focusin", function (event) {
    caption(event.target);
  });
  document.addEventListener("mouseover", function (event) {
    caption(event.target);
  });
})();
