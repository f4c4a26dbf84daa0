// Pre-flags on the article page: dashed outlines over the suggested passages, their reason on hover or
// focus, and one key to answer a focused suggestion (A accepts, D dismisses). Offsets go through
// FactcheckOffsets; the outlines only wrap text nodes, so the body's text (and every offset) is unchanged.
(function () {
  "use strict";

  var Offsets = window.FactcheckOffsets;

  function outlines() {
    var el = document.getElementById("suggestion-outlines");
    return el ? JSON.parse(el.textContent) : [];
  }

  function unwrap(root) {
    root.querySelectorAll("span.suggested, span.located").forEach(function (piece) {
      var parent = piece.parentNode;
      while (piece.firstChild) parent.insertBefore(piece.firstChild, piece);
      parent.removeChild(piece);
      parent.normalize();
    });
  }

  // Every text node the range touches, cut at its ends, wrapped in its own span (marks stay flat).
  function wrapRange(root, start, end, make) {
    var range = Offsets.offsetsToRange(root, start, end);
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var nodes = [];
    var node;
    while ((node = walker.nextNode())) {
      if (range.intersectsNode(node) && node.data.length) nodes.push(node);
    }
    var pieces = [];
    nodes.forEach(function (text) {
      var from = text === range.startContainer ? range.startOffset : 0;
      var to = text === range.endContainer ? range.endOffset : text.data.length;
      if (to <= from) return;
      if (to < text.data.length) text.splitText(to);
      if (from > 0) text = text.splitText(from);
      var piece = make();
      text.parentNode.insertBefore(piece, text);
      piece.appendChild(text);
      pieces.push(piece);
    });
    return pieces;
  }

  function wrap(root, item) {
    var pieces = wrapRange(root, item.start, item.end, function () {
      var piece = document.createElement("span");
      piece.className = "suggested k-" + item.kind;
      piece.dataset.suggestion = item.id;
      return piece;
    });
    decorate(pieces, item);
  }

  function decorate(pieces, item) {
    if (pieces.length) {
      // One stop per suggestion for the keyboard, described by its reason in the list.
      pieces[0].tabIndex = 0;
      pieces[0].setAttribute("role", "button");
      pieces[0].setAttribute("aria-describedby", "suggestion-" + item.id + "-reason");
      pieces[0].setAttribute("aria-label", "Suggestion: " + (item.kind === "conflicting" ? "possible conflict" : item.kind));
      pieces[pieces.length - 1].classList.add("last");
    }
  }

  // A link from the story's pictures (#at-<start>-<end>) opens the article at that passage.
  function locate(root) {
    var found = /^#at-(\d+)-(\d+)$/.exec(window.location.hash);
    if (!found) return;
    var pieces = wrapRange(root, Number(found[1]), Number(found[2]), function () {
      var piece = document.createElement("span");
      piece.className = "located";
      return piece;
    });
    if (!pieces.length) return;
    pieces[0].id = "located";
    pieces[0].tabIndex = -1;
    pieces[0].scrollIntoView({ block: "center" });
    pieces[0].focus({ preventScroll: true });
  }

  function draw() {
    var root = document.getElementById("article-body");
    if (!root || !Offsets) return;
    unwrap(root);
    outlines().forEach(function (item) {
      wrap(root, item);
    });
    if (!root.querySelector(".located")) locate(root);
  }

  function card() {
    var el = document.getElementById("suggestion-card");
    if (!el) {
      el = document.createElement("div");
      el.id = "suggestion-card";
      el.className = "suggestion-card";
      el.setAttribute("role", "tooltip");
      el.hidden = true;
      document.body.appendChild(el);
    }
    return el;
  }

  function idOf(target) {
    var holder = target && target.closest && target.closest("[data-suggestion]");
    return holder ? holder.dataset.suggestion : null;
  }

  function showReason(target) {
    var id = idOf(target);
    var reason = id && document.getElementById("suggestion-" + id + "-reason");
    if (!reason || !target.closest("#article-body")) return;
    var box = card();
    box.textContent = reason.textContent;
    box.hidden = false;
    var rect = target.getBoundingClientRect();
    box.style.top = window.scrollY + rect.bottom + 6 + "px";
    box.style.left = Math.max(8, Math.min(window.scrollX + rect.left, window.innerWidth - box.offsetWidth - 8)) + "px";
    document.querySelectorAll("[data-suggestion='" + id + "']").forEach(function (el) {
      el.classList.add("active");
    });
  }

  function hideReason() {
    card().hidden = true;
    document.querySelectorAll("[data-suggestion].active").forEach(function (el) {
      el.classList.remove("active");
    });
  }

  function submit(id, action) {
    var form = document.querySelector("#suggestion-" + id + " form[data-suggestion-action='" + action + "']");
    if (!form) return false;
    form.requestSubmit();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.matches && target.matches("textarea, input, select")) return;
    var id = target.matches && target.matches("[data-suggestion][tabindex]") ? target.dataset.suggestion : null;
    if (!id) return;
    var key = event.key.toLowerCase();
    if (key === "a" && submit(id, "accept")) event.preventDefault();
    else if (key === "d" && submit(id, "dismiss")) event.preventDefault();
  });

  document.addEventListener("mouseover", function (event) {
    if (event.target.closest && event.target.closest("span.suggested")) showReason(event.target.closest("span.suggested"));
  });
  document.addEventListener("mouseout", function (event) {
    if (event.target.closest && event.target.closest("span.suggested")) hideReason();
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("span.suggested")) showReason(event.target);
    else if (event.target.matches && event.target.matches("li.suggestion")) {
      document.querySelectorAll("span.suggested[data-suggestion='" + event.target.dataset.suggestion + "']").forEach(function (el) {
        el.classList.add("active");
      });
    }
  });
  document.addEventListener("focusout", hideReason);
  // A click on an outline takes the reader to the suggestion's entry, with its buttons.
  document.addEventListener("click", function (event) {
    var piece = event.target.closest && event.target.closest("span.suggested");
    if (!piece || !window.getSelection().isCollapsed) return;
    var item = document.getElementById("suggestion-" + piece.dataset.suggestion);
    if (item && !event.target.closest("mark[data-offset]")) item.focus();
  });

  window.addEventListener("hashchange", function () {
    var root = document.getElementById("article-body");
    if (root) draw();
  });
  document.addEventListener("DOMContentLoaded", draw);
  // The body or the list was swapped: draw the outlines again from the list's data.
  document.addEventListener("htmx:afterSettle", draw);
  if (document.readyState !== "loading") draw();
})();
