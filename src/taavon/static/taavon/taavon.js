/* Small behaviours in place of inline scripts and style attributes (the Content-Security-Policy allows neither):
   - <button data-copy-target="ID">: copies the text of element ID to the clipboard;
   - <button data-print>: prints the page;
   - <div data-progress="42">: width 42% (a progress bar; styles set from script are allowed).
   Content that htmx swaps in is set up too. */
(function () {
  "use strict";

  function setUp(root) {
    const scope = root && root.querySelectorAll ? root : document;
    const all = (selector) => {
      const found = Array.from(scope.querySelectorAll(selector));
      if (scope.matches && scope.matches(selector)) found.unshift(scope);
      return found;
    };
    all("[data-progress]").forEach((el) => {
      const value = Math.max(0, Math.min(100, Number(el.dataset.progress) || 0));
      el.style.width = value + "%";
    });
  }

  document.addEventListener("click", (event) => {
    const copy = event.target.closest("[data-copy-target]");
    if (copy) {
      const source = document.getElementById(copy.dataset.copyTarget);
      if (source && navigator.clipboard) navigator.clipboard.writeText(source.innerText);
      return;
    }
    if (event.target.closest("[data-print]")) window.print();
  });

  if (window.htmx) {
    window.htmx.onLoad(setUp); // the page itself, then every piece htmx swaps in
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => setUp(document));
  } else {
    setUp(document);
  }
})();
