// The sandbox's funnel page: the counts of one account's engagements (the control API's …/funnel), every 2 s.
// Rendered with textContent only.
"use strict";

const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
const account = new URLSearchParams(location.search).get("account");

// The funnel's steps: [label, count field, rate field (the share of the step before), that step's label].
const STEPS = [
  ["Impressions", "impressions", null, null],
  ["Clicks", "clicks", "clicksPerImpression", "impressions"],
  ["Chats requested", "chatsRequested", "requestsPerClick", "clicks"],
  ["Chats started", "chatsStarted", "startsPerRequest", "chats requested"],
  ["Chats ended", "chatsEnded", "endsPerStart", "chats started"],
];
const OTHER_EVENTS = [["Closes", "closes"], ["Expansions", "expansions"], ["Timeouts", "timeouts"]];

function text(tag, content) {
  const node = document.createElement(tag);
  node.textContent = content;
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  tr.append(...cells);
  return tr;
}

function rate(value, of) {
  return value === null ? "—" : `${Math.round(value * 1000) / 10}% of ${of}`;
}

function renderEngagement(engagement) {
  const section = document.createElement("section");
  const heading = text("h2", `Engagement ${engagement.engagementId}`);
  heading.id = `engagement-${engagement.engagementId}`;
  section.setAttribute("aria-labelledby", heading.id);
  const table = document.createElement("table");
  const head = document.createElement("thead");
  head.append(row(["Step", "Count", "Rate"].map((label) => {
    const th = text("th", label);
    th.scope = "col";
    return th;
  })));
  const body = document.createElement("tbody");
  for (const [label, count, rateField, of] of STEPS) {
    const th = text("th", label);
    th.scope = "row";
    const shown = rateField ? rate(engagement.rates[rateField], of) : "—";
    body.append(row([th, text("td", String(engagement[count])), text("td", shown)]));
  }
  table.append(text("caption", `Funnel of engagement ${engagement.engagementId}`), head, body);
  const others = document.createElement("dl");
  others.append(...OTHER_EVENTS.flatMap(([label, field]) => [text("dt", label), text("dd", String(engagement[field]))]));
  section.append(heading, table, text("h3", "Other impression events"), others);
  return section;
}

function render(funnel) {
  const apart = funnel.chatsWithoutEngagement;
  $("summary").textContent =
    (funnel.engagements.length ? "" : `No impressions or chats in account ${funnel.account} yet. `) +
    (apart ? `${apart} chat(s) requested without an engagementId are not counted above.` : "");
  $("engagements").replaceChildren(...funnel.engagements.map(renderEngagement));
}

async function poll() {
  try {
    const response = await fetch(`/sandbox/accounts/${encodeURIComponent(account)}/funnel`);
    if (!response.ok) throw new Error(`${response.status}`);
    render(await response.json());
    $("error").textContent = "";
  } catch (error) {
    $("error").textContent = String(error.message || error);
  }
  setTimeout(poll, POLL_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  if (!account) return;
  $("account").value = account;
  poll();
});
