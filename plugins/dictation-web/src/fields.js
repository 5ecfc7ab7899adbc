// Every text field of a page under dictation: the field with the focus holds the daemon's target, the
// daemon's edits land at its caret, and section commands move the focus between the page's fields.
//
// Data attributes (all optional):
//   data-dictation            marks a field when attach() is given `marked: true` ("off" excludes one)
//   data-dictation-field      the field id the daemon sees (default: id, then name)
//   data-dictation-section    the name "go to <name> section" uses (default: the field id)
//   data-dictation-order      a number: the order of next / previous section (default: the page's order)
//   data-dictation-keyterms   comma-separated words to recognise more readily in this field
//   data-dictation-language   the field's language, e.g. "en" or "de"

import { FieldEditor, isEditable } from "./editing.js";

const FIELD_SELECTOR = "textarea, input, [contenteditable]";
const SECTION_COMMANDS = ["next_section", "previous_section", "go_to_section", "scratch_that"];
const TOUCH_SETTLE_MS = 150;

/**
 * Gives every text field under `root` full text control through `client`. Returns a handle with
 * `fields()` (the fields in section order), `focusSection(name)` and `detach()`.
 */
export function attach(client, root = document, options = {}) {
  const controller = new FieldController(client, root, options);
  client.handleCommands(SECTION_COMMANDS);
  return controller;
}

class FieldController {
  constructor(client, root, options) {
    this.client = client;
    this.root = root;
    this.options = options;
    this._field = null;       // the focused field we claimed (or are claiming)
    this._editor = null;
    this._claimed = false;
    this._releaseTimer = null;
    this._touchTimer = null;
    this._focusTimer = null;
    this._lastClaim = null;
    this._listeners = [];
    this._listen(root, "focusin", (event) => this._focused(event.target));
    this._listen(root, "focusout", (event) => this._blurred(event.target));
    for (const type of ["input", "keyup"]) {
      this._listen(root, type, (event) => this._touched(event.target));
    }
    this._listen(root, "mouseup", (event) => this._clicked(event.target));
    this._listen(client, "ready", () => this._reclaim());
    this._listen(client, "transcript", (event) => this._transcript(event.detail));
    this._listen(client, "command", (event) => this._command(event.detail));
    this._listen(client, "target.lost", () => this._lost());
    const active = root.activeElement ?? document.activeElement;
    if (active && this._isField(active)) this._focused(active);
  }

  /** The page's dictation fields, in section order. */
  fields() {
    const found = [...this.root.querySelectorAll(FIELD_SELECTOR)].filter((element) => this._isField(element));
    const order = (element) => {
      const value = Number.parseFloat(element.dataset.dictationOrder);
      return Number.isFinite(value) ? value : Number.POSITIVE_INFINITY;
    };
    return found
      .map((element, index) => ({ element, index }))
      .sort((a, b) => order(a.element) - order(b.element) || a.index - b.index)
      .map(({ element }) => element);
  }

  /** Focuses the field whose section name (or field id) is `name`, caret at its end; false if none. */
  focusSection(name) {
    const wanted = normalise(name);
    const field = this.fields().find((element) => normalise(sectionOf(element)) === wanted)
      ?? this.fields().find((element) => normalise(fieldIdOf(element)) === wanted);
    if (!field) return false;
    this._moveTo(field);
    return true;
  }

  detach() {
    for (const [target, type, listener] of this._listeners) target.removeEventListener(type, listener);
    this._listeners = [];
    if (this._claimed) this.client.call("target.release").catch(() => {});
    this._field = this._editor = null;
    this._claimed = false;
  }

  // --- focus and the target -------------------------------------------------------------------------

  _isField(element) {
    if (!isEditable(element) || element.dataset.dictation === "off") return false;
    if (this.options.marked && element.dataset.dictation === undefined) return false;
    return !(element.isContentEditable && element.parentElement?.isContentEditable);
  }

  _focused(element) {
    if (!this._isField(element)) return;
    clearTimeout(this._releaseTimer);
    if (element === this._field && this._claimed) return;
    this._editor?.dropInterim();
    this._field = element;
    this._editor = new FieldEditor(element);
    // A click focuses the field before it places the caret: claim once the caret is where the user put it.
    clearTimeout(this._focusTimer);
    this._focusTimer = setTimeout(() => {
      if (this._field === element) this._claim();
    }, 0);
  }

  _blurred(element) {
    if (element !== this._field) return;
    // The next field's focusin follows at once: wait for it, so moving between fields is one claim.
    clearTimeout(this._releaseTimer);
    this._releaseTimer = setTimeout(() => {
      if (document.activeElement === this._field) return;  // the window lost focus, not the field
      this._editor?.dropInterim();
      this._field = this._editor = null;
      if (this._claimed) {
        this._claimed = false;
        this.client.call("target.release").catch(() => {});
      }
    }, 0);
  }

