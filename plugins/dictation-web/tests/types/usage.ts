// How an EHR's TypeScript uses the package: this file must compile against the declarations.
import {
  attach, connect, dictationButton, statusElement,
  type ClientStatus, type DictationCommandDetail, type FieldConfiguration, RpcError,
} from "@dictation-daemon/web";

const client = connect({ url: "ws://127.0.0.1:8766/", site: "Clinic EHR", commands: ["insert_normal_exam"] });
client.addEventListener("status", (event) => {
  const status: ClientStatus = event.detail;
  if (status.connection === "pairing" && status.code !== null) console.log(status.code.length);
});
client.addEventListener("transcript", (event) => {
  const insert = event.detail.insert;
  if (insert !== null) console.log(insert.delete + insert.text.length);
});

const configuration = (field: HTMLElement): FieldConfiguration => ({
  keyterms: field.dataset.terms?.split(",") ?? [],
  formatting: { numbers: "numerals" },
});
const fields = attach(client, document, { marked: true, configuration });
fields.focusSection("plan");

document.addEventListener("dictation-command", (event: CustomEvent<DictationCommandDetail>) => {
  if (event.detail.id === "insert_normal_exam") event.preventDefault();
});

const button = document.querySelector<HTMLButtonElement>("#dictate");
const status = document.querySelector<HTMLElement>("#status");
if (button && status) {
  const undo = dictationButton(client, button, { mode: "hold" });
  statusElement(client, status);
  undo();
}

client.call<{ state: string }>("dictation.toggle").then((result) => result.state).catch((error: unknown) => {
  if (error instanceof RpcError) console.log(error.code);
});
