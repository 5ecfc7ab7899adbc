// A React-controlled field: its text lives in React state, so dictation must reach React through the
// same `input` events typing does.
const { createElement: h, useState } = window.React;

function FollowUp() {
  const [text, setText] = useState("");
  return h("div", null,
    h("input", {
      id: "follow-up", "data-dictation-section": "follow up", value: text,
      onChange: (event) => setText(event.target.value),
    }),
    h("div", { className: "react-state", id: "follow-up-state", "data-value": text }, `React state: “${text}”`));
}

export function mountFollowUp(element) {
  window.ReactDOM.createRoot(element).render(h(FollowUp));
}
