// Quote by selecting: on an archived source's admin page, select a passage of its text and
// "Quote this…" opens the add-quote form with the source, the exact text and its offsets filled in.
//
// Offsets are Python string indices (Unicode code points), as the server stores and checks them;
// JavaScript strings count UTF-16 units, where a character outside the Basic Multilingual Plane
// (an emoji, a rare script) counts twice. Each segment of the text carries its own start offset
// (data-start, in code points, written by claims/source_text.py), so only the characters inside one
// segment are ever counted here, by code point.
"use strict";
(function () {
  function codePoints(text) {
    var count = 0;
    for (var index = 0; index < text.length; index++) {
      var unit = text.charCodeAt(index);
      // A high surrogate followed by a low one is a single character.
      if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
        var next = text.charCodeAt(index + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          index++;
        }
      }
      count++;
    }
    return count;
  }

  function segmentOf(node, root) {
    while (node && node !== root) {
      if (node.nodeType === Node.ELEMENT_NODE && node.hasAttribute("data-start")) {
        return node;
      }
      node = node.parentNode;
    }
    return null;
  }

  // The code-point offset in the source text of a DOM boundary point (container, offset).
  function offsetOf(root, container, offset) {
    if (container === root) {
      var child = root.childNodes[offset];
      return child ? Number(child.getAttribute("data-start")) : Number(root.getAttribute("data-length"));
    }
    var segment = segmentOf(container, root);
    if (!segment) {
      return null;
    }
    var start = Number(segment.getAttribute("data-start"));
    if (container.nodeType === Node.TEXT_NODE) {
      return start + codePoints(container.data.slice(0, offset));
    }
    return offset === 0 ? start : start + codePoints(segment.textContent);
  }

  // The selection as {start, end, text} in code points, trimmed of surrounding white space; or null.
  function selectedPassage(root) {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return null;
    }
    var range = selection.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) {
      return null;
    }
    var start = offsetOf(root, range.startContainer, range.startOffset);
    var end = offsetOf(root, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) {
      return null;
    }
    var text = range.toString();
    var leading = text.length - text.replace(/^\s+/, "").length;
    var trailing = text.length - text.replace(/\s+$/, "").length;
    if (leading === text.length) {
      return null;
    }
    start += codePoints(text.slice(0, leading));
    end -= codePoints(text.slice(text.length - trailing));
    return { start: start, end: end, text: text.slice(leading, text.length - trailing), range: range };
  }

  function addQuoteUrl(root, passage) {
    var params = new URLSearchParams({
      source: root.getAttribute("data-source"),
      text: passage.text,
      start: String(passage.start),
      end: String(passage.end),
    });
    return root.getAttribute("data-add-url") + "?" + params.toString();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("source-text");
    var button = document.getElementById("quote-this");
    if (!root || !button) {
      return;
    }
    var current = null;

    function update() {
      current = selectedPassage(root);
      if (!current) {
        button.classList.remove("visible");
        return;
      }
      var box = current.range.getBoundingClientRect();
      // Below the end of the selection, where the pointer let go. CSSOM, not a style attribute: CSP-safe.
      button.style.top = Math.round(window.scrollY + box.bottom + 6) + "px";
      button.style.left = Math.round(window.scrollX + Math.max(box.left, box.right - 120)) + "px";
      button.setAttribute("data-start", String(current.start));
      button.setAttribute("data-end", String(current.end));
      button.classList.add("visible");
    }

    document.addEventListener("selectionchange", update);
    // Scrolling the text box moves the selection under a button placed in page coordinates.
    root.addEventListener("scroll", update);
    // The button sits on the page body so its absolute position is relative to the document.
    document.body.appendChild(button);
    // Keep the selection when the button is pressed (a mousedown elsewhere would clear it first).
    button.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    button.addEventListener("click", function () {
      var passage = current || selectedPassage(root);
      if (passage) {
        window.location.assign(addQuoteUrl(root, passage));
      }
    });
  });
})();
