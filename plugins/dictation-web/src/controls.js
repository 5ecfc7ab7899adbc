// Optional page elements: a dictation button that never takes the focus from the field being dictated
// into, and a status element that says whether dictation listens, reconnects, waits for pairing or failed.

/**
 * Makes `button` start and stop dictation: `mode: "toggle"` (the default) toggles on each click,
 * `mode: "hold"` dictates while it is pressed. Returns a function that undoes it.
 */
export function dictationButton(client, button, options = {}) {
  const mode = options.mode ?? "toggle";
  const call = (method) => client.call(method).catch(() => {});
  const listeners = [
    // The field keeps the focus: the press is not allowed to move it to the button.
    ["mousedown", (event) => event.preventDefault()],
    ["pointerdown", (event) => { if (mode === "hold") { event.preventDefault(); call("dictation.start"); } }],
    ["pointerup", () => { if (mode === "hold") call("dictation.stop"); }],
    ["pointerleave", () => { if (mode === "hold" && client.status.dictation === "listening") call("dictation.stop"); }],
    ["click", () => { if (mode === "toggle") call("dictation.toggle"); }],
  ];
  for (const [type, listener] of listeners) button.addEventListener(type, listener);
  const show = () => {
    const listening = client.status.dictation === "listening";
    button.setAttribute("aria-pressed", String(listening));
    button.dataset.state = client.ready ? client.status.dictation : client.status.connection;
    button.disabled = !client.ready;
  };
  client.addEventListener("status", show);
  show();
  return () => {
    for (const [type, listener] of listeners) button.removeEventListener(type, listener);
    client.removeEventListener("status", show);
  };
}

/** Keeps `element`'s text on the client's status (and `data-state` for styling). Returns an undo function. */
export function statusElement(client, element) {
  const show = () => {
    const { connection, dictation, message } = client.status;
    element.textContent = message;
    element.dataset.state = connection === "ready" ? dictation : connection;
    element.setAttribute("role", "status");
  };
  client.addEventListener("status", show);
  show();
  return () => client.removeEventListener("status", show);
}
