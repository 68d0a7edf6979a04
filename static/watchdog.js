// Python takes over the shell when it is ready (html[data-ready]). If it never does (the runtime failed to
// download or start), say so instead of "Connecting…" for ever. The message is in index.html, beside the shell's
// other strings (#status's data-failed); if Python comes up later after all, it simply overwrites it.
(() => {
  const timeoutMs = Number(document.currentScript?.dataset.timeoutMs ?? 60000);
  const giveUp = () => {
    const root = document.documentElement;
    if (root.dataset.ready === "true") return;
    root.dataset.state = "error";
    const status = document.getElementById("status");
    if (status) status.textContent = status.dataset.failed;
  };
  setTimeout(giveUp, timeoutMs);
  // A failed start of the interpreter surfaces as a promise nobody handles.
  window.addEventListener("unhandledrejection", giveUp);
})();
