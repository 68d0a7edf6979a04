// A stand-in of LivePerson's Web Tag, for the demo of the monitored flow: a test fixture, not a tag clone.
//
// What it assumes of the real tag (docs/sandbox.md, "The stand-in tag"): that it creates the consumer's session as
// App Engagement "create session" does (here it calls exactly that, on the sandbox), that it shows an engagement only
// while an agent is available (asked again every 30 s, as the same visitor), that it reports the engagement's
// funnel (display, click) as Update Session's impressions do, and that on a click it calls the brand's method
// `window[methodName](data)` with the engagement's data in the short keys LivePerson's sample shows: `svid`, `ssid`,
// `scid`, `eid`, `cid`, `lang`, plus `skill`, and (this project's additions) `pid` and `rev`.
(() => {
  const script = document.currentScript;
  const account = script.dataset.account;
  const method = script.dataset.method;
  const visitors = `/api/account/${encodeURIComponent(account)}/app/engagement/visitors`;
  let session = null;

  async function call(url, method, body) {
    const response = await fetch(url, { method, body: JSON.stringify(body), headers: { "Content-Type": "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.status === 200 && method === "POST" ? response.json() : null;
  }

  function report(type) {
    const details = session && session.engagementDetails;
    if (!details) return;
    const impression = { type, campaign: details.campaignId, engId: details.engagementId, revision: details.engagementRevision };
    impression.eContext = [{ type: "engagementContext", id: details.contextId }];
    const url = `${visitors}/${session.visitorId}?v=1.0&sid=${session.sessionId}`;
    call(url, "PUT", { pageId: session.pageId, impAttributes: [impression] }).catch(() => {});
  }

  function show() {
    const place = document.getElementById("tag-engagement");
    const details = session && session.status === "Available" && session.engagementDetails;
    place.replaceChildren();
    if (!details) {
      const note = document.createElement("p");
      note.textContent = "No agent is available right now (the tag shows no engagement).";
      place.append(note);
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = "brand__tag-button";
    button.textContent = "Chat with an agent";
    button.addEventListener("click", () => {
      report("impAccept");
      window[method]({
        svid: session.visitorId, ssid: session.sessionId, scid: details.contextId, eid: details.engagementId,
        cid: details.campaignId, lang: details.language, skill: details.skillName, pid: session.pageId,
        rev: details.engagementRevision,
      });
    });
    place.append(button);
    report("impDisplay");
  }

  async function engage() {
    const ids = session ? `/${session.visitorId}?v=1.0&sid=${session.sessionId}` : "?v=1.0";
    const had = session && session.status;
    session = await call(`${visitors}${ids}`, "POST", { appType: "EXTERNAL" });
    if (session.status !== had) show(); // shown again only when availability changed
  }

  engage().catch((error) => console.warn("stand-in tag: no session", error));
  setInterval(() => engage().catch(() => {}), 30000);
})();
