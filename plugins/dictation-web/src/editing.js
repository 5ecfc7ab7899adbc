// Putting dictated text into one field the way typing would: at the caret, through the browser's own
// editing commands, so React, Vue and Angular see ordinary `input` events and the browser's undo takes
// back one dictated phrase at a time.
//
// Interim text is shown in place and taken back before the next interim or the final: by the browser's
// undo when nothing else has touched the field since (then it leaves no trace in the undo history), or
// by cutting exactly its characters when the user typed meanwhile. Each insertion starts a new undo step
// (the browser would otherwise merge it with the user's typing or the previous phrase).

/** Whether `element` is a field this package can edit. */
export function isEditable(element) {
  if (!(element instanceof HTMLElement)) return false;
  if (element instanceof HTMLTextAreaElement) return !element.readOnly && !element.disabled;
  if (element instanceof HTMLInputElement) {
    return ["text", "search", ""].includes(element.type) && !element.readOnly && !element.disabled;
  }
  return element.isContentEditable;
}

/** Edits one field: the text around its caret, interim text shown in place, finals inserted for good. */
export class FieldEditor {
  constructor(element) {
    this.element = element;
    this._interim = null;   // {start, text, snapshot}: where our interim sits and the field as we left it
    this._editing = false;
    this._lastFinal = null;  // {start, text, snapshot} of the last final, for scratch_that
  }

  /** True while this editor itself changes the field (its own `input` events are not the user's). */
  get editing() {
    return this._editing;
  }

  get hasInterim() {
    return this._interim !== null;
  }

  /** The text before and after the caret, as the daemon's claim wants it (a selection is left out). */
  context() {
    const { start, end, text } = this._selection();
    return { before: text.slice(0, start), after: text.slice(end) };
  }

  /** Applies one `insert` of a `transcript` notification: interim (replaced later) or final (kept). */
  apply(insert, isFinal) {
    const replaced = this._takeBackInterim();
    if (!replaced && insert.delete > 0) this._deleteBeforeCaret(insert.delete);
    if (!insert.text) return;
    const start = this._selection().start;
    this._insert(insert.text);
    const record = { start, text: insert.text, snapshot: this._snapshot() };
    if (isFinal) this._lastFinal = record;
    else this._interim = record;
  }

  /** Takes back the last final if it is still exactly where it was put and nothing changed since. */
  scratchLast() {
    const last = this._lastFinal;
    this._takeBackInterim();
    if (!last || this._snapshot() !== last.snapshot) return false;
    this._cut(last.start, last.start + last.text.length);
    this._lastFinal = null;
    return true;
  }

  /** Inserts a final into this field while another has the focus: at its caret, without an undo step. */
  insertUnfocused(text) {
    this._insertWithoutCommand(text);
  }

  /** Drops the interim text (the field lost the target before its final came). */
  dropInterim() {
    this._takeBackInterim();
  }

  /** Puts the caret at the end of the field's text. */
  caretToEnd() {
    const length = this._text().length;
    this._select(length, length);
  }

  // --- taking back interim text -----------------------------------------------------------------------

  _takeBackInterim() {
    const interim = this._interim;
    if (!interim) return false;
    this._interim = null;
    if (this._snapshot() === interim.snapshot && this._hasFocus()) {
      const expected = this._text().slice(0, interim.start) + this._text().slice(interim.start + interim.text.length);
      this._run(() => document.execCommand("undo"));
      if (this._text() === expected) return true;
      this._run(() => document.execCommand("redo"));  // the undo took something else back: restore it
    }
    const text = this._text();
    const at = text.slice(interim.start, interim.start + interim.text.length) === interim.text
      ? interim.start
      : text.lastIndexOf(interim.text);
    if (at >= 0) this._cut(at, at + interim.text.length);  // else the user already removed it
    return true;
  }

  _deleteBeforeCaret(count) {
    const { start } = this._selection();
    this._cut(Math.max(0, start - count), start);
  }

