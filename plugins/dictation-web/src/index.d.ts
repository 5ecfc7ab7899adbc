// Type declarations of @dictation-daemon/web.

export declare const DEFAULT_URL: string;
export declare const PROTOCOL_VERSIONS: readonly string[];
export declare const TOKEN_KEY: string;

/** What the daemon does with the microphone. */
export type DictationState = "idle" | "listening" | "finishing" | "error";

/** Where the page's connection to the daemon stands. */
export type ConnectionPhase = "connecting" | "pairing" | "ready" | "reconnecting" | "unpaired" | "closed";

export interface ClientStatus {
  connection: ConnectionPhase;
  dictation: DictationState;
  /** The pairing code to show while `connection` is `"pairing"`. */
  code: string | null;
  /** A sentence for the user. */
  message: string;
}

export interface ConnectOptions {
  /** The daemon's WebSocket, `ws://127.0.0.1:8766/` by default. */
  url?: string;
  /** The name the user sees when this page asks to pair (default: the document's title). */
  site?: string;
  name?: string;
  version?: string;
  /** Command ids the page handles besides the section commands `attach` handles. */
  commands?: string[];
  /** Where the page's token is kept (default: localStorage; null keeps it for this page load only). */
  storage?: Pick<Storage, "getItem" | "setItem" | "removeItem"> | null;
  /** Ask the user to pair as soon as there is no token (default true). */
  autoPair?: boolean;
  WebSocket?: typeof WebSocket;
}

export interface Insert {
  /** Characters before the caret to take back (the interim text shown before). */
  delete: number;
  text: string;
}

export interface TranscriptParams {
  text: string;
  rawTranscriptText: string;
  start: number;
  end: number;
  isFinal: boolean;
  field: string | null;
  insert: Insert | null;
}

export interface CommandParams {
  id: string;
  variables: Record<string, string> | null;
  rawTranscriptText: string;
  start: number;
  end: number;
  field: string | null;
}

export interface StateParams {
  state: DictationState;
  previous: DictationState;
  reason: string | null;
  connection?: { state: string; description: string } | null;
}

export interface ClientEventMap {
  status: CustomEvent<ClientStatus>;
  ready: CustomEvent<undefined>;
  transcript: CustomEvent<TranscriptParams>;
  command: CustomEvent<CommandParams>;
  state: CustomEvent<StateParams>;
  error: CustomEvent<{ source: "session" | "configuration"; message: string; field: string | null }>;
  usage: CustomEvent<{ credits: number; final: boolean }>;
  "target.lost": CustomEvent<{ field: string; reason: string }>;
}

export declare class RpcError extends Error {
  readonly code: number;
  readonly data: unknown;
  constructor(code: number, message: string, data?: unknown);
}

export declare class DictationClient extends EventTarget {
  constructor(options?: ConnectOptions);
  readonly url: string;
  status: ClientStatus;
  readonly ready: boolean;
  open(): this;
  close(): void;
  pair(): void;
  handleCommands(ids: Iterable<string>): void;
  call<T = unknown>(method: string, params?: object | unknown[]): Promise<T>;
  addEventListener<K extends keyof ClientEventMap>(
    type: K, listener: (event: ClientEventMap[K]) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof ClientEventMap>(
    type: K, listener: (event: ClientEventMap[K]) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions): void;
}

export declare function connect(options?: ConnectOptions): DictationClient;

/** A field's changes to the daemon's transcription settings (the `session.configure` params). */
export interface FieldConfiguration {
  language?: string;
  interimResults?: boolean;
  spokenPunctuation?: boolean;
  automaticPunctuation?: boolean;
  commands?: Array<{
    id: string;
    phrases: string[];
    variables?: Array<{ key: string; type: "enum" | "wildcard"; enum?: string[] }>;
  }>;
  commandsMode?: "merge" | "replace";
  formatting?: Partial<Record<"dates" | "times" | "numbers" | "measurements" | "numericRanges" | "ordinals", string>>;
  keyterms?: string[];
  replacements?: Array<{ find: string; replace: string }>;
}

export interface AttachOptions {
  /** Only fields with a `data-dictation` attribute (default: every textarea, text input and contenteditable). */
  marked?: boolean;
  /** Extra configuration per field, on top of its data attributes. */
  configuration?: (field: HTMLElement) => FieldConfiguration;
}

/** Detail of the `dictation-command` event fired on the field (or the root) for every command. */
export interface DictationCommandDetail {
  id: string;
  variables: Record<string, string>;
  field: string | null;
}

export interface AttachedFields {
  /** The dictation fields in section order. */
  fields(): HTMLElement[];
  /** Focuses the field of that section name (or field id), caret at its end. */
  focusSection(name: string): boolean;
  detach(): void;
}

export declare function attach(client: DictationClient, root?: ParentNode & Node, options?: AttachOptions): AttachedFields;

export declare function isEditable(element: Element): boolean;

export declare class FieldEditor {
  constructor(element: HTMLElement);
  readonly element: HTMLElement;
  readonly editing: boolean;
  readonly hasInterim: boolean;
  context(): { before: string; after: string };
  apply(insert: Insert, isFinal: boolean): void;
  scratchLast(): boolean;
  /** Inserts a final into this field while another has the focus (no undo step). */
  insertUnfocused(text: string): void;
  dropInterim(): void;
  caretToEnd(): void;
}

export declare function dictationButton(
  client: DictationClient, button: HTMLButtonElement, options?: { mode?: "toggle" | "hold" }): () => void;

export declare function statusElement(client: DictationClient, element: HTMLElement): () => void;

/** The events the package fires on fields; they bubble, so a page may listen on the document. */
export interface DictationEventMap {
  /** Every command, before the package acts on it; preventDefault() on a section command replaces ours. */
  "dictation-command": CustomEvent<DictationCommandDetail>;
  "dictation-error": CustomEvent<{ message: string }>;
  /** A final for a field the page no longer has: the page decides where its text goes. */
  "dictation-unplaced": CustomEvent<TranscriptParams>;
}

declare global {
  interface HTMLElementEventMap extends DictationEventMap {}
  interface DocumentEventMap extends DictationEventMap {}
}
