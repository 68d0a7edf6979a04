// The chat window's loader: the one <script src="…/static/loader.js" async> a brand pastes on any page.
//
// It shows the brand's engagements (a launcher, a proactive invitation, engagements placed in the page's content),
// opens the window in an <iframe> panel (or a popup), and gives the page one global, `LPChatWindow`, with
// open/close/toggle/setVisitor/setEngagementAttributes/launch/on/off. Calls made before this file arrives are queued
// by the page in an array under that name and replayed in order; calls made before the window is ready are queued
// here and sent once it says so. No framework, no inline style (a constructed stylesheet in shadow roots, so it works
// under a strict CSP and neither styles the page nor takes its styles), no other global. Messages to and from the
// window always name the exact origin, and are checked both ways.
//
// The panel's window is loaded at once but dormant (its shell, no runtime) and does two things before the consumer
// opens it (static/engage.js): it asks LivePerson for the engagement and its availability (unmonitored flow), which
// shows, hides or relabels the engagements here, and it reports the funnel as they are shown, clicked, closed.
(() => {
  "use strict";
  const NAME = "LPChatWindow";
  const script = document.currentScript;
  if (!script || (window[NAME] && !Array.isArray(window[NAME]))) return; // no script element, or already loaded
  const data = script.dataset;
  const home = new URL(data.window || "../", script.src); // the window: the site this file (static/) is part of
  const origin = home.origin;
  const mode = data.mode === "popup" ? "popup" : "panel";
  const monitored = data.flow === "monitored"; // LivePerson's tag shows the engagements and hands their data over
  const EVENTS = ["ready", "open", "close", "state", "line", "unread"];
  const handlers = new Map(EVENTS.map((event) => [event, new Set()]));
  const outbox = []; // messages for the chat window until it is ready
  const funnelOutbox = []; // funnel reports for the dormant window until it listens
  const INVITED = "lp-chat-window:invitation-closed"; // in the page's sessionStorage: closed once, not shown again
  let dormant = null; // the panel's iframe (or, in popup mode, an engagement-only one), once it listens
  let panelFrame = null;
  let popup = null;
  let wake = false;
  let ready = false;
  let isOpen = false;
  let returnTo = null;
  let available = null; // null: not known (yet); the engagements show, and the window asks again on opening
  let launchData = null; // the engagement the window is to use (from the tag, or the dormant window's own)
  let look = {}; // the brand's look from the window's configuration: {accent, accentText, label}
  const pageTitle = () => document.title.replace(/^\(\d+\) /, "");

  const colour = (value) => (value && CSS.supports("color", value) ? value : null);
  const css = `
    :host { all: initial; }
    button { font: 600 16px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; cursor: pointer; }
    button:focus-visible { outline: 3px solid #f4a100; outline-offset: 2px; }
    [hidden] { display: none !important; }
    .launcher, .invitation, .panel { position: fixed; inset-inline-end: 20px; z-index: 2147483000; }
    .launcher {
      inset-block-end: 20px; min-block-size: 48px; padding: 12px 20px; border: 0; border-radius: 999px;
      background: var(--lpcw-accent, #0b5cad); color: var(--lpcw-accent-text, #fff);
      box-shadow: 0 4px 16px rgb(0 0 0 / 25%);
    }
    .invitation {
      inset-block-end: 84px; max-inline-size: 320px; padding: 16px; border-radius: 12px; background: #fff;
      color: #1d2329; font: 16px/1.4 system-ui, sans-serif; box-shadow: 0 6px 24px rgb(0 0 0 / 25%);
    }
    .invitation p { margin: 0 0 12px; }
    .actions { display: flex; gap: 8px; flex-wrap: wrap; }
    .accept, .card button {
      min-block-size: 44px; padding: 10px 16px; border: 0; border-radius: 999px;
      background: var(--lpcw-accent, #0b5cad); color: var(--lpcw-accent-text, #fff);
    }
    .decline { min-block-size: 44px; padding: 10px 16px; border: 1px solid #c9d1d9; border-radius: 999px; background: #fff; color: #1d2329; }
    .badge {
      display: inline-block; margin-inline-start: 8px; min-inline-size: 1.5em; padding: 0 6px; border-radius: 999px;
      background: var(--lpcw-accent-text, #fff); color: var(--lpcw-accent, #0b5cad); font-size: 14px; line-height: 1.5;
    }
    .panel {
      inset-block-end: 20px; inline-size: 400px; block-size: min(640px, calc(100vh - 40px)); z-index: 2147483001;
      display: flex; flex-direction: column; border-radius: 12px; overflow: hidden;
      background: #fff; box-shadow: 0 8px 32px rgb(0 0 0 / 30%);
    }
    .bar { display: flex; justify-content: flex-end; background: var(--lpcw-accent, #0b5cad); }
    .close {
      min-inline-size: 44px; min-block-size: 36px; border: 0; font: 20px/1 system-ui, sans-serif;
      background: transparent; color: var(--lpcw-accent-text, #fff);
    }
    iframe { flex: 1; inline-size: 100%; border: 0; }
    .card {
      display: flex; gap: 12px; align-items: center; justify-content: space-between; flex-wrap: wrap;
      padding: 16px; border: 1px solid #c9d1d9; border-radius: 12px; background: #fff; color: #1d2329;
      font: 16px/1.4 system-ui, sans-serif;
    }
    .card p { margin: 0; }
    @media (max-width: 480px) {
      /* The whole screen, above the on-screen keyboard (the height the visual viewport leaves). */
      .panel { inset: 0; inline-size: 100%; block-size: var(--lpcw-viewport, 100%); border-radius: 0; }
      .invitation { inset-inline: 12px; max-inline-size: none; }
    }
    @media (prefers-reduced-motion: no-preference) {
      .invitation { animation: rise 0.2s ease-out; }
      @keyframes rise { from { transform: translateY(8px); opacity: 0; } }
    }`;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);

  const hosts = []; // each shadow root's host: where the brand's colours are set
  function shadow(host) {
    const root = host.attachShadow({ mode: "open" });
    root.adoptedStyleSheets = [sheet];
    hosts.push(host);
    paint();
    return root;
  }

  // The brand's colours: the snippet's data-accent/data-accent-text, else the window's configuration (`theme`).
  function paint() {
    const accent = colour(data.accent) || colour(look.accent);
    const accentText = colour(data.accentText) || colour(look.accentText);
    for (const host of hosts) {
      for (const [property, value] of [["--lpcw-accent", accent], ["--lpcw-accent-text", accentText]]) {
        if (value) host.style.setProperty(property, value); // CSSOM, which a CSP does not govern
      }
    }
  }

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    if (tag === "button") node.type = "button";
    return node;
  }

  function emit(event, detail) {
    for (const handler of handlers.get(event)) {
      try {
        handler(detail);
      } catch (error) {
        console.error(`${NAME}: a "${event}" handler failed`, error);
      }
    }
  }

  const chatWindow = () => (mode === "popup" ? popup : panelFrame && panelFrame.contentWindow);

  function post(message) {
    const target = chatWindow();
    if (ready && target) target.postMessage({ lpcw: 1, ...message }, origin);
    else outbox.push(message);
  }

  function funnel(event) {
    if (dormant) dormant.contentWindow.postMessage({ lpcw: 1, type: "funnel", event }, origin);
    else funnelOutbox.push(event);
  }

  // --- the windows' side of the conversation --------------------------------------------------------------------
  window.addEventListener("message", (event) => {
    const message = event.data;
    if (event.origin !== origin || !message || typeof message !== "object" || message.lpcw !== 1) return;
    const fromDormant = event.source === engagementFrame.contentWindow;
    if (fromDormant && message.type === "dormant") {
      dormant = engagementFrame;
      funnelOutbox.splice(0).forEach(funnel);
      if (wake && mode === "panel") dormant.contentWindow.postMessage({ lpcw: 1, type: "wake" }, origin);
      return;
    }
    if (fromDormant && message.type === "look") {
      look = message.detail || {};
      paint();
      showEngagements();
      return;
    }
    if (fromDormant && message.type === "engagement") {
      available = message.detail ? message.detail.available : null;
      if (message.detail && message.detail.launch && !launchData) launchData = message.detail.launch;
      showEngagements();
      return;
    }
    if (event.source !== chatWindow()) return; // not our window: ignored
    if (message.type === "signin") return signInFromPage();
    if (!EVENTS.includes(message.type) && message.type !== "close") {
      console.debug(`${NAME}: ignored a message of an unknown shape`);
      return;
    }
    if (message.type === "ready") {
      ready = true;
      outbox.splice(0).forEach(post);
    }
    if (message.type === "close") close();
    else emit(message.type, message.detail === undefined ? null : structuredClone(message.detail));
    if (message.type === "unread") showUnread(Number(message.detail?.count) || 0);
  });

  // The engagement asks for a signed-in consumer: the page's method (as LivePerson's tag calls it, by default
  // `lpGetAuthenticationToken`) may already have a sign-in: it calls back with an id_token, or `{ssoKey,
  // redirect_uri}` for a code, or `("", reason)`. Without the method, the consumer signs in in the window.
  function signInFromPage() {
    const name = data.authCallback || "lpGetAuthenticationToken";
    const answer = (detail) => post({ type: "command", name: "authenticate", detail });
    if (typeof window[name] !== "function") return answer({ reason: `the page has no ${name}()` });
    let answered = false;
    const callback = (key, reason) => {
      if (answered) return;
      answered = true;
      if (typeof key === "string" && key) answer({ ssoKey: key });
      else if (key && typeof key === "object" && typeof key.ssoKey === "string" && key.ssoKey)
        answer({ ssoKey: key.ssoKey, redirectUri: key.redirect_uri || key.redirectUri || null });
      else answer({ reason: typeof reason === "string" ? reason.slice(0, 500) : "no sign-in" });
    };
    try {
      window[name](callback);
    } catch (error) {
      console.error(`${NAME}: ${name}() failed`, error);
      callback("", "it failed");
    }
  }

  // Agent lines the consumer has not seen (the panel closed, or this page's tab hidden): a count on the launcher and
  // in front of the page's title, as mail and chat apps do; gone once they look.
  function showUnread(count) {
    badge.textContent = count ? String(count) : "";
    badge.hidden = !count;
    document.title = count ? `(${count}) ${pageTitle()}` : pageTitle();
  }

  // --- the engagements the page shows ---------------------------------------------------------------------------
  const host = document.createElement("div");
  const root = shadow(host);
  const offline = () => available === false;
  const gone = () => offline() && data.offline === "hide";
  const label = () => (offline() ? data.offlineLabel || "Leave us a message" : data.label || look.label || "Chat with us");
  const shown = new Set(); // engagements reported as displayed, on this page view

  const launcher = make("button", "launcher");
  const launcherText = make("span");
  const badge = make("span", "badge");
  badge.hidden = true;
  launcher.append(launcherText, badge);
  launcher.setAttribute("aria-haspopup", "dialog");
  launcher.setAttribute("aria-expanded", "false");
  launcher.hidden = true;
  launcher.addEventListener("click", () => accept(launcher));

  const invitation = make("div", "invitation");
  invitation.setAttribute("role", "region");
  invitation.setAttribute("aria-label", data.inviteTitle || "Chat invitation");
  invitation.setAttribute("aria-live", "polite"); // announced when it appears, without taking the focus
  invitation.hidden = true;
  const inviteText = make("p", "", data.inviteText || "Can we help? An agent is ready to chat.");
  const inviteAccept = make("button", "accept", data.inviteAccept || "Chat now");
  const inviteDecline = make("button", "decline", data.inviteDecline || "No, thanks");
  const actions = make("div", "actions");
  actions.append(inviteAccept, inviteDecline);
  invitation.append(inviteText, actions);
  inviteAccept.addEventListener("click", () => {
    invitation.hidden = true;
    accept(invitation);
  });
  inviteDecline.addEventListener("click", () => dismissInvitation());

  const cards = []; // engagements placed in the page's own content: <div data-lpcw-engagement data-text="…">
  for (const place of document.querySelectorAll("[data-lpcw-engagement]")) {
    if (place.shadowRoot) continue;
    const card = make("div", "card");
    const text = make("p", "", place.dataset.text || "Questions? Our team is here to help.");
    const button = make("button");
    button.addEventListener("click", () => accept(card));
    card.append(text, button);
    card.hidden = true;
    shadow(place).append(card);
    cards.push({ card, button });
  }

  function display(engagement, kind) {
    engagement.hidden = false;
    if (!shown.has(kind)) {
      shown.add(kind);
      funnel("impDisplay");
    }
  }

  function showEngagements() {
    if (monitored) return; // LivePerson's tag shows them
    launcherText.textContent = label();
    if (data.launcher !== "false" && !gone()) display(launcher, "launcher");
    else launcher.hidden = true;
    for (const { card, button } of cards) {
      button.textContent = label();
      if (gone()) card.hidden = true;
      else display(card, `card${cards.findIndex((entry) => entry.card === card)}`);
    }
    if (offline()) invitation.hidden = true; // nobody to chat with: no invitation to
  }

  // The proactive invitation: after `data-invite-after` seconds on the page, if an agent may be there, the consumer
  // has not opened the chat, and did not close the invitation in this session.
  const inviteAfter = Number(data.inviteAfter);
  if (!monitored && data.inviteAfter && inviteAfter >= 0) {
    setTimeout(() => {
      if (!isOpen && !offline() && !sessionStorage.getItem(INVITED)) display(invitation, "invitation");
    }, inviteAfter * 1000);
  }

  function dismissInvitation() {
    if (invitation.hidden) return;
    invitation.hidden = true;
    sessionStorage.setItem(INVITED, "1"); // not shown again in this session
    funnel("impClose");
  }

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && !invitation.hidden) dismissInvitation();
  });

  function accept(engagement) {
    funnel("impAccept");
    open(engagement);
  }

  // --- the chat window ------------------------------------------------------------------------------------------
  const panel = make("div", "panel");
  panel.hidden = true;
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", data.title || "Chat");
  const bar = make("div", "bar");
  const closer = make("button", "close", "×");
  closer.setAttribute("aria-label", "Close chat");
  closer.addEventListener("click", () => close());
  bar.append(closer);
  panel.append(bar);
  panel.addEventListener("keydown", (event) => event.key === "Escape" && close());
  root.append(invitation, launcher, panel);

  function windowUrl(embed) {
    const url = new URL("index.html", home);
    url.searchParams.set("embed", embed);
    url.searchParams.set("host", location.origin);
    if (monitored) url.searchParams.set("flow", "monitored");
    if (data.preload === "impression") url.searchParams.set("preload", "1");
    return url.href;
  }

  // The panel's window, dormant until the first open; in popup mode an engagement-only one, never shown.
  const engagementFrame = make("iframe");
  engagementFrame.title = data.title || "Chat";
  engagementFrame.src = windowUrl(mode === "panel" ? "panel" : "engagement");
  if (mode === "panel") {
    panelFrame = engagementFrame;
    panel.append(engagementFrame);
  } else {
    engagementFrame.hidden = true;
    engagementFrame.tabIndex = -1;
    engagementFrame.setAttribute("aria-hidden", "true");
    root.append(engagementFrame);
  }

  function focused() {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
    return active;
  }

  function open(from) {
    if (isOpen) return;
    returnTo = from && from !== invitation ? from : focused();
    invitation.hidden = true;
    if (launchData) post({ type: "command", name: "launch", detail: launchData }); // the engagement to chat in
    if (mode === "popup") {
      if (!popup || popup.closed) {
        ready = false;
        popup = window.open(windowUrl("popup"), "lp-chat-window", "popup,width=420,height=660");
      }
      if (popup) popup.focus();
    } else {
      isOpen = true;
      wake = true;
      if (dormant) dormant.contentWindow.postMessage({ lpcw: 1, type: "wake" }, origin);
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      panelFrame.focus();
    }
    funnel("impExpanded");
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
    const back = returnTo && returnTo.isConnected && returnTo !== document.body ? returnTo : launcher;
    (back.hidden || back.closest?.("[hidden]") ? launcher : back).focus();
    emit("close", null);
  }

  function command(name) {
    return (detail) => post({ type: "command", name, detail: structuredClone(detail) });
  }

  const api = Object.freeze({
    open: () => open(null),
    close,
    toggle: () => (isOpen ? close() : open(null)),
    setVisitor: command("setVisitor"),
    setEngagementAttributes: command("setEngagementAttributes"),
    // The engagement LivePerson's tag handed to the brand's method (its short keys: svid, ssid, scid, eid, cid, lang,
    // skill): the window chats in that session. It opens the window, as the consumer's click on it did.
    launch(detail) {
      launchData = structuredClone(detail);
      if (dormant) dormant.contentWindow.postMessage({ lpcw: 1, type: "command", name: "launch", detail: launchData }, origin);
      open(null);
    },
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

  // On a phone the panel is the whole screen: as tall as the on-screen keyboard leaves it, so the message box shows.
  if (window.visualViewport) {
    const fit = () => host.style.setProperty("--lpcw-viewport", `${Math.round(window.visualViewport.height)}px`);
    window.visualViewport.addEventListener("resize", fit);
    fit();
  }

  const queued = Array.isArray(window[NAME]) ? window[NAME] : [];
  window[NAME] = api;
  const mount = () => {
    document.body.append(host);
    showEngagements(); // at once with what is known (the dormant window may tell more: available or not)
    queued.forEach((call) => api.push(call));
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
