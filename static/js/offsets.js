// Browser positions to span offsets: code points into the article body, snapped to whole graphemes.
// Python twin: factcheck/review/offsets.py. Every conversion in the browser goes through here.
(function () {
  "use strict";

  var graphemeCache = new WeakMap();
  // What the server refuses at either end of a quote: JavaScript's \s plus what Python's isspace() adds.
  var SPACE = /[\s\x1c-\x1f\x85]/;

  // UTF-16 offsets of the grapheme boundaries of `text` (an emoji with a skin tone, a ZWJ family
  // or a letter with combining marks is one grapheme: a selection never cuts through it).
  function graphemeBoundaries(root, text) {
    var cached = graphemeCache.get(root);
    if (cached && cached.text === text) return cached.bounds;
    var bounds = [];
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      var segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
      for (var part of segmenter.segment(text)) bounds.push(part.index);
    } else {
      // Without Segmenter, at least never split a surrogate pair.
      for (var i = 0; i < text.length; i++) {
        var unit = text.charCodeAt(i);
        if (!isLow(unit) || i === 0 || !isHigh(text.charCodeAt(i - 1))) bounds.push(i);
      }
    }
    bounds.push(text.length);
    graphemeCache.set(root, { text: text, bounds: bounds });
    return bounds;
  }

  // The last boundary <= offset (down) or the first boundary >= offset (up).
  function snap(bounds, offset, up) {
    var lo = 0;
    var hi = bounds.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (bounds[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (up && bounds[lo] < offset && lo + 1 < bounds.length) return bounds[lo + 1];
    return bounds[lo];
  }

  // Code points before a UTF-16 offset; an offset inside a surrogate pair rounds down, as in Python.
  function utf16ToCodepoint(text, offset) {
    var points = 0;
    var i = 0;
    while (i < offset && i < text.length) {
      var width = isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
      if (i + width > offset) break;
      i += width;
      points++;
    }
    return points;
  }

  function isLow(unit) {
    return unit >= 0xdc00 && unit <= 0xdfff;
  }

  function isHigh(unit) {
    return unit >= 0xd800 && unit <= 0xdbff;
  }

  function codepointToUtf16(text, points) {
    var i = 0;
    for (var seen = 0; seen < points && i < text.length; seen++) {
      i += isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1)) ? 2 : 1;
    }
    return i;
  }

  // UTF-16 offset of a DOM boundary point in root's text; points outside root clamp to its ends.
  function textOffset(root, node, offset, length) {
    if (!root.contains(node)) {
      var range = document.createRange();
      range.selectNodeContents(root);
      return range.comparePoint(node, offset) < 0 ? 0 : length;
    }
    var before = document.createRange();
    before.setStart(root, 0);
    before.setEnd(node, offset);
    return before.toString().length;
  }

  /**
   * THE conversion: a DOM Range (e.g. window.getSelection().getRangeAt(0)) inside `root` to
   * {start, end, quote}, with start/end in code points of root's text (the highlight <mark>s are
   * flat, so root.textContent is the article body), widened to whole graphemes and trimmed of
   * surrounding white space. Null when nothing but white space is selected.
   */
  function rangeToOffsets(root, range) {
    var text = root.textContent;
    var start = textOffset(root, range.startContainer, range.startOffset, text.length);
    var end = textOffset(root, range.endContainer, range.endOffset, text.length);
    if (end < start) {
      var swap = start;
      start = end;
      end = swap;
    }
    while (start < end && SPACE.test(text[start])) start++;
    while (end > start && SPACE.test(text[end - 1])) end--;
    if (start >= end) return null;
    var bounds = graphemeBoundaries(root, text);
    start = snap(bounds, start, false);
    end = snap(bounds, end, true);
    var startPoint = utf16ToCodepoint(text, start);
    return {
      start: startPoint,
      end: startPoint + utf16ToCodepoint(text.slice(start, end), end - start),
      quote: text.slice(start, end),
    };
  }

  // The DOM position of a UTF-16 offset in root's text.
  function locate(root, offset) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    var last = null;
    while ((node = walker.nextNode())) {
      if (offset <= node.data.length) return { node: node, offset: offset };
      offset -= node.data.length;
      last = node;
    }
    return last ? { node: last, offset: last.data.length } : { node: root, offset: 0 };
  }

  // The inverse, for code that selects text itself (keyboard selection, showing evidence):
  // code points [start, end) of root's text as a DOM Range.
  function offsetsToRange(root, start, end) {
    var text = root.textContent;
    var from = locate(root, codepointToUtf16(text, start));
    var to = locate(root, codepointToUtf16(text, end));
    var range = document.createRange();
    range.setStart(from.node, from.offset);
    range.setEnd(to.node, to.offset);
    return range;
  }

  window.FactcheckOffsets = {
    rangeToOffsets: rangeToOffsets,
    offsetsToRange: offsetsToRange,
    utf16ToCodepoint: utf16ToCodepoint,
    codepointToUtf16: codepointToUtf16,
    graphemeBoundaries: graphemeBoundaries,
  };
})();