  /** Removes characters `start` to `end`, keeping the caret where it was relative to the text around. */
  _cut(start, end) {
    const caret = this._selection();
    const shift = (offset) => (offset >= end ? offset - (end - start) : Math.min(offset, start));
    if (this._hasFocus()) {
      this._select(start, end);
      this._run(() => document.execCommand("delete"));
    } else if (this.element.isContentEditable) {
      const range = document.createRange();
      range.setStart(...pointAt(this.element, start));
      range.setEnd(...pointAt(this.element, end));
      range.deleteContents();
      this._announce("deleteContentBackward");
      return;
    } else {
      this.element.setRangeText("", start, end, "preserve");
      this._announce("deleteContentBackward");
      return;
    }
    this._select(shift(caret.start), shift(caret.end));
  }

  // --- the browser's editing --------------------------------------------------------------------------

  /** Whether the browser's editing commands act on this field (they act on the focused one). */
  _hasFocus() {
    const active = document.activeElement;
    return active === this.element || (this.element.isContentEditable && this.element.contains(active));
  }

  _insert(text) {
    if (!this._hasFocus()) {
      this._insertWithoutCommand(text);
      return;
    }
    this._breakUndoGroup();
    this._run(() => {
      if (!document.execCommand("insertText", false, text)) this._insertWithoutCommand(text);
    });
  }

  /** Moving the selection away and back closes the browser's open typing step, so the next insertion
   * is an undo step of its own rather than part of the user's typing or of the previous phrase. */
  _breakUndoGroup() {
    const { start, end } = this._selection();
    this._select(0, 0);
    this._select(start, end);
  }

  /** Where the browser's `insertText` cannot be used (the field is not focused, or the browser lacks
   * it): the text changed directly, and the `input` event frameworks listen for sent by hand (no undo
   * step then). */
  _insertWithoutCommand(text) {
    const element = this.element;
    if (element.isContentEditable) {
      const selection = window.getSelection();
      const range = selection.rangeCount && element.contains(selection.anchorNode)
        ? selection.getRangeAt(0) : endOf(element);
      range.deleteContents();
      range.insertNode(document.createTextNode(text));
      range.collapse(false);
    } else {
      element.setRangeText(text, element.selectionStart, element.selectionEnd, "end");
    }
    this._announce("insertText", text);
  }

  _announce(inputType, data = null) {
    this._run(() => this.element.dispatchEvent(new InputEvent("input", { bubbles: true, inputType, data })));
  }

  _run(edit) {
    this._editing = true;
    try {
      edit();
    } finally {
      this._editing = false;
    }
  }

  // --- text and selection of inputs, textareas and contenteditables -------------------------------------

  _text() {
    return this.element.isContentEditable ? this.element.textContent : this.element.value;
  }

  _snapshot() {
    const { start, end } = this._selection();
    return `${start}:${end}:${this.element.isContentEditable ? this.element.innerHTML : this.element.value}`;
  }

  _selection() {
    const element = this.element;
    const text = this._text();
    if (!element.isContentEditable) return { start: element.selectionStart, end: element.selectionEnd, text };
    const selection = window.getSelection();
    if (!selection.rangeCount || !element.contains(selection.anchorNode)) {
      return { start: text.length, end: text.length, text };
    }
    const range = selection.getRangeAt(0);
    return { start: offsetOf(element, range.startContainer, range.startOffset),
             end: offsetOf(element, range.endContainer, range.endOffset), text };
  }

  _select(start, end) {
    const element = this.element;
    if (!element.isContentEditable) {
      element.setSelectionRange(start, end);
      return;
    }
    const range = document.createRange();
    const [startNode, startOffset] = pointAt(element, start);
    const [endNode, endOffset] = pointAt(element, end);
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
}

/** A collapsed range at the end of `element`'s contents. */
function endOf(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  range.collapse(false);
  return range;
}

/** The character offset, in `root`'s text, of a DOM position inside it. */
function offsetOf(root, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(root);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The DOM position of character offset `offset` of `root`'s text. */
function pointAt(root, offset) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let remaining = offset;
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (remaining <= node.data.length) return [node, remaining];
    remaining -= node.data.length;
    last = node;
  }
  return last ? [last, last.data.length] : [root, root.childNodes.length];
}
