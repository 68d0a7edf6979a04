// The chat window's loader: the one <script src="…/loader.js" async> a brand pastes on any page.
//
// It draws an accessible launcher, opens the window in an <iframe> panel (or a popup), and gives the page one global,
// `LPChatWindow`, with open/close/toggle/setVisitor/setEngagementAttributes/launch/on/off. Calls made before this
// file arrives are queued by the page in an array under that name and replayed in order; calls made before the
// window is ready are queued here and sent once it says so. No framework, no inline style (a constructed
// stylesheet in a shadow root, so it works under a strict CSP and neither styles the page nor takes its styles), no
// other global. Messages to and from the window always name the exact origin, and are checked both ways.
(() => {
  "use strict";
  const NAME = "LPChatWindow";
  const script = document.currentScript;
  if (!script || (window[NAME] && !Array.isArray(window[NAME]))) return; // no script element, or already loaded
  const data = script.dataset;
  const home = new URL(data.window || "../", script.src); // the window: the site this file (static/) is part of
  const origin = home.origin;
  const mode = data.mode === "popup" ? "popup" : "panel";
  const EVENTS = ["ready", "open", "close", "state", "line", "unread"];
  const handlers = new Map(EVENTS.map((event) => [event, new Set()]));
  const outbox = []; // messages for the window until it is ready
  let frame = null; // the <iframe>, or the popup's window
  let dormant = false; // the iframe's page is there and waits to be woken (its runtime not started)
  let wake = false; // the consumer asked for the chat: start the window's runtime
  let ready = false;
  let isOpen = false;
  let returnTo = null; // what had the focus before the panel opened

  const colour = (value) => (value && CSS.supports("color", value) ? value : null);
  const css = `
    :host { all: initial; }
    .launcher {
      position: fixed; inset-block-end: 20px; inset-inline-end: 20px; z-index: 2147483000;
      min-block-size: 48px; padding: 12px 20px; border: 0; border-radius: 999px; cursor: pointer;
      font: 600 16px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
      background: var(--lpcw-accent, #0b5cad); color: var(--lpcw-accent-text, #fff);
      box-shadow: 0 4px 16px rgb(0 0 0 / 25%);
    }
    .launcher:focus-visible, .close:focus-visible { outline: 3px solid #f4a100; outline-offset: 2px; }
    .launcher[hidden], .panel[hidden] { display: none; }
    .panel {
      position: fixed; inset-block-end: 20px; inset-inline-end: 20px; z-index: 2147483001;
      inline-size: 400px; block-size: min(640px, calc(100vh - 40px));
      display: flex; flex-direction: column; border-radius: 12px; overflow: hidden;
      background: #fff; box-shadow: 0 8px 32px rgb(0 0 0 / 30%);
    }
    .bar { display: flex; justify-content: flex-end; background: var(--lpcw-accent, #0b5cad); }
    .close {
      min-inline-size: 44px; min-block-size: 44px; border: 0; cursor: pointer; font: 20px/1 system-ui, sans-serif;
      background: transparent; color: var(--lpcw-accent-text, #fff);
    }
    iframe { flex: 1; inline-size: 100%; border: 0; }
    @media (max-width: 480px) {
      .panel { inset: 0; inline-size: 100%; block-size: 100%; border-radius: 0; }
    }`;

  function emit(event, detail) {
    for (const handler of handlers.get(event)) {
      try {
        handler(detail);
      } catch (error) {
        console.error(`${NAME}: a "${event}" handler failed`, error);
      }
    }
  }

  function post(message) {
    const target = mode === "popup" ? frame : frame && frame.contentWindow;
    if (ready && target) target.postMessage({ lpcw: 1, ...message }, origin);
    else outbox.push(message);
  }

  // --- the window's side of the conversation ----------------------------------------------------------------------
  window.addEventListener("message", (event) => {
    const source = mode === "popup" ? frame : frame && frame.contentWindow;
    const message = event.data;
    if (event.origin !== origin || !source || event.source !== source) return; // not our window: ignored
    if (message && message.lpcw === 1 && message.type === "dormant") {
      dormant = true;
      if (wake) source.postMessage({ lpcw: 1, type: "wake" }, origin);
      return;
    }
    if (!message || typeof message !== "object" || message.lpcw !== 1 || !EVENTS.includes(message.type)) {
      console.debug(`${NAME}: ignored a message of an unknown shape`);
      return;
    }
    if (message.type === "ready") {
      ready = true;
      outbox.splice(0).forEach(post);
    }
    if (message.type === "close") close();
    else emit(message.type, message.detail === undefined ? null : structuredClone(message.detail));
  });

  // --- what the page sees ---------------------------------------------------------------------------------------
  const host = document.createElement("div");
  const root = host.attachShadow({ mode: "open" });
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
  for (const [property, value] of [["--lpcw-accent", colour(data.accent)], ["--lpcw-accent-text", colour(data.accentText)]]) {
    if (value) host.style.setProperty(property, value); // CSSOM, which a CSP does not govern
  }
  const launcher = document.createElement("button");
  launcher.type = "button";
  launcher.className = "launcher";
  launcher.textContent = data.label || "Chat with us";
  launcher.hidden = data.launcher === "false";
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  launcher.addEventListener("click", () => open());
  const panel = document.createElement("div");
  panel.className = "panel";
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", data.title || "Chat");
  const bar = document.createElement("div");
  bar.className = "bar";
  const closer = document.createElement("button");
  closer.type = "button";
  closer.className = "close";
  closer.textContent = "×";
  closer.setAttribute("aria-label", "Close chat");
  closer.addEventListener("click", () => close());
  bar.append(closer);
  panel.append(bar);
  panel.addEventListener("keydown", (event) => event.key === "Escape" && close());
  root.append(launcher, panel);

  function windowUrl() {
    const url = new URL("index.html", home);
    url.searchParams.set("embed", mode);
    url.searchParams.set("host", location.origin);
    if (data.preload === "impression") url.searchParams.set("preload", "1");
    return url.href;
  }

  function focused() {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    return active;
  }

  function open() {
    if (isOpen) return;
    returnTo = focused();
    isOpen = true;
    if (mode === "popup") {
      if (!frame || frame.closed) {
        ready = false;
        frame = window.open(windowUrl(), "lp-chat-window", "popup,width=420,height=660");
      }
      if (frame) frame.focus();
      isOpen = false; // a popup is the browser's own window: the page does not track it as open
    } else {
      wake = true;
      if (dormant) frame.contentWindow.postMessage({ lpcw: 1, type: "wake" }, origin);
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      frame.focus();
    }
    post({ type: "command", name: "shown" });
    post({ type: "command", name: "start" });
    emit("open", null);
  }

  function close() {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    post({ type: "command", name: "hidden" });
    (returnTo && returnTo.isConnected && returnTo !== document.body ? returnTo : launcher).focus();
    emit("close", null);
  }

  function command(name) {
    return (detail) => post({ type: "command", name, detail: structuredClone(detail) });
  }

  const api = Object.freeze({
    open,
    close,
    toggle: () => (isOpen ? close() : open()),
    setVisitor: command("setVisitor"),
    setEngagementAttributes: command("setEngagementAttributes"),
    launch: command("launch"),
    on(event, handler) {
      if (handlers.has(event) && typeof handler === "function") handlers.get(event).add(handler);
      else console.warn(`${NAME}.on: unknown event "${event}" (${EVENTS.join(", ")})`);
    },
    off(event, handler) {
      handlers.get(event)?.delete(handler);
    },
    // Calls queued before this file arrived are arrays: [method, ...arguments]; pushing one later works too.
    push(call) {
      const [method, ...args] = Array.isArray(call) ? call : [];
      if (typeof api[method] === "function" && method !== "push") api[method](...args);
      else console.warn(`${NAME}: unknown call`, call);
    },
  });
  // The panel's window is loaded with the page, dormant: its shell, a few kilobytes, no runtime until the consumer
  // opens it (then typing works at once, and the runtime starts). With `data-preload="impression"` its immutable
  // files are fetched ahead too, into the cache the iframe will use (the browser keys its cache by the embedding
  // site, so only a page of the window's own origin inside this page can warm it).
  if (mode === "panel") {
    frame = document.createElement("iframe");
    frame.title = data.title || "Chat";
    frame.src = windowUrl();
    panel.append(frame);
  }

  const queued = Array.isArray(window[NAME]) ? window[NAME] : [];
  window[NAME] = api;
  const mount = () => {
    document.body.append(host);
    queued.forEach((call) => api.push(call));
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