  _touched(element) {
    // The user typed, clicked or moved the caret: the daemon's idea of the text around the caret is
    // out of date. Claiming again (once the user pauses) gives it the new text; the daemon keeps its
    // session when the field's configuration is the same.
    if (element !== this._field || this._editor.editing || this._editor.hasInterim) return;
    clearTimeout(this._touchTimer);
    this._touchTimer = setTimeout(() => {
      if (this._field === element && !this._editor.hasInterim) this._claim();
    }, TOUCH_SETTLE_MS);
  }

  _clicked(element) {
    // A click places the caret (or a selection) at once; the daemon needs it before the next words.
    if (element === this._field && !this._editor.editing && !this._editor.hasInterim) this._claim();
  }

  _reclaim() {
    // A new connection (the daemon restarted, or the page registered again) holds nothing yet.
    this._claimed = false;
    this._lastClaim = null;
    if (this._field && document.activeElement === this._field) this._claim();
  }

  _claim() {
    const field = this._field;
    if (!field || !this.client.ready) return;
    const params = { field: fieldIdOf(field), ...this._editor.context(), configuration: this._configuration(field) };
    // The same claim again would change nothing; sent late, it could undo what the daemon learned from
    // the edits it sent meanwhile. Any edit applied here clears this, so a claim after one is always sent.
    const key = JSON.stringify(params);
    if (this._claimed && key === this._lastClaim) return;
    this._lastClaim = key;
    this._claimed = true;
    this.client.call("target.claim", params).catch((error) => {
      if (this._field === field) this._claimed = false;
      field.dispatchEvent(new CustomEvent("dictation-error", { bubbles: true, detail: { message: error.message } }));
    });
  }

  _lost() {
    this._editor?.dropInterim();
    this._claimed = false;
  }

  _configuration(field) {
    const sections = [...new Set(this.fields().map((element) => normalise(sectionOf(element))).filter(Boolean))];
    const configuration = {};
    if (sections.length) {
      configuration.commands = [{
        id: "go_to_section",
        phrases: ["go to {section} section", "go to {section}"],
        variables: [{ key: "section", type: "enum", enum: sections.slice(0, 200) }],
      }];
    }
    const keyterms = (field.dataset.dictationKeyterms ?? "").split(",").map((term) => term.trim()).filter(Boolean);
    if (keyterms.length) configuration.keyterms = keyterms.slice(0, 1000);
    if (field.dataset.dictationLanguage) configuration.language = field.dataset.dictationLanguage;
    return { ...configuration, ...(this.options.configuration?.(field) ?? {}) };
  }

  // --- what the daemon sends --------------------------------------------------------------------------

  _transcript(params) {
    if (!params.insert) return;
    this._lastClaim = null;
    if (this._field && params.field === fieldIdOf(this._field)) {
      this._editor.apply(params.insert, params.isFinal);
      return;
    }
    // Said before the focus moved on, and sent before the daemon saw the new claim: a final still
    // belongs in the field it was dictated into; never dropped.
    if (!params.isFinal) return;
    const field = this.fields().find((element) => fieldIdOf(element) === params.field);
    if (field) new FieldEditor(field).insertUnfocused(params.insert.text);
    else this.root.dispatchEvent(new CustomEvent("dictation-unplaced", { bubbles: true, detail: params }));
  }

  _command(params) {
    const field = this._field;
    const event = new CustomEvent("dictation-command", {
      bubbles: true, cancelable: true, detail: { id: params.id, variables: params.variables ?? {}, field: params.field },
    });
    // The page hears every command first; calling preventDefault() on a section command replaces ours.
    if (!(field ?? this.root).dispatchEvent(event) || !SECTION_COMMANDS.includes(params.id)) return;
    const fields = this.fields();
    const at = fields.indexOf(field);
    if (params.id === "next_section" && at >= 0 && at + 1 < fields.length) this._moveTo(fields[at + 1]);
    else if (params.id === "previous_section" && at > 0) this._moveTo(fields[at - 1]);
    else if (params.id === "go_to_section" && params.variables?.section) this.focusSection(params.variables.section);
    else if (params.id === "scratch_that" && this._editor?.scratchLast()) this._claim();
  }

  _moveTo(field) {
    this._editor?.dropInterim();  // the command's own words, shown while it was being said
    field.focus();  // claimed once this command is handled, with the caret put at the end here
    new FieldEditor(field).caretToEnd();
    field.scrollIntoView?.({ block: "nearest" });
  }

  _listen(target, type, listener) {
    target.addEventListener(type, listener);
    this._listeners.push([target, type, listener]);
  }
}

function fieldIdOf(element) {
  return (element.dataset.dictationField || element.id || element.getAttribute("name") || "field").slice(0, 200);
}

function sectionOf(element) {
  return element.dataset.dictationSection || fieldIdOf(element);
}

function normalise(name) {
  return String(name).trim().toLowerCase().replace(/[\s_-]+/g, " ");
}
