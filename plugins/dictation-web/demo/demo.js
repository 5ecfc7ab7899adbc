// The demo EHR: a SOAP note whose four sections and React field take dictation from the user's daemon.
import { attach, connect, dictationButton, statusElement } from "../src/index.js";
import { mountFollowUp } from "./react-field.js";

const daemon = new URLSearchParams(location.search).get("daemon") ?? undefined;
const client = connect({ url: daemon, site: "Demo EHR", name: "Demo EHR", commands: ["insert_normal_exam"] });
mountFollowUp(document.getElementById("react-root"));
attach(client, document);

dictationButton(client, document.getElementById("dictate"));
dictationButton(client, document.getElementById("hold"), { mode: "hold" });
statusElement(client, document.getElementById("status"));

const pairing = document.getElementById("pairing");
const pairAgain = document.getElementById("pair");
client.addEventListener("status", ({ detail }) => {
  pairing.hidden = detail.connection !== "pairing";
  document.getElementById("code").textContent = detail.code ?? "";
  pairAgain.hidden = detail.connection !== "unpaired";
});
pairAgain.addEventListener("click", () => client.pair());

// Every command reaches the page as an event first; those the package does not handle are the page's.
document.addEventListener("dictation-command", ({ detail }) => {
  const entry = document.createElement("li");
  entry.textContent = `${detail.id} in ${detail.field ?? "no field"}`;
  document.getElementById("commands").append(entry);
});

window.dictationDemo = { client };
