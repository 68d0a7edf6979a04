// The sandbox's agent console: polls /console/api every 500 ms. Everything the consumer (or an agent) wrote is
// rendered with textContent, never as HTML.
"use strict";

const API = "/console/api";
const POLL_MS = 500;
const $ = (id) => document.getElementById(id);

let openChat = null; // {account, chatId}
let shownEvents = 0;
let agentTyping = false;

function chatPath(chat) {
  return `${API}/accounts/${encodeURIComponent(chat.account)}/chats/${encodeURIComponent(chat.chatId)}`;
}

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let message = `${response.status}`;
    try { message = (await response.json()).error.message; } catch { /* not JSON */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function showError(error) {
  $("error").textContent = error ? String(error.message || error) : "";
}

function text(tag, content, className) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function button(label, onClick) {
  const node = text("button", label);
  node.type = "button";
  node.addEventListener("click", () => onClick().then(() => showError(null), showError));
  return node;
}

function chatKey(chat) {
  return `${chat.account}/${chat.chatId}`;
}

// Items are kept per chat and only their text updated, so buttons stay put between polls.
function renderList(list, chats, makeButton) {
  const wanted = new Map(chats.map((chat) => [chatKey(chat), chat]));
  for (const item of [...list.children]) {
    if (!wanted.has(item.dataset.key)) item.remove();
  }
  for (const [key, chat] of wanted) {
    let item = [...list.children].find((li) => li.dataset.key === key);
    if (!item) {
      item = document.createElement("li");
      item.dataset.key = key;
      item.append(text("span", "", "who"), text("span", "", "meta"), text("span", "", "prechat"), makeButton(chat));
      list.append(item);
    }
    item.querySelector(".who").textContent = chat.visitorName;
    item.querySelector(".meta").textContent = `account ${chat.account} · skill ${chat.skill} · ${chat.state}`;
    item.querySelector(".prechat").textContent = chat.preChatLines.join(" / ");
    item.classList.toggle("open", openChat !== null && chatKey(openChat) === key);
  }
}

function open(chat) {
  openChat = { account: chat.account, chatId: chat.chatId };
  shownEvents = 0;
  agentTyping = false;
  $("transcript").replaceChildren();
  $("reply").value = "";
  $("chat").hidden = false;
  return refresh();
}

function renderEvent(event) {
  if (event["@type"] === "state") {
    return text("li", `— chat ${event.state} —`, "system");
  }
  if (event["@type"] === "url") {
    return text("li", `— page pushed to the visitor: ${event.url} —`, "system url");
  }
  if (event["@type"] === "a2a-transfer") {
    return text("li", `— transferred to account ${event.remoteSiteId}, skill ${event.skill} —`, "system");
  }
  if (event["@type"] !== "line") return null;
  const item = document.createElement("li");
  item.className = event.source;
  item.append(text("span", event.by, "by"), text("span", event.text, "text"));
  if (event.textType === "html") item.append(text("span", " (HTML)", "meta"));
  return item;
}

// A definition list of [term, description] pairs, or a word for none.
function renderPairs(list, pairs, none = "none") {
  list.replaceChildren(...pairs.flatMap(([term, description]) => [text("dt", term), text("dd", description)]));
  if (!pairs.length) list.append(text("dd", none));
  return list;
}

// Survey answers: each question's label, then the answer.
function renderAnswers(list, answers) {
  renderPairs(list, answers.map((a) => [a.question, a.answer || "—"]));
}

// The engagement session the chat was requested in, and each of its engagement attributes: kind, then fields.
function renderAttributes(detail) {
  const session = detail.engagementSession;
  $("engagement-session").textContent = session
    ? `engagement ${detail.engagementId ?? "not named"} · visitor ${session.visitorId} · session ${session.sessionId}`
    : "No engagement session: the chat request names none this sandbox issued.";
  const attributes = detail.engagementAttributes.flatMap((attribute) => [
    text("h4", `${attribute.kind} (${attribute.type})`),
    renderPairs(document.createElement("dl"), attribute.fields.map((field) => [field.name, field.value])),
  ]);
  $("engagement-attributes").replaceChildren(...(attributes.length ? attributes : [text("p", "none")]));
}

// What the consumer's id_token said, verified: the claims, then each engagement attribute of lp_sdes.
function renderConsumer(authentication) {
  const pairs = (facts) => facts.map((fact) => [fact.label, fact.value]);
  renderPairs($("consumer-facts"), authentication ? pairs(authentication.facts) : [], "not signed in");
  const sdes = (authentication ? authentication.customerInfo : []).map((sde) => {
    const section = document.createElement("section");
    section.append(text("h4", sde.title), renderPairs(document.createElement("dl"), pairs(sde.facts)));
    return section;
  });
  $("customer-info").replaceChildren(...(sdes.length ? sdes : [text("p", "none")]));
}

function renderFacts(detail) {
  renderAttributes(detail);
  renderConsumer(detail.authentication);
  renderAnswers($("prechat-answers"), detail.prechatSurvey);
  renderAnswers($("exit-answers"), detail.exitSurvey.flat());
  const requests = detail.transcriptRequests.map((r) =>
    text("li", [r.email, r.subject && `“${r.subject}”`].filter(Boolean).join(" · ")));
  $("transcript-requests").replaceChildren(...(requests.length ? requests : [text("li", "none")]));
  // The account's faults (the control API's …/faults), so whoever plays the agent knows what the consumer meets.
  const faults = detail.faults.map((f) => text("li", `${f.description} · ${f.hits} hit${f.hits === 1 ? "" : "s"}`));
  $("faults").replaceChildren(...(faults.length ? faults : [text("li", "none")]));
  $("skills").replaceChildren(...detail.skills.map((skill) => {
    const option = document.createElement("option");
    option.value = skill;
    return option;
  }));
}

function renderChat(detail) {
  renderFacts(detail);
  $("chat-title").textContent = `Chat with ${detail.visitorName}`;
  $("funnel-link").textContent = `Funnel of account ${detail.account}`;
  $("funnel-link").href = `/console/funnel?account=${encodeURIComponent(detail.account)}`;
  $("chat-meta").textContent =
    `account ${detail.account} · skill ${detail.skill} · ${detail.state}` +
    (detail.agentName ? ` · agent ${detail.agentName}` : "");
  const transcript = $("transcript");
  for (const event of detail.events.slice(shownEvents)) {
    const item = renderEvent(event);
    if (item) transcript.append(item);
  }
  shownEvents = detail.events.length;
  transcript.scrollTop = transcript.scrollHeight;
  $("visitor-typing").hidden = detail.visitorTyping !== "typing";
}

async function refresh() {
  const { chats } = await call("GET", `${API}/chats`);
  renderList($("waiting"), chats.filter((c) => c.state === "waiting"), (chat) =>
    button("Accept", async () => {
      await call("POST", `${chatPath(chat)}/accept`, { agentName: $("agent-name").value });
      await open(chat);
    }));
  renderList($("active"), chats.filter((c) => c.state === "chatting"), (chat) => button("Open", () => open(chat)));
  if (openChat) renderChat(await call("GET", chatPath(openChat)));
}

async function setTyping(typing) {
  if (!openChat || typing === agentTyping) return;
  agentTyping = typing;
  await call("POST", `${chatPath(openChat)}/typing`, { typing });
}

async function send(event) {
  event.preventDefault();
  const reply = $("reply");
  if (!openChat || !reply.value.trim()) return;
  await call("POST", `${chatPath(openChat)}/lines`, { text: reply.value, html: $("as-html").checked });
  reply.value = "";
  agentTyping = false; // the server clears agent typing with each line
  await refresh();
}

async function pushUrl(event) {
  event.preventDefault();
  if (!openChat) return;
  await call("POST", `${chatPath(openChat)}/url`, { url: $("push-url").value });
  $("push-url").value = "";
  await refresh();
}

function transferTarget() {
  const kind = $("transfer-kind").value;
  if (kind === "agent") return { agentName: $("transfer-agent").value };
  const target = { skill: $("transfer-skill").value };
  if (kind === "account") target.account = $("transfer-account").value;
  return target;
}

async function transfer(event) {
  event.preventDefault();
  if (!openChat) return;
  await call("POST", `${chatPath(openChat)}/transfer`, transferTarget());
  await refresh();
}

// Shows the fields the chosen kind of transfer needs: an agent's name, a skill, or an account and its skill.
function showTransferFields() {
  const kind = $("transfer-kind").value;
  for (const node of $("transfer-form").querySelectorAll(".for-agent, .for-skill, .for-account")) {
    node.hidden = !node.classList.contains(`for-${kind}`);
  }
}

async function endChat() {
  if (!openChat) return;
  await call("POST", `${chatPath(openChat)}/end`);
  await refresh();
}

async function poll() {
  try {
    await refresh();
  } catch (error) {
    showError(error);
  }
  setTimeout(poll, POLL_MS);
}

document.addEventListener("DOMContentLoaded", () => {
  $("reply-form").addEventListener("submit", (event) => send(event).then(() => showError(null), showError));
  $("end-chat").addEventListener("click", () => endChat().then(() => showError(null), showError));
  $("url-form").addEventListener("submit", (event) => pushUrl(event).then(() => showError(null), showError));
  $("transfer-form").addEventListener("submit", (event) => transfer(event).then(() => showError(null), showError));
  $("transfer-kind").addEventListener("change", showTransferFields);
  $("reply").addEventListener("input", () => setTyping($("reply").value.length > 0).catch(showError));
  poll();
});
