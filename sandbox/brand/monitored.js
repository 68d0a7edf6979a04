// The brand's method for LivePerson's tag: the engagement window of the API type names it (in LivePerson, its
// configuration's context `window` and method name; [SAMPLE] in docs/api-notes.md), and the tag calls it with the
// engagement's data on a click. It hands them to the chat window.
window.LPChatWindow = window.LPChatWindow || [];
window.openBrandChat = (data) => {
  document.getElementById("handed").textContent = JSON.stringify(data, null, 1);
  window.LPChatWindow.push(["launch", data]);
};
