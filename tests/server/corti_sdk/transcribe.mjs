// Dictates an audio file to a /transcribe server through Corti's JavaScript SDK (@corti/sdk).
//
//   node transcribe.mjs <ws://host:port/audio-bridge/v2/transcribe> <audio file>
//       [--audio-format MIME] [--chunk-bytes N] [--headers-as-protocols]
//
// Sends the file in 250 ms chunks at real-time pace. A WAV file's chunk size comes from its header;
// for compressed audio pass the bytes per 250 ms. Without --audio-format the server sniffs the container.
// --headers-as-protocols turns on the SDK's encodeHeadersAsWsProtocols (headers sent as subprotocols).
//
// Prints every message the SDK hands over as one JSON line on stdout; exits non-zero on any
// failure or timeout. Diagnostics go to stderr.

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { CortiClient } from "@corti/sdk";

const CHUNK_SECONDS = 0.25;
const STEP_TIMEOUT_MS = 15000;

function fail(reason) {
    process.stderr.write(`transcribe.mjs: ${reason}\n`);
    process.exit(1);
}

let args;
try {
    args = parseArgs({
        allowPositionals: true,
        options: {
            "audio-format": { type: "string" },
            "chunk-bytes": { type: "string" },
            "headers-as-protocols": { type: "boolean", default: false },
        },
    });
} catch (error) {
    fail(error.message);
}
const [url, audioPath] = args.positionals;
const { "audio-format": audioFormat, "chunk-bytes": chunkArg } = args.values;
if (!url || !audioPath) fail("usage: node transcribe.mjs <server url> <audio file> [options]");

// The SDK joins "/transcribe" onto the environment's `wss` URL, so pass the server URL minus that.
// The HTTP URLs are required by the type but unused: a bearer token needs no login round trip.
const wss = new URL(url);
if (!wss.pathname.endsWith("/transcribe")) fail(`expected a URL ending in /transcribe, got ${url}`);
wss.pathname = wss.pathname.slice(0, -"/transcribe".length);
const http = `http://${wss.host}`;
const client = new CortiClient({
    environment: { wss: wss.toString(), base: `${http}/v2`, login: `${http}/realms`, agents: http },
    tenantName: "base",
    auth: { accessToken: "local-test-token" },
    encodeHeadersAsWsProtocols: args.values["headers-as-protocols"],
});

const audio = await readFile(audioPath);
const isWav = audio.subarray(0, 4).toString("latin1") === "RIFF";
const chunkBytes = chunkArg ? Number(chunkArg) : isWav ? Math.round(audio.readUInt32LE(28) * CHUNK_SECONDS) : 0;
if (!(chunkBytes > 0)) fail("give the chunk size in bytes for audio other than WAV");

const received = [];
const waiters = [];
let opens = 0;

const socket = await client.transcribe.connect({
    configuration: {
        primaryLanguage: "en",
        spokenPunctuation: true,
        commands: [{ id: "next_section", phrases: ["next section"] }],
        ...(audioFormat ? { audioFormat } : {}),
    },
    // The SDK sends the config on open; with the default (true) it would swallow CONFIG_ACCEPTED.
    awaitConfiguration: false,
});
socket.on("open", () => {
    // The SDK reconnects silently after any close other than 1000: a second open is a dropped session.
    if (++opens > 1) fail("the SDK reconnected: the server closed the socket abnormally");
});
socket.on("message", (message) => {
    process.stdout.write(`${JSON.stringify(message)}\n`);
    received.push(message);
    for (const waiter of [...waiters]) waiter();
});
socket.on("error", (error) => fail(`socket error: ${error.message}`));
socket.on("close", (event) => {
    // On a failed handshake the SDK reports the close before the error: give the error its turn.
    setImmediate(() => {
        if (!received.some((message) => message.type === "ended")) {
            fail(`socket closed (code ${event.code}) before "ended"`);
        }
    });
});

function waitFor(type) {
    return new Promise((resolve, reject) => {
        const check = () => {
            if (!received.some((message) => message.type === type)) return;
            clearTimeout(timer);
            waiters.splice(waiters.indexOf(check), 1);
            resolve();
        };
        const timer = setTimeout(() => reject(new Error(`no "${type}" within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
        waiters.push(check);
        check();
    });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

try {
    await waitFor("CONFIG_ACCEPTED");
    // Real-time pace, as Corti asks: one 250 ms chunk every 250 ms.
    for (let offset = 0; offset < audio.length; offset += chunkBytes) {
        socket.sendAudio(audio.subarray(offset, offset + chunkBytes));
        await sleep(CHUNK_SECONDS * 1000);
    }
    socket.sendFlush({ type: "flush" });
    await waitFor("flushed");
    socket.sendEnd({ type: "end" });
    await waitFor("ended");
} catch (error) {
    fail(error.message);
}
process.exit(0);
