// The reviewer's workspace: selection (mouse or keyboard) opens the verdict bar, evidence picking,
// hover cards. htmx does the talking to the server; offsets go through FactcheckOffsets only.
(function () {
  "use strict";

  var Offsets = window.FactcheckOffsets;
  var LABELS = ["consistent", "conflicting", "unsupported"];
  var NAMES = { consistent: "Consistent", conflicting: "Conflicting", unsupported: "Unsupported" };
  var CUES = { consistent: "✓", conflicting: "✗", unsupported: "?" };
  var lastFocus = null;
  var activeEditor = null;

  function bar() {
    return document.getElementById("verdict-bar");
  }
  function claimRoot() {
    return document.querySelector("[data-claim-source]");
  }
  function writable() {
    var ws = document.getElementById("workspace");
    return ws && ws.dataset.writable === "1" && bar();
  }

  var dataCache = { el: null, data: {} };
  function spanData() {
    var el = document.getElementById("span-data");
    if (el !== dataCache.el) dataCache = { el: el, data: el ? JSON.parse(el.textContent) : {} };
    return dataCache.data;
  }

  function status(message) {
    var region = document.getElementById("review-status");
    if (!region) {
      region = document.createElement("p");
      region.id = "review-status";
      region.className = "review-status";
      region.setAttribute("role", "status");
      document.body.appendChild(region);
    }
    region.textContent = message;
    window.clearTimeout(status.timer);
    status.timer = window.setTimeout(function () {
      region.textContent = "";
    }, 5000);
  }

  function truncate(text, size) {
    return text.length > size ? text.slice(0, size - 1) + "…" : text;
  }

  // ---- the verdict bar -------------------------------------------------------------------------

  function field(name) {
    return bar().querySelector('input[name="' + name + '"]');
  }

  function setLabel(value) {
    var form = bar();
    field("label").value = value;
    form.querySelectorAll("[data-label]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.label === value));
    });
  }

  // The bar never covers what is being read. Beside the text when there is a side column next to it
  // (the article page on a wide screen); otherwise a sheet along the bottom (of the claim pane in the
  // wide compare view, of the screen on a phone), with the text scrolled so that the selection and
  // the two lines after it stay above the sheet.
  var WIDE = window.matchMedia("(min-width: 60rem)");
  var pendingRange = null;

  function sideColumn() {
    var side = document.querySelector("#workspace .my-spans");
    var root = claimRoot();
    if (!WIDE.matches || !side || !root) return null;
    var rect = side.getBoundingClientRect();
    return rect.width > 0 && rect.left >= root.getBoundingClientRect().right ? rect : null;
  }

  // The element that scrolls the claim text: the text itself when it scrolls on its own, else the page.
  function scrollerOf(root) {
    if (root && root.scrollHeight > root.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(root).overflowY)) return root;
    return document.scrollingElement || document.documentElement;
  }

  function placeBar(form) {
    var side = sideColumn();
    form.classList.toggle("docked", Boolean(side));
    form.classList.toggle("sheet", !side);
    if (side) {
      form.style.left = side.left + "px";
      form.style.width = side.width + "px";
      var top = Math.max(8, side.top);
      form.style.top = top + "px";
      // Never past the bottom of the screen: the bar scrolls inside instead.
      form.style.maxHeight = Math.max(240, window.innerHeight - top - 8) + "px";
      releaseSpace();
      return;
    }
    var pane = WIDE.matches && claimRoot() ? claimRoot().closest(".claim-pane") : null;
    var bounds = pane ? pane.getBoundingClientRect() : null;
    form.style.top = "";
    form.style.maxHeight = "";
    form.style.left = bounds ? bounds.left + "px" : "0px";
    form.style.width = bounds ? bounds.width + "px" : "100%";
  }

  function keepSelectionAbove(form, range) {
    if (form.classList.contains("docked") || !range) return;
    var root = claimRoot();
    var scroller = scrollerOf(root);
    var page = scroller === (document.scrollingElement || document.documentElement);
    // Room to scroll the last lines of the text above the sheet.
    (page ? document.body : scroller).style.paddingBottom = form.offsetHeight + "px";
    var rects = range.getClientRects();
    var first = rects.length ? rects[0] : range.getBoundingClientRect();
    var last = rects.length ? rects[rects.length - 1] : first;
    var line = parseFloat(getComputedStyle(root).lineHeight) || 28;
    var sheetTop = form.getBoundingClientRect().top;
    var viewTop = page ? 0 : scroller.getBoundingClientRect().top;
    var need = last.bottom + 2 * line + 8 - sheetTop;
    // Never push the start of the selection out of view to show the lines after it.
    var room = first.top - viewTop - 8;
    var delta = need > 0 ? Math.min(need, Math.max(room, 0)) : Math.min(0, first.top - viewTop - 8);
    if (delta) {
      if (page) window.scrollBy(0, delta);
      else scroller.scrollTop += delta;
    }
  }

  function releaseSpace() {
    document.body.style.paddingBottom = "";
    var root = claimRoot();
    if (root) root.style.paddingBottom = "";
  }

  function relayout() {
    var form = bar();
    if (form && !form.hidden) placeBar(form);
  }
  window.addEventListener("resize", relayout);
  window.addEventListener("scroll", function () {
    var form = bar();
    if (form && !form.hidden && form.classList.contains("docked")) placeBar(form);
  }, { passive: true });

  function openBar(claim, range, focus) {
    var form = bar();
    if (!form) return;
    var wasHidden = form.hidden;
    field("start").value = claim.start;
    field("end").value = claim.end;
    field("quote").value = claim.quote;
    document.getElementById("verdict-quote").textContent = truncate(claim.quote, 240);
    clearError();
    form.hidden = false;
    placeBar(form);
    pendingRange = range.cloneRange();
    keepSelectionAbove(form, pendingRange);
    if (wasHidden) lastFocus = document.activeElement;
    // Keep the claim visible while the selection moves on (e.g. to pick evidence in the other pane).
    if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("pending-claim", new Highlight(range.cloneRange()));
    if (focus) form.focus({ preventScroll: true });
  }

  function clearError() {
    var error = document.getElementById("verdict-error");
    if (error) error.textContent = "";
  }

  function closeBar() {
    var form = bar();
    if (!form || form.hidden) return;
    form.hidden = true;
    ["start", "end", "quote", "label"].forEach(function (name) {
      field(name).value = "";
    });
    setLabel("");
    form.querySelector("textarea[name=note]").value = "";
    form.querySelectorAll("[data-evidence-list]").forEach(function (list) {
      list.textContent = "";
    });
    clearError();
    if (window.CSS && CSS.highlights) CSS.highlights.delete("pending-claim");
    pendingRange = null;
    releaseSpace();
    window.getSelection().removeAllRanges();
    var back = lastFocus && document.contains(lastFocus) ? lastFocus : claimRoot();
    if (back) back.focus({ preventScroll: true });
    lastFocus = null;
  }

  function save() {
    var form = bar();
    if (!field("label").value) {
      document.getElementById("verdict-error").textContent = "Choose a verdict: press 1, 2 or 3.";
      return;
    }
    form.requestSubmit();
  }

  // ---- selection -------------------------------------------------------------------------------

  function closestRoot(node, selector) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el ? el.closest(selector) : null;
  }

  function handleSelection() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    var range = selection.getRangeAt(0);
    var claim = closestRoot(range.startContainer, "[data-claim-source]") || closestRoot(range.endContainer, "[data-claim-source]");
    if (claim && writable()) {
      var offsets = Offsets.rangeToOffsets(claim, range);
      if (offsets) openBar(offsets, range, true);
      return;
    }
    var source = closestRoot(range.startContainer, "[data-evidence-source]");
    if (source) pickEvidence(source, range);
  }

  // ---- evidence ------------------------------------------------------------------------------------

  function evidenceForm(source) {
    var own = source.closest("[data-evidence-form]");
    if (own) return own;
    var form = bar();
    if (form && !form.hidden) return form;
    if (activeEditor && document.contains(activeEditor)) return activeEditor;
    return null;
  }

  function pickEvidence(source, range) {
    var form = evidenceForm(source);
    if (!form) {
      status("Select a claim on the left first (or open one of your verdicts to edit), then pick its evidence here.");
      return;
    }
    var passage = Offsets.rangeToOffsets(source, range);
    if (!passage) return;
    var item = { article: Number(source.dataset.article), start: passage.start, end: passage.end, quote: passage.quote };
    var list = form.querySelector("[data-evidence-list]");
    var value = JSON.stringify(item);
    var exists = Array.prototype.some.call(list.querySelectorAll("input[name=evidence]"), function (input) {
      return input.value === value;
    });
    if (exists) return;
    var title = source.dataset.title || "";
    var li = document.createElement("li");
    li.className = "evidence-chip";
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "evidence";
    input.value = value;
    var text = document.createElement("q");
    text.textContent = truncate(passage.quote, 120);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.dataset.action = "remove-evidence";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", "Remove evidence “" + truncate(passage.quote, 40) + "”");
    li.append(input, title ? truncate(title, 40) + ": " : "", text, " ", remove);
    list.appendChild(li);
    status("Evidence linked: " + truncate(passage.quote, 60));
  }

  // ---- keyboard selection ---------------------------------------------------------------------
  // Chromium has no caret in non-editable text without caret browsing, so the body is a focusable
  // region with its own keys: sentences with the arrows, words with Shift (end) and Alt+Shift (start).

  var segmentCache = { text: null, sentences: null, words: null };
  function segmentsOf(text) {
    if (segmentCache.text === text) return segmentCache;
    var sentences = [];
    var words = [];
    var locale = document.documentElement.lang || undefined;
    for (var s of new Intl.Segmenter(locale, { granularity: "sentence" }).segment(text)) {
      var start = s.index;
      var end = s.index + s.segment.length;
      while (start < end && /\s/.test(text[start])) start++;
      while (end > start && /\s/.test(text[end - 1])) end--;
      if (start < end) sentences.push([start, end]);
    }
    for (var w of new Intl.Segmenter(locale, { granularity: "word" }).segment(text)) {
      if (w.isWordLike || /\S/.test(w.segment)) words.push([w.index, w.index + w.segment.length]);
    }
    segmentCache = { text: text, sentences: sentences, words: words };
    return segmentCache;
  }

  // The current selection in root as UTF-16 offsets, through the one conversion.
  function currentUnits(root, text) {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    var offsets = Offsets.rangeToOffsets(root, selection.getRangeAt(0));
    if (!offsets) return null;
    return [Offsets.codepointToUtf16(text, offsets.start), Offsets.codepointToUtf16(text, offsets.end)];
  }

  function select(root, text, start, end) {
    var range = Offsets.offsetsToRange(root, Offsets.utf16ToCodepoint(text, start), Offsets.utf16ToCodepoint(text, end));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var anchor = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
    if (anchor && anchor !== root) anchor.scrollIntoView({ block: "nearest" });
    if (root.matches("[data-evidence-source]")) {
      status("Selected in the evidence article: " + truncate(text.slice(start, end), 120) + " Press Enter to link it.");
      return;
    }
    var offsets = Offsets.rangeToOffsets(root, range);
    if (offsets && writable()) openBar(offsets, range, false);
    status("Selected: " + truncate(text.slice(start, end), 200));
  }

  function keyboardSelect(event, root) {
    var text = root.textContent;
    var seg = segmentsOf(text);
    var current = currentUnits(root, text);
    var start = current ? current[0] : 0;
    var end = current ? current[1] : 0;
    var key = event.key;
    var i;
    if (!event.shiftKey && (key === "ArrowDown" || key === "ArrowUp")) {
      var list = seg.sentences;
      var pick = null;
      if (key === "ArrowDown") {
        for (i = 0; i < list.length; i++) if (!current || list[i][0] >= end) { pick = list[i]; break; }
        if (!pick && current) for (i = 0; i < list.length; i++) if (list[i][1] > end) { pick = list[i]; break; }
      } else {
        for (i = list.length - 1; i >= 0; i--) if (current && list[i][1] <= start) { pick = list[i]; break; }
      }
      if (pick) select(root, text, pick[0], pick[1]);
      return true;
    }
    if (!current || !event.shiftKey) return false;
    var forward = key === "ArrowRight" || key === "ArrowDown";
    if (key === "ArrowRight" || key === "ArrowLeft") {
      var words = seg.words;
      if (event.altKey) {
        if (forward) {
          for (i = 0; i < words.length; i++) if (words[i][0] > start && words[i][0] < end) { start = words[i][0]; break; }
        } else {
          for (i = words.length - 1; i >= 0; i--) if (words[i][0] < start && /\S/.test(text.slice(words[i][0], words[i][1]))) { start = words[i][0]; break; }
        }
      } else if (forward) {
        for (i = 0; i < words.length; i++) if (words[i][1] > end && /\S/.test(text.slice(words[i][0], words[i][1]))) { end = words[i][1]; break; }
      } else {
        for (i = words.length - 1; i >= 0; i--) if (words[i][1] < end && words[i][1] > start && /\S/.test(text.slice(words[i][0], words[i][1]))) { end = words[i][1]; break; }
      }
    } else if (key === "ArrowDown" || key === "ArrowUp") {
      var sentences = seg.sentences;
      if (forward) {
        for (i = 0; i < sentences.length; i++) if (sentences[i][1] > end) { end = sentences[i][1]; break; }
      } else {
        for (i = sentences.length - 1; i >= 0; i--) if (sentences[i][1] < end && sentences[i][1] > start) { end = sentences[i][1]; break; }
      }
    } else {
      return false;
    }
    select(root, text, start, end);
    return true;
  }

  // ---- keys ---------------------------------------------------------------------------------------

  document.addEventListener("keydown", function (event) {
    var form = bar();
    var target = event.target;
    var root = target.closest ? target.closest("[data-claim-source]") : null;
    var open = form && !form.hidden;
    var inBar = open && form.contains(target);
    var typing = target.matches && target.matches("textarea, input, select");
    var plain = !event.ctrlKey && !event.metaKey && !event.altKey;
    var evidenceRoot = target.matches && target.matches("[data-evidence-source]") ? target : null;

    // In an evidence article, the keyboard selects a passage the same way and Enter links it.
    if (evidenceRoot && event.key === "Enter" && plain) {
      var selection = window.getSelection();
      if (selection.rangeCount && !selection.isCollapsed && evidenceRoot.contains(selection.anchorNode)) {
        event.preventDefault();
        pickEvidence(evidenceRoot, selection.getRangeAt(0));
      }
      return;
    }
    if (evidenceRoot && event.key === "Escape" && open && !form.contains(evidenceRoot)) {
      event.preventDefault();
      form.focus();
      return;
    }
    if (open && event.key === "Escape" && (inBar || root)) {
      event.preventDefault();
      closeBar();
      return;
    }
    if (open && (inBar || root) && !typing && plain && ["1", "2", "3"].indexOf(event.key) >= 0) {
      event.preventDefault();
      setLabel(LABELS[Number(event.key) - 1]);
      form.querySelector("textarea[name=note]").focus();
      return;
    }
    if (open && (inBar || root) && event.key === "Enter" && !event.shiftKey && plain) {
      if (target.matches("button, a, select, input[type=checkbox], input[type=radio]") && target !== form) return;
      event.preventDefault();
      save();
      return;
    }
    if ((root && root === target) || evidenceRoot) {
      if (keyboardSelect(event, target)) event.preventDefault();
    }
  });

  // ---- clicks and pointer ----------------------------------------------------------------------

  // On a touch screen a claim is selected by a long press and a drag of the handles: no mouseup comes,
  // so the settled selection opens the bar (claims only: evidence is linked on purpose, not mid-drag).
  var lastPointer = "mouse";
  var touchTimer = null;
  document.addEventListener("pointerdown", function (event) {
    lastPointer = event.pointerType || "mouse";
  }, true);
  document.addEventListener("selectionchange", function () {
    if (lastPointer !== "touch") return;
    window.clearTimeout(touchTimer);
    touchTimer = window.setTimeout(function () {
      if (press) return; // a finger is still on the text: lifting it decides (see below)
      var selection = window.getSelection();
      if (!selection.rangeCount || selection.isCollapsed) return;
      var root = closestRoot(selection.getRangeAt(0).startContainer, "[data-claim-source]");
      if (!root) return;
      // Lifting the finger may have opened the bar on this very selection already: leave it (and the scroll).
      var form = bar();
      var offsets = Offsets.rangeToOffsets(root, selection.getRangeAt(0));
      var shown = form && !form.hidden && offsets;
      if (shown && field("start").value === String(offsets.start) && field("end").value === String(offsets.end)) return;
      handleSelection();
    }, 300);
  });
  document.addEventListener("touchend", function (event) {
    if (bar() && bar().contains(event.target) && !event.target.closest("[data-evidence-source]")) return;
    window.setTimeout(handleSelection, 0);
  });

  // ---- touch: long press, then drag ------------------------------------------------------------
  // A phone selects a word natively on a long press, but not every browser lets the same finger go on
  // to extend it (Chrome on Android does; Chromium elsewhere, headless Chromium and some WebViews do
  // not, and some do not select at all). So the page does it too, without fighting the browser:
  // - a touch held LONG_PRESS ms within SLOP px on the text (claim or evidence) is a long press: the
  //   text gets data-long-press (a visible cue) and the page selects nothing yet, so the browser's own
  //   long press (which may come later: phones let users slow it down) still has the text to itself;
  // - when the finger then moves, the selection runs from the browser's selection if its long press
  //   made one (the word), else from the word under the press, to the caret under the finger; only
  //   from then on is the move's default (scrolling) prevented, so a swipe still scrolls;
  // - the moment the browser moves the selection itself during the drag (its own long-press drag,
  //   iOS's loupe), the page stops and leaves the selection to it;
  // - a finger lifted without moving and without a selection from the browser selects the word;
  // - lifting leaves the selection, which opens the verdict bar (a claim) or links the passage
  //   (evidence) through the touchend above.
  var LONG_PRESS = 500;
  var SLOP = 8;
  var press = null;

  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var position = document.caretPositionFromPoint(x, y);
      return position && { node: position.offsetNode, offset: position.offset };
    }
    var range = document.caretRangeFromPoint && document.caretRangeFromPoint(x, y);
    return range && { node: range.startContainer, offset: range.startOffset };
  }

  // A DOM point as a UTF-16 offset into root's text, or null outside root.
  function unitsAt(root, point) {
    if (!point || !root.contains(point.node)) return null;
    var before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(point.node, point.offset);
    return before.toString().length;
  }

  // The word under a caret: the one it is in, else the one it ends (the finger on a last letter's right half).
  function wordAround(text, at) {
    var words = segmentsOf(text).words;
    var ended = null;
    for (var i = 0; i < words.length; i++) {
      if (!/\S/.test(text.slice(words[i][0], words[i][1]))) continue;
      if (words[i][0] <= at && at < words[i][1]) return words[i].slice();
      if (words[i][1] === at) ended = words[i].slice();
    }
    return ended || [at, at];
  }

  // The selection as UTF-16 offsets of the pressed text, exactly as the DOM has it (no trimming).
  function selectedUnits() {
    var selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var from = unitsAt(press.root, { node: range.startContainer, offset: range.startOffset });
    var to = unitsAt(press.root, { node: range.endContainer, offset: range.endOffset });
    return from === null || to === null ? null : [from, to];
  }

  // The browser's own selection if its long press made one: it covers the pressed point.
  function browserWord() {
    var now = selectedUnits();
    return now && now[0] <= press.at && press.at <= now[1] ? now : null;
  }

  // Select UTF-16 offsets [from, to) of the pressed text; the end away from the finger is the base.
  function touchSelect(from, to, fingerAtStart) {
    var root = press.root;
    var text = root.textContent;
    var range = Offsets.offsetsToRange(root, Offsets.utf16ToCodepoint(text, from), Offsets.utf16ToCodepoint(text, to));
    var selection = window.getSelection();
    if (fingerAtStart) selection.setBaseAndExtent(range.endContainer, range.endOffset, range.startContainer, range.startOffset);
    else selection.setBaseAndExtent(range.startContainer, range.startOffset, range.endContainer, range.endOffset);
    press.set = [from, to];
  }

  function recognise() {
    press.at = unitsAt(press.root, caretAt(press.x, press.y));
    if (press.at === null) return endPress();
    press.long = true;
    press.root.dataset.longPress = "";
  }

  function endPress() {
    if (!press) return;
    window.clearTimeout(press.timer);
    delete press.root.dataset.longPress;
    press = null;
  }

  function touchOf(event) {
    for (var i = 0; i < event.changedTouches.length; i++) {
      if (event.changedTouches[i].identifier === press.id) return event.changedTouches[i];
    }
    return null;
  }

  document.addEventListener("touchstart", function (event) {
    endPress();
    if (event.touches.length !== 1) return;
    var root = event.target.closest ? event.target.closest("[data-claim-source], [data-evidence-source]") : null;
    if (!root || (root.matches("[data-claim-source]") && !writable())) return;
    var touch = event.changedTouches[0];
    press = { root: root, id: touch.identifier, x: touch.clientX, y: touch.clientY, long: false, anchor: null, set: null, yielded: false };
    press.timer = window.setTimeout(recognise, LONG_PRESS);
  }, { passive: true });

  // Not passive: once a long press is recognised, the drag must not scroll the page.
  document.addEventListener("touchmove", function (event) {
    var touch = press && touchOf(event);
    if (!touch) return;
    if (!press.long) {
      if (Math.abs(touch.clientX - press.x) > SLOP || Math.abs(touch.clientY - press.y) > SLOP) endPress(); // a swipe
      return;
    }
    if (press.yielded) return;
    if (event.cancelable) event.preventDefault();
    if (!press.anchor) press.anchor = browserWord() || wordAround(press.root.textContent, press.at);
    dragTo(touch);
  }, { passive: false });

  function dragTo(touch) {
    var at = unitsAt(press.root, caretAt(touch.clientX, touch.clientY));
    if (at === null) return; // off the text (a margin): keep what is selected
    var anchor = press.anchor;
    if (at >= anchor[1]) touchSelect(anchor[0], at, false);
    else if (at <= anchor[0]) touchSelect(at, anchor[1], true);
    else if (anchor[1] > anchor[0]) touchSelect(anchor[0], anchor[1], false);
  }

  // Registered after the touchend above, whose handleSelection waits a turn: the selection is final by then.
  // The lift point counts (browsers may coalesce the last moves into it).
  document.addEventListener("touchend", function (event) {
    var touch = press && press.long && touchOf(event);
    if (touch && press.anchor && !press.yielded) dragTo(touch);
    else if (touch && !press.anchor && !browserWord()) {
      var word = wordAround(press.root.textContent, press.at);
      if (word[1] > word[0]) touchSelect(word[0], word[1], false);
    }
    endPress();
  });
  document.addEventListener("touchcancel", endPress);

  // A change of the selection the page did not make during its drag is the browser's own drag: leave it.
  document.addEventListener("selectionchange", function () {
    if (!press || !press.set || press.yielded) return;
    var now = selectedUnits();
    if (!now || now[0] !== press.set[0] || now[1] !== press.set[1]) press.yielded = true;
  });

  document.addEventListener("mouseup", function (event) {
    if (bar() && bar().contains(event.target) && !event.target.closest("[data-evidence-source]")) return;
    window.setTimeout(handleSelection, 0);
  });

  // A click (not a drag) on one of your highlights takes you to its entry in the list, to edit it.
  function goToSpan(mark) {
    var data = spanData();
    var own = spanIds(mark).filter(function (id) {
      return data[id] && !data[id].reviewer;
    });
    if (!own.length) return;
    var item = document.getElementById("span-" + own[own.length - 1]);
    if (!item) {
      status("This verdict is further down the list: use “Show all” to edit it.");
      return;
    }
    var panel = item.closest("details");
    if (panel) panel.open = true;
    item.scrollIntoView({ block: "nearest" });
    item.classList.remove("flash");
    void item.offsetWidth; // restart the animation
    item.classList.add("flash");
    var edit = item.querySelector(".edit-link");
    if (edit) edit.focus({ preventScroll: true });
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("[data-claim-source] mark[data-offset]");
    if (mark && window.getSelection().isCollapsed && !(bar() && !bar().hidden)) {
      goToSpan(mark);
      return;
    }
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.label && bar() && bar().contains(button)) {
      setLabel(button.dataset.label);
    } else if (button.dataset.action === "cancel") {
      closeBar();
    } else if (button.dataset.action === "toggle-keys") {
      var help = button.closest("[data-keys-help]");
      var open = button.getAttribute("aria-expanded") !== "true";
      showKeys(help, open);
      try {
        window.localStorage.setItem(keysKey(help), open ? "1" : "0");
      } catch (e) {
        // Storage refused (private mode): the toggle still works for this page.
      }
    } else if (button.dataset.action === "focus-evidence") {
      var pane = document.querySelector("#evidence-pane [data-evidence-source]");
      if (pane) pane.focus();
    } else if (button.dataset.action === "remove-evidence") {
      var form = button.closest("form");
      button.closest("li").remove();
      var focusable = form && form.querySelector("textarea");
      if (focusable) focusable.focus();
    }
  });

  document.addEventListener("focusin", function (event) {
    var form = event.target.closest && event.target.closest("form.span-edit");
    if (form) activeEditor = form;
  });

  // ---- hover: a span's verdict and its evidence ---------------------------------------------------

  // [[id, start, end], ...] in reading order; marks carry only their start offset (data-offset).
  var indexCache = { el: undefined, spans: [] };
  function spanIndex() {
    var el = document.getElementById("span-index");
    if (el !== indexCache.el) indexCache = { el: el, spans: el ? JSON.parse(el.textContent) : [] };
    return indexCache.spans;
  }

  // The ids of the spans covering a mark (strings, in reading order), derived on demand.
  function spanIds(mark) {
    if (mark.dataset.offset === undefined) return (mark.dataset.spans || "").split(" ").filter(Boolean);
    var offset = Number(mark.dataset.offset);
    return spanIndex()
      .filter(function (span) {
        return span[1] <= offset && offset < span[2];
      })
      .map(function (span) {
        return String(span[0]);
      });
  }

  function markSpan(id) {
    var span = spanIndex().find(function (item) {
      return String(item[0]) === id;
    });
    if (!span) return;
    document.querySelectorAll("[data-claim-source] mark[data-offset]").forEach(function (other) {
      var offset = Number(other.dataset.offset);
      if (span[1] <= offset && offset < span[2]) other.classList.add("hovered");
    });
  }

  function showCard(mark) {
    var card = document.getElementById("span-card");
    var data = spanData();
    var ids = spanIds(mark);
    if (!card || !ids.length) return;
    card.textContent = "";
    var evidenceIds = [];
    ids.forEach(function (id) {
      var span = data[id];
      if (!span) return;
      var block = document.createElement("div");
      block.className = "card-span l-" + span.label;
      var head = document.createElement("strong");
      head.textContent = CUES[span.label] + " " + NAMES[span.label] + (span.reviewer ? " · " + span.reviewer + " (read only)" : "");
      block.appendChild(head);
      if (span.note) {
        var note = document.createElement("p");
        note.textContent = span.note;
        block.appendChild(note);
      }
      var list = document.createElement("ul");
      var linked = span.evidence || [];
      linked.forEach(function (item) {
        evidenceIds.push(String(item.id));
        var li = document.createElement("li");
        li.textContent = truncate(item.title, 40) + ": “" + truncate(item.quote, 120) + "”";
        list.appendChild(li);
      });
      if (!linked.length) {
        var none = document.createElement("li");
        none.className = "empty";
        none.textContent = "No evidence linked.";
        list.appendChild(none);
      }
      block.appendChild(list);
      card.appendChild(block);
      markSpan(id);
    });
    revealEvidence(evidenceIds);
    var rect = mark.getBoundingClientRect();
    card.hidden = false;
    card.style.left = Math.max(8, rect.left + window.scrollX) + "px";
    card.style.top = rect.top + window.scrollY - card.offsetHeight - 6 + "px";
  }

  // Marks the passages linked as evidence in the other article and scrolls that article (when it
  // scrolls on its own, as in the wide compare view) to the first of them.
  function revealEvidence(ids) {
    var first = null;
    document.querySelectorAll("[data-evidence-source] mark[data-evidence]").forEach(function (passage) {
      var linked = passage.dataset.evidence.split(" ").some(function (id) {
        return ids.indexOf(id) >= 0;
      });
      passage.classList.toggle("linked", linked);
      if (linked && !first) first = passage;
    });
    var pane = document.getElementById("evidence-pane");
    if (!first || !pane || pane.scrollHeight <= pane.clientHeight + 1) return;
    var offset = first.getBoundingClientRect().top - pane.getBoundingClientRect().top;
    if (offset < 0 || offset > pane.clientHeight - 40) pane.scrollTop += offset - pane.clientHeight / 3;
  }

  function evidenceItem(target) {
    return target.closest ? target.closest(".my-spans [data-evidence-id]") : null;
  }
  ["mouseover", "focusin"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var item = evidenceItem(event.target);
      if (item) revealEvidence([item.dataset.evidenceId]);
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var item = evidenceItem(event.target);
      if (item && !(event.relatedTarget && item.contains(event.relatedTarget))) hideCard();
    });
  });

  // ---- quiet chrome: the full key list on demand, remembered per user ---------------------------

  function keysKey(help) {
    return "factcheck.keys." + (help.dataset.user || "");
  }
  function showKeys(help, open) {
    var button = help.querySelector("[data-action=toggle-keys]");
    var more = help.querySelector(".keys-more");
    if (!button || !more) return;
    button.setAttribute("aria-expanded", String(open));
    more.hidden = !open;
  }
  document.querySelectorAll("[data-keys-help]").forEach(function (help) {
    var open = false;
    try {
      open = window.localStorage.getItem(keysKey(help)) === "1";
    } catch (e) {
      open = false;
    }
    showKeys(help, open);
  });

  function hideCard() {
    var card = document.getElementById("span-card");
    if (card) card.hidden = true;
    document.querySelectorAll("mark.hovered, mark.linked").forEach(function (mark) {
      mark.classList.remove("hovered", "linked");
    });
  }

  document.addEventListener("mouseover", function (event) {
    var mark = event.target.closest && event.target.closest("[data-claim-source] mark[data-offset]");
    if (mark) showCard(mark);
  });
  document.addEventListener("mouseout", function (event) {
    var mark = event.target.closest && event.target.closest("[data-claim-source] mark[data-offset]");
    if (mark && !(event.relatedTarget && mark.contains(event.relatedTarget))) hideCard();
  });

  // ---- htmx ------------------------------------------------------------------------------------

  // The compare view's verdict panel keeps its open/closed state across workspace swaps.
  var panelOpen = null;
  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("[data-verdict-panel]")) panelOpen = event.target.open;
  }, true);
  document.addEventListener("htmx:afterSwap", function () {
    var panel = document.querySelector("[data-verdict-panel]");
    if (panel && panelOpen !== null && panel.open !== panelOpen) panel.open = panelOpen;
  });

  // An outerHTML swap replaces the target, so look the message up again rather than use the event's.
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll(".form-error").forEach(function (error) {
      if (error.textContent.trim() && error.offsetParent) error.scrollIntoView({ block: "nearest" });
    });
  });

  // A save answers with only the pieces it changed (out of band); the hover cards' data comes in the
  // event: the saved span's range and card, or the id of the one deleted. Kept in the page's JSON too.
  function patchSpans(detail) {
    var id = detail && (detail.removed || (detail.span && detail.span[0]));
    var indexEl = document.getElementById("span-index");
    var dataEl = document.getElementById("span-data");
    if (!id || !indexEl || !dataEl) return;
    var index = spanIndex().filter(function (item) {
      return item[0] !== id;
    });
    var data = spanData();
    delete data[id];
    if (detail.span) {
      var at = 0;
      var key = detail.span;
      while (at < index.length && (index[at][1] < key[1] || (index[at][1] === key[1] && (index[at][2] < key[2] || (index[at][2] === key[2] && index[at][0] < key[0]))))) at++;
      index.splice(at, 0, key);
      data[id] = detail.data || {};
    }
    indexEl.textContent = JSON.stringify(index);
    dataEl.textContent = JSON.stringify(data);
    indexCache = { el: indexEl, spans: index };
    dataCache = { el: dataEl, data: data };
  }

  // A new verdict goes before the next one in the list; when that one is past the list's first part
  // (not shown), at the end, as the page lists a verdict it was asked to keep.
  document.body.addEventListener("htmx:oobErrorNoTarget", function (event) {
    var entry = event.detail && event.detail.content;
    var list = document.getElementById("span-list");
    if (!entry || !list || !entry.hasAttribute("data-span-list-entry")) return;
    while (entry.firstElementChild) list.appendChild(entry.firstElementChild);
    htmx.process(list);
  });

  function afterSave(message) {
    return function (event) {
      patchSpans(event.detail);
      hideCard();
      var form = bar();
      if (form && !form.hidden) {
        form.hidden = false;
        closeBar();
      }
      var id = event.detail && event.detail.id;
      var item = id && document.getElementById("span-" + id);
      if (item) item.classList.add("flash");
      var root = claimRoot();
      if (root) root.focus({ preventScroll: true });
      // The server may say more (the same passage posted again updates it): its words win.
      status((event.detail && event.detail.message) || message);
    };
  }
  document.body.addEventListener("span-created", afterSave("Verdict saved."));
  document.body.addEventListener("span-updated", afterSave("Verdict updated."));
  document.body.addEventListener("span-deleted", afterSave("Verdict deleted."));

  // Tests wait for this attribute; bench/article_page.py reads the mark.
  document.documentElement.dataset.reviewReady = "1";
  if (window.performance && performance.mark) performance.mark("review-ready");
})();
