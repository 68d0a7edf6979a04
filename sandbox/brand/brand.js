// The demo brand page's own script: the host-page API as a brand uses it. Calls made before the loader arrives go
// into an array under the API's one global name and are replayed in order once it does.
(() => {
  window.LPChatWindow = window.LPChatWindow || [];
  const log = (event, detail) => {
    const item = document.createElement("li");
    item.textContent = detail == null ? event : `${event} ${JSON.stringify(detail)}`;
    document.getElementById("events").append(item);
  };
  for (const event of ["ready", "open", "close", "state", "line", "unread"]) {
    window.LPChatWindow.push(["on", event, (detail) => log(event, detail)]);
  }
  const call = (method, ...args) => window.LPChatWindow.push([method, ...args]);
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("chat-link").addEventListener("click", (event) => {
      event.preventDefault();
      call("open");
    });
    document.getElementById("api-open").addEventListener("click", () => call("open"));
    document.getElementById("api-close").addEventListener("click", () => call("close"));
    document.getElementById("api-toggle").addEventListener("click", () => call("toggle"));
    document.getElementById("api-visitor").addEventListener("click", () => call("setVisitor", { name: "Dana" }));
  });
})();
