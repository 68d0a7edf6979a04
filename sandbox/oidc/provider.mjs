// A brand's OpenID provider, for the sandbox's signed-in chats (docs/sandbox.md, "OpenID provider"): panva's certified
// oidc-provider on the loopback interface, with the test users of users.json and sign-in and consent pages of its own.
//
// Environment: OIDC_PORT (8002; 0 picks a free one), OIDC_REDIRECT_URIS (comma-separated, required: the window's pages
// the provider may send a consumer back to). Its issuer URL is the first and only line it writes to stdout, once it
// listens; the library's notices go to stderr. Started with a pipe as stdin (as sandbox/openid_provider.py does), it
// stops when the pipe closes: whoever started it is gone. Nothing here needs the network: keys are made at start.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { fstatSync, readFileSync } from "node:fs";
import { createServer } from "node:http";

import { Provider } from "oidc-provider";

const USERS = JSON.parse(readFileSync(new URL("users.json", import.meta.url), "utf8"));
const HOST = "127.0.0.1";
const FORM_LIMIT_BYTES = 4096;

// What LivePerson's authentication connector is registered as at a brand's provider ([AUTH] configuration): a
// confidential client (LivePerson redeems codes with Basic auth) for the code flow, which may also take an id_token
// straight from the authorization endpoint (the implicit flow). PKCE is allowed, not required.
const CONNECTOR_CLIENT = {
  client_id: "lp-connector",
  client_secret: "lp-connector-secret",
  client_name: "LivePerson chat",
  token_endpoint_auth_method: "client_secret_basic",
  response_types: ["code", "id_token"],
  grant_types: ["authorization_code", "implicit"],
};
// A public client (no secret): the provider requires PKCE S256 from it, as a later API version's window would use.
const PUBLIC_CLIENT = {
  client_id: "pkce-public",
  client_name: "Chat window (PKCE)",
  token_endpoint_auth_method: "none",
  response_types: ["code"],
  grant_types: ["authorization_code"],
};

const SCOPE_WORDS = {
  openid: "who you are",
  profile: "your name and customer details",
  email: "your email address",
  phone: "your phone number",
};

function configuration(redirectUris) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    clients: [CONNECTOR_CLIENT, PUBLIC_CLIENT].map((client) => ({ ...client, redirect_uris: redirectUris })),
    findAccount: (ctx, sub) => {
      const user = Object.values(USERS).find((candidate) => candidate.claims.sub === sub);
      return user && { accountId: sub, claims: () => user.claims };
    },
    // LivePerson sees only the id_token (its access token is "NotApplicable"), so the claims go in there, for the
    // code flow too, not only in userinfo. lp_sdes rides with `profile`: one scope less for the window to know.
    claims: {
      openid: ["sub"],
      profile: ["given_name", "family_name", "preferred_username", "gender", "lp_sdes"],
      email: ["email", "email_verified"],
      phone: ["phone_number", "phone_number_verified"],
    },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: (ctx, client) => client.clientAuthMethod === "none" },
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("base64url")] },
    // Short lives: a code is redeemed at once; LivePerson asks the page for a fresh id_token at its exp.
    ttl: {
      AuthorizationCode: 60,
      IdToken: 3600,
      AccessToken: 600,
      Interaction: 600,
      Grant: 3600,
      Session: 3600,
    },
    // As the library's default: a public client may call the token endpoint from its own pages' origins.
    clientBasedCORS: (ctx, origin, client) =>
      client.clientAuthMethod === "none" && client.redirectUris.some((uri) => new URL(uri).origin === origin),
    renderError: (ctx, out) => {
      ctx.set(PAGE_HEADERS);
      ctx.type = "html";
      ctx.body = html("Sign-in failed", `<p>${escape(out.error)}: ${escape(out.error_description ?? "")}</p>`);
    },
  };
}

