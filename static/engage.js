// The engagement of an embedded window, from the moment the brand's page shows it: before the consumer opens the
// chat, the window's runtime (Python) is not started, so this small client of LivePerson's App Engagement API does
// the two things that cannot wait for it (boot.js loads it into an embedded window):
//
// - unmonitored flow: ask LivePerson for the engagement and its availability once per tab (App Engagement "create
//   session", [AE] in docs/api-notes.md; reused while valid, and asked again as the same visitor, never a new one per
//   page view; kept in this window's sessionStorage), hand it to Python when it starts (`window.lpcwEngagement`, a
//   promise of the launch data: the chat is requested in this session, never a second visitor), and tell the loader
//   whether an agent is there (it shows, hides or turns its engagements into "leave a message");
// - both flows: report the funnel, each impression event once per occurrence, through Update Session (`impDisplay`,
//   `impAccept`, `impClose`, `impExpanded`), retried quietly; a report never affects the chat. In the monitored flow
//   LivePerson's tag created the session and handed its ids in the launch data, which this uses.
//
// Python (window/app.py, window/api.py) does everything else with the same engagement, and validates it before use.
(() => {
  const params = new URLSearchParams(location.search);
  const host = params.get("host");
  const monitored = params.get("flow") === "monitored";
  const KEY = "lp-chat-window:engagement"; // this tab's engagement, while valid
  const RETRIES = [5000, 10000, 15000]; // LivePerson's recommendation for a 5xx ([RETRY])
  const REPORT_RETRIES = [1000, 4000, 16000];
  let engagement = null; // {visitorId, sessionId, pageId, engagementDetails, expiresAt}
  let known; // resolves once the engagement is (or cannot be) known: reports wait for it, in the order asked
  let reports = new Promise((resolve) => {
    known = resolve;
  });

  const tell = (type, detail) => window.parent.postMessage({ lpcw: 1, type, detail }, host);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const json = async (response) => {
    if (!response.ok) {
      throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status, body: await response.text() });
    }
    return response.status === 204 ? null : response.json().catch(() => null);
  };
  // A 4xx other than 429 is final ([RETRY]); no answer at all, a 429 or a 5xx is worth another try.
  const passing = (error) => error.status === undefined || error.status === 429 || error.status >= 500;

  async function appEngagementBase(config) {
    const own = config.service_urls?.msdkgw;
    if (own) return own.replace(/\/$/, "");
    const csds = config.csds_url.replace(/\/$/, "");
    const url = `${csds}/api/account/${encodeURIComponent(config.account_id)}/service/baseURI.json?version=1.0`;
    const { baseURIs } = await json(await fetch(url, { headers: { Accept: "application/json" } }));
    const services = Object.fromEntries([].concat(baseURIs).map((entry) => [entry.service, entry.baseURI]));
    const found = services.msdkgw || services.smt;
    const scheme = new URL(csds).protocol;
    return found.includes("://") ? found : `${scheme}//${found}`;
  }

  async function createSession(config, base) {
    const stored = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (stored && stored.engagementDetails && Date.now() < stored.expiresAt) return stored;
    let visitor = stored ? stored.visitorId : null;
    const session = stored ? stored.sessionId : null;
    const visitors = `${base}/api/account/${encodeURIComponent(config.account_id)}/app/engagement/visitors`;
    const body = JSON.stringify({ appType: "EXTERNAL", consumerSections: config.sections?.length ? config.sections : undefined });
    for (let attempt = 0; ; attempt++) {
      const url = `${visitors}${visitor ? `/${encodeURIComponent(visitor)}` : ""}?v=1.0${session ? `&sid=${encodeURIComponent(session)}` : ""}`;
      try {
        const reply = await json(await fetch(url, { method: "POST", body, headers: { "Content-Type": "application/json" } }));
        const validFor = reply.engagementDetails?.validForSeconds ?? 900;
        const kept = { ...reply, expiresAt: Date.now() + (validFor - 30) * 1000 };
        sessionStorage.setItem(KEY, JSON.stringify(kept)); // a refusal is kept only for its ids: asked again next time
        return kept;
      } catch (error) {
        // "Loading account: {acct}, vid: {vid}" (#94): wait and retry as that visitor.
        visitor = /\bvid: *([^\s,"]+)/.exec(error.body || "")?.[1] || visitor;
        if (attempt >= RETRIES.length || !passing(error)) throw error;
        await sleep(RETRIES[attempt]);
      }
    }
  }

  function impression(event) {
    const details = engagement?.engagementDetails;
    if (!details || !engagement.pageId) return null; // nothing to report against (say so once, below)
    const base = { type: event, campaign: details.campaignId, engId: details.engagementId, revision: details.engagementRevision ?? 0 };
    if (event === "impDisplay" || event === "impAccept") return { ...base, eContext: [{ type: "engagementContext", id: details.contextId }] };
    if (event === "impExpanded") return { ...base, expanded: true, userInit: true };
    return base;
  }

  function report(event, base, accountId) {
    reports = reports.then(async () => {
      const item = impression(event);
      if (!item) {
        console.info(`Chat window: ${event} not reported (no engagement session to report it against)`);
        return;
      }
      const visitors = `${base}/api/account/${encodeURIComponent(accountId)}/app/engagement/visitors`;
      const url = `${visitors}/${encodeURIComponent(engagement.visitorId)}?v=1.0&sid=${encodeURIComponent(engagement.sessionId)}`;
      const body = JSON.stringify({ pageId: engagement.pageId, impAttributes: [item] });
      for (let attempt = 0; attempt <= REPORT_RETRIES.length; attempt++) {
        try {
          // keepalive: a report the consumer's leaving the page would cut short still goes out.
          const options = { method: "PUT", body, headers: { "Content-Type": "application/json" }, keepalive: true };
          await json(await fetch(url, options));
          return;
        } catch (error) {
          if (attempt === REPORT_RETRIES.length || !passing(error)) {
            console.info(`Chat window: ${event} not reported: ${error.message}`);
            return;
          }
          await sleep(REPORT_RETRIES[attempt]);
        }
      }
    });
  }

  // Listening from the first moment: the page may report (or launch) before the configuration has arrived. Only a
  // page the configuration lists hears of the engagement (its visitor and session) or the brand's look, or makes the
  // window ask for an engagement: the check window/embed.py makes of the runtime's messages.
  const loaded = fetch("config.json", { cache: "no-cache" })
    .then(json)
    .then((config) => {
      if (!(config.embed_origins || []).includes(host)) {
        throw Object.assign(new Error(`${host} is not in embed_origins; the page is not answered`), { unlisted: true });
      }
      return config;
    });
  const setup = loaded.then(async (config) => ({ config, base: await appEngagementBase(config) }));
  setup.catch((error) => error.unlisted && console.error(`Chat window: ${error.message}`));
  // The brand's look for its launcher, from the same configuration as the window's (the snippet's data- wins).
  loaded
    .then(({ theme = {} }) => tell("look", { accent: theme.accent, accentText: theme.accent_text, label: theme.launcher_label }))
    .catch(() => {});
  window.addEventListener("message", (event) => {
    const message = event.data;
    if (event.origin !== host || event.source !== window.parent || !message || message.lpcw !== 1) return;
    if (message.type === "command" && message.name === "launch" && monitored) {
      const data = message.detail || {};
      // The tag's short keys ([SAMPLE] in docs/api-notes.md); pid and rev are this project's (assumed) additions.
      engagement = {
        visitorId: data.svid, sessionId: data.ssid, pageId: data.pid,
        engagementDetails: { campaignId: data.cid, engagementId: data.eid, contextId: data.scid, engagementRevision: data.rev },
      };
      known();
    } else if (message.type === "funnel" && ["impDisplay", "impAccept", "impClose", "impExpanded"].includes(message.event)) {
      setup.then(({ config, base }) => report(message.event, base, config.account_id)).catch(() => {});
    }
  });

  if (!monitored) {
    window.lpcwEngagement = setup
      .then(async ({ config, base }) => {
        engagement = await createSession(config, base);
        known();
        const details = engagement.engagementDetails;
        const available = engagement.status === "Available" && !!details;
        // The engagement for the chat window to use (not a new visitor): the tag's keys, as in the monitored flow.
        const launch = available
          ? {
              svid: engagement.visitorId, ssid: engagement.sessionId, pid: engagement.pageId, scid: details.contextId,
              eid: details.engagementId, cid: details.campaignId, lang: details.language, skill: details.skillName,
              rev: details.engagementRevision, validFor: Math.max(0, Math.round((engagement.expiresAt - Date.now()) / 1000)),
              conn: details.connectorId,
            }
          : null;
        tell("engagement", { available, launch });
        return launch;
      })
      .catch((error) => {
        known();
        if (error.unlisted) return; // said above
        console.warn(`Chat window: no engagement (${error.message}); the chat will ask again on opening`);
        tell("engagement", { available: null });
        return null;
      });
  }
})();
