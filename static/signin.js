// The end of a sign-in in a popup (static/signin.html): the provider's answer (query or fragment of this address),
// to the chat window that opened this popup, on this origin only; then this window closes. Nothing is stored.
(() => {
  const answer = { lpcw: 1, type: "signin", href: location.href };
  history.replaceState(null, "", location.pathname); // the code or token leaves the address bar at once
  if (window.opener) window.opener.postMessage(answer, location.origin);
  window.close();
})();
