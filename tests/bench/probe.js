// The benchmark's probe, injected through the DevTools protocol into every frame before its own scripts (so the
// page's CSP does not apply to it, and the page is not changed). Times are absolute, in ms (performance.timeOrigin
// plus the document's own clock), so that the brand page's and the window's frames compare.
(() => {
  const at = (relative) => performance.timeOrigin + relative;
  const bench = (window.__bench = { longTasks: [], states: {}, seen: {}, removed: 0, measures: [] });
  new PerformanceObserver((list) => {
    for (const task of list.getEntries()) bench.longTasks.push([at(task.startTime), task.duration]);
  }).observe({ type: "longtask", buffered: true });
  // The window's User Timing measures ("import window.screens.prechat", …): what a feature costs when first used.
  new PerformanceObserver((list) => {
    for (const measure of list.getEntries()) bench.measures.push([measure.name, at(measure.startTime), measure.duration]);
  }).observe({ type: "measure", buffered: true });
  // The consumer's click (on the brand page, or in the window).
  document.addEventListener("click", (event) => (bench.clickAt ??= at(event.timeStamp)), true);

  const watch = () => {
    const root = document.documentElement;
    if (!root) return;
    const now = at(performance.now());
    if (root.dataset.ready === "true") bench.readyAt ??= now;
    if (root.dataset.state) bench.states[root.dataset.state] ??= now;
  };
  new MutationObserver(watch).observe(document, {
    attributes: true,
    subtree: true,
    attributeFilter: ["data-ready", "data-state"],
  });

  document.addEventListener("DOMContentLoaded", () => {
    watch();
    const box = document.getElementById("message");
    const transcript = document.getElementById("transcript");
    if (!box || !transcript) return; // not the window
    // The message box on screen (an embedded window's panel opened), and holding the focus: typing goes in.
    new IntersectionObserver((entries, observer) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        bench.shownAt ??= at(entries[0].time);
        observer.disconnect();
      }
    }).observe(box);
    box.addEventListener("focus", () => (bench.focusAt ??= at(performance.now())));
    if (document.activeElement === box) bench.focusAt ??= at(performance.now());
    // Agent lines as they appear (Date.now(): compared with when the bench's agent sent them), and any line
    // taken out of the log again (the transcript appends, it never re-renders; boot.js's early lines excepted).
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          const text = node.classList?.contains("line--agent") && node.querySelector(".line__text")?.textContent;
          if (text) bench.seen[text] ??= Date.now();
        }
        for (const node of record.removedNodes) if (node.classList?.contains("line") && !node.dataset.early) bench.removed++;
      }
    }).observe(transcript, { childList: true });
  });
})();
