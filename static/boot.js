// The window's one script of its own, loaded before Python: the shell works from its first paint.
//
// 1. What the consumer types before Python is ready is kept: a submitted line is shown at once in the transcript
//    (as text) and marked `data-early`; Python takes those lines over, in order, and sends each once.
// 2. If Python never takes over (html[data-ready]), say so instead of "Connecting…" for ever. The message is in
//    index.html, beside the shell's other strings (#status's data-failed); if Python comes up later after all, it
//    simply overwrites it.
(() => {
  const root = document.documentElement;
  const timeoutMs = Number(document.currentScript?.dataset.timeoutMs ?? 60000);
  const pythonHasIt = () => root.dataset.ready === "true";

  const keep = (event) => {
    if (pythonHasIt()) return; // Python's own handlers take it from here
    event.preventDefault();
    const message = document.getElementById("message");
    const text = message.value.trim();
    if (!text) return;
    message.value = "";
    const line = document.createElement("div");
    line.className = "line line--visitor";
    line.dataset.early = "";
    const body = document.createElement("div");
    body.className = "line__text";
    body.dir = "auto";
    body.textContent = text;
    line.append(body);
    document.getElementById("transcript").append(line);
  };
  const enterSends = (event) => {
    if (pythonHasIt() || event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    event.preventDefault();
    document.getElementById("composer").requestSubmit();
  };
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("composer").addEventListener("submit", keep);
    document.getElementById("message").addEventListener("keydown", enterSends);
  });

  const giveUp = () => {
    if (pythonHasIt()) return;
    root.dataset.state = "error";
    const status = document.getElementById("status");
    if (status) status.textContent = status.dataset.failed;
  };
  setTimeout(giveUp, timeoutMs);
  // A failed start of the interpreter surfaces as a promise nobody handles.
  window.addEventListener("unhandledrejection", giveUp);
})();
