// @dictation-daemon/web: dictation from the user's dictation daemon into the fields of a web page.
export { connect, DictationClient, RpcError, DEFAULT_URL, PROTOCOL_VERSIONS, TOKEN_KEY } from "./client.js";
export { attach } from "./fields.js";
export { FieldEditor, isEditable } from "./editing.js";
export { dictationButton, statusElement } from "./controls.js";
