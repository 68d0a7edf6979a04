// The window's one script of its own, loaded before Python: the shell works from its first paint.
//
// 1. It starts the runtime (DOMPurify, then PyScript, which runs window/main.py): at once on a page of its own or
//    in a popup; in a brand's page (an iframe the loader made when the page loaded) only when the consumer opens
//    the chat, so a page view costs the brand a few kilobytes, never Python. Until then the window is "dormant":
//    it tells the page so, and waits for the page's "wake" (from the origin its address names, nothing else).
// 2. What the consumer types before Python is ready is kept: a submitted line is shown at once in the transcript
//    (as text) and marked `data-early`; Python takes those lines over, in order, and sends each once.
// 3. If Python never takes over (html[data-ready]), it says so instead of "Connecting…" for ever. The message is in
//    index.html, beside the shell's other strings (#status's data-failed).
// 4. On a phone, the window takes the height the on-screen keyboard leaves (visualViewport), so the message box stays
//    above it (browsers that resize the layout for the keyboard, per the viewport's interactive-widget, need nothing).
// 5. Dormant and asked to preload (`preload=1`, the loader's opt-in), it fetches the files the runtime will load
//    (static/preload.json, written by the build) once the page is idle, so opening the chat is close to a warm load.
// 6. A request the page's CSP refuses (a service its connect-src does not name, e.g. a host the domain lookup
//    returned) is the site's configuration, not the network: its owner is told in the console, once per address;
//    the consumer sees the window's own words for a service it cannot reach.
(() => {
  const root = document.documentElement;
  const script = document.currentScript;
  const timeoutMs = Number(script?.dataset.timeoutMs ?? 60000);
  const pythonHasIt = () => root.dataset.ready === "true";
  const params = new URLSearchParams(location.search);
  const host = params.get("host");

  let started = false;
  const giveUp = () => {
    if (pythonHasIt()) return;
    root.dataset.state = "error";
    const status = document.getElementById("status");
    if (status) status.textContent = status.dataset.failed;
  };
  const start = () => {
    if (started) return;
    started = true;
    const sanitiser = document.createElement("script");
    sanitiser.src = script.dataset.sanitiser;
    const runtime = document.createElement("script");
    runtime.type = "module";
    runtime.src = script.dataset.runtime;
    document.head.append(sanitiser, runtime);
    setTimeout(giveUp, timeoutMs);
  };
  const refused = new Set();
  document.addEventListener("securitypolicyviolation", (event) => {
    if (event.effectiveDirective !== "connect-src" || refused.has(event.blockedURI)) return;
    refused.add(event.blockedURI);
    console.error(
      `Chat window configuration: the page's policy (connect-src) does not let the window reach ${event.blockedURI}; ` +
        "serve the page with the Content-Security-Policy the configuration makes (README, Deploy)",
    );
  });
  // A failed start of the interpreter surfaces as a promise nobody handles.
  window.addEventListener("unhandledrejection", () => started && giveUp());

  // The page's origin as a browser writes one: messages name it as their only recipient, so never "*" (any page).
  const isOrigin = (value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  };
  const embed = params.get("embed");
  const framed = (embed === "panel" || embed === "engagement") && window.parent !== window;
  if (framed && !isOrigin(host)) {
    console.error(`Chat window: host ${JSON.stringify(String(host).slice(0, 200))} is not an origin; the page is not answered`);
  } else if (framed) {
    window.addEventListener("message", (event) => {
      const message = event.data;
      if (event.origin !== host || event.source !== window.parent) return;
      if (message && message.lpcw === 1 && message.type === "wake") start();
    });
    // The engagement and the funnel start at once, before the runtime (static/engage.js); the page hears "dormant"
    // once engage.js listens too, so no funnel report of the page is lost.
    const engage = document.createElement("script");
    engage.src = script.dataset.engage;
    const listening = () => window.parent.postMessage({ lpcw: 1, type: "dormant" }, host);
    engage.addEventListener("load", listening);
    engage.addEventListener("error", listening);
    document.head.append(engage);
    if (params.get("preload") === "1") {
      const warm = () =>
        fetch("static/preload.json")
          .then((response) => (response.ok ? response.json() : []))
          .then((paths) => Promise.all(paths.map((path) => !started && fetch(path).then((r) => r.arrayBuffer()))))
          .catch(() => {}); // a preload that fails costs nothing: the runtime fetches what it needs when it starts
      window.addEventListener("load", () => setTimeout(warm, 0), { once: true });
    }
  } else {
    start();
  }

  const viewport = window.visualViewport;
  if (viewport) {
    const fit = () => root.style.setProperty("--chat-block-size", `${Math.round(viewport.height)}px`);
    viewport.addEventListener("resize", fit);
    fit();
  }

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
})();
