// A pooling client against registryd: Node's own fetch (undici, which keeps
// idle sockets and reuses them) makes REQUESTS requests from WORKERS
// workers, each pausing every few requests for a time around the server's
// idle timeout, so that reused sockets meet the moment the server closes
// them.  Prints one line "requests N failures N" and each distinct failure;
// exit 0.
//
//   node pool.mjs BASE IDLE_MS [REQUESTS] [WORKERS]
const [base, idleText, requestsText = "2000", workersText = "4"] = process.argv.slice(2);
const idle = Number(idleText);
const requests = Number(requestsText);
const workers = Number(workersText);
const perWorker = Math.ceil(requests / workers);
// Pauses from well before to just after the idle timeout.
const pauses = [0.45, 0.5, 0.55, 0.7, 0.9, 0.95, 1.0, 1.05, 1.2].map((f) => Math.round(f * idle));
const paths = ["/v1/meta", "/healthz", "/v1/certificates?limit=5", "/v1/changes?limit=5"];
let done = 0;
let failures = 0;
const kinds = new Map();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function worker(w) {
  for (let i = 0; i < perWorker && done < requests; i++) {
    done++;
    try {
      const res = await fetch(base + paths[(i + w) % paths.length]);
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`status ${res.status}`);
    } catch (e) {
      failures++;
      const why = `${e.message}${e.cause ? ": " + (e.cause.code || e.cause.message) : ""}`;
      kinds.set(why, (kinds.get(why) || 0) + 1);
    }
    if (i % 25 === 24) await sleep(pauses[(i / 25 + w) % pauses.length | 0]);
  }
}

await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
console.log(`requests ${done} failures ${failures}`);
for (const [why, n] of kinds) console.log(`# ${n} × ${why}`);