function escape(text) {
  const entities = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  return String(text).replace(/[&<>"']/g, (character) => entities[character]);
}

// A real provider's pages refuse to be framed; a window in an iframe signs in through a popup or a redirect of the top.
const PAGE_HEADERS = {
  "Cache-Control": "no-store",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
};

function html(title, body) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Brand sign-in (sandbox)</title></head>
<body><main>
<h1>${escape(title)}</h1>
${body}
</main></body>
</html>`;
}

function page(res, status, title, body) {
  res.writeHead(status, { ...PAGE_HEADERS, "Content-Type": "text/html; charset=utf-8" });
  res.end(html(title, body));
}

function loginPage(res, uid, client, problem, username = "") {
  const error = problem ? `<p id="problem" role="alert">${escape(problem)}</p>` : "";
  const invalid = problem ? ' aria-invalid="true" aria-describedby="problem"' : "";
  page(
    res,
    200,
    "Sign in",
    `<p>to chat with us as yourself (${escape(client.clientName ?? client.clientId)}).</p>
${error}<form method="post" action="/interaction/${uid}/login">
<p><label for="username">Username</label>
<input id="username" name="username" value="${escape(username)}" autocomplete="username" required${invalid}></p>
<p><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}></p>
<p><button type="submit">Sign in</button></p>
</form>
<p>Sandbox users: ${Object.keys(USERS).join(", ")}; password: password.</p>`,
  );
}

function consentPage(res, uid, client, scopes) {
  const items = scopes.map((scope) => `<li>${escape(SCOPE_WORDS[scope] ?? scope)}</li>`).join("");
  page(
    res,
    200,
    "Allow access?",
    `<p>${escape(client.clientName ?? client.clientId)} asks to see:</p>
<ul>${items}</ul>
<form method="post" action="/interaction/${uid}/consent">
<p><button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button></p>
</form>`,
  );
}

async function formBody(req) {
  let body = "";
  for await (const chunk of req) {
    body += chunk;
    if (body.length > FORM_LIMIT_BYTES) throw new Error("form too large");
  }
  return new URLSearchParams(body);
}

async function grantConsent(provider, details) {
  const { prompt, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(" "));
  if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
  const grantId = await grant.save();
  return details.grantId ? {} : { grantId };
}

// GET /interaction/{uid}: the page the prompt asks for; POST …/login and …/consent: its form.
async function interaction(provider, req, res, uid, step) {
  const details = await provider.interactionDetails(req, res);
  const client = await provider.Client.find(details.params.client_id);
  if (req.method === "GET" && !step) {
    if (details.prompt.name === "login") return loginPage(res, uid, client);
    return consentPage(res, uid, client, details.prompt.details.missingOIDCScope ?? []);
  }
  const form = await formBody(req);
  if (req.method === "POST" && step === "login" && details.prompt.name === "login") {
    const username = form.get("username") ?? "";
    const user = Object.hasOwn(USERS, username) ? USERS[username] : undefined;
    if (!user || user.password !== form.get("password")) {
      return loginPage(res, uid, client, "Wrong username or password.", username);
    }
    const login = { accountId: user.claims.sub };
    return provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
  }
  if (req.method === "POST" && step === "consent" && details.prompt.name === "consent") {
    const result =
      form.get("decision") === "allow"
        ? { consent: await grantConsent(provider, details) }
        : { error: "access_denied", error_description: "The consumer did not allow access" };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }
  return page(res, 400, "Sign-in failed", "<p>This step does not fit where the sign-in is.</p>");
}

function serve(provider) {
  const callback = provider.callback();
  return async (req, res) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|consent))?$/.exec(new URL(req.url, "http://x").pathname);
    if (!match) return callback(req, res);
    try {
      await interaction(provider, req, res, match[1], match[2]);
    } catch (error) {
      // No interaction (its cookie expired or never set), or a form too large: a page, never a crash.
      page(res, 400, "Sign-in failed", `<p>${escape(error.message)}</p>`);
    }
  };
}

function allowPlainHttpImplicitRedirects(provider) {
  // OpenID Connect wants https and no `localhost` for implicit-flow redirects; the sandbox's window is served over
  // http on loopback. The library's documented development switch: skip exactly these two checks.
  const { invalidate } = provider.Client.Schema.prototype;
  provider.Client.Schema.prototype.invalidate = function skipForLoopback(message, code) {
    if (code !== "implicit-force-https" && code !== "implicit-forbid-localhost") invalidate.call(this, message, code);
  };
}

async function main() {
  const redirectUris = (process.env.OIDC_REDIRECT_URIS ?? "").split(",").map((uri) => uri.trim()).filter(Boolean);
  if (!redirectUris.length) throw new Error("OIDC_REDIRECT_URIS names no page to send consumers back to");
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(process.env.OIDC_PORT ?? "8002"), HOST, resolve);
  });
  const issuer = `http://${HOST}:${server.address().port}`;
  const provider = new Provider(issuer, configuration(redirectUris));
  allowPlainHttpImplicitRedirects(provider);
  // Static clients are checked when first used: check them now, so a bad redirect URI fails the start.
  await Promise.all([CONNECTOR_CLIENT, PUBLIC_CLIENT].map((client) => provider.Client.find(client.client_id)));
  server.on("request", serve(provider));
  console.log(issuer);
  console.info = console.error;
  if (fstatSync(0).isFIFO()) process.stdin.on("end", () => process.exit(0)).resume();
}

main().catch((error) => {
  console.error(`OpenID provider: ${error.message}`);
  process.exit(1);
});
