// Stand-in for the Vite bundle of the React chat client (benchmark input; run.sh appends a line to it
// to make "one file of the React app changed").
const cfg = window.__LLMSTACK_CONFIG__ || { apiBaseUrl: "http://localhost:4000" };
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, attrs || {});
  children.forEach((c) => e.append(c));
  return e;
}
async function send(messages) {
  const res = await fetch(cfg.apiBaseUrl + "/v1/chat/completions", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model: "gpt-4o-mini", messages, stream: false }),
  });
  if (!res.ok) throw new Error("HTTP " + res.status);
  return (await res.json()).choices[0].message.content;
}
const history = [];
const log = el("ul", { className: "log" });
const input = el("input", { placeholder: "Ask something" });
const form = el("form", {}, input, el("button", { type: "submit" }, "Send"));
form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  history.push({ role: "user", content: input.value });
  log.append(el("li", { className: "user" }, input.value));
  input.value = "";
  try {
    const answer = await send(history);
    history.push({ role: "assistant", content: answer });
    log.append(el("li", { className: "assistant" }, answer));
  } catch (e) {
    log.append(el("li", { className: "error" }, String(e)));
  }
});
document.getElementById("root").append(el("h1", {}, "LLM Stack"), log, form);
