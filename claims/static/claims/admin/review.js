// The review page: when the verdict came back with errors, bring the first one into view and
// put the cursor in its field, so the reviewer sees what to fix without hunting for it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var field = document.querySelector("#verdict-form .verdict-field.errors");
  var target = field || document.querySelector("#verdict-form .errorlist");
  if (!target) {
    return;
  }
  target.scrollIntoView({ block: "center" });
  var control = field && field.querySelector("select, textarea, input:not([type=hidden])");
  if (control) {
    control.focus({ preventScroll: true });
  }
});
