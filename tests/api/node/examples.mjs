// The example responses of the OpenAPI document are real answers of
// registryd on the sample registry (registryctl sample, published with
// --now 2026-01-01, served with --base-url the document's
// x-examples-base-url, the address of `make run`; the API page writes its
// build's address there instead).  Each route is asked with its parameters'
// examples, as the API page's curl lines ask it.
//
//   node examples.mjs DOC BASE
//       every route's example equals registryd's answer at BASE, modulo
//       what differs from one publish to the next (below); exit status 1
//       naming each route whose example has drifted
//   node examples.mjs DOC BASE --write
//       writes the answers into DOC as the examples (tools/api-examples.sh)
//
// What may differ: the time of publishing ("published_at"), SHA-256 digests
// (the snapshot's bytes hold that time), cursors ("next_cursor": their HMAC
// key is the server process's own), and what the signing key makes —
// the verifier key and the signature lines of signed notes (the checkpoint,
// inside receipts and consistency proofs).  Everything else must be equal
// byte for byte (JSON compared as text after a parse, so that indentation
// does not count, but member order does).  /v1/openapi.json answers this
// document itself: it has no example.
import { readFileSync, writeFileSync } from "node:fs";

const [docPath, base, mode] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));
const SELF = "/v1/openapi.json";

function resolve(value) {
	while (value && typeof value.$ref === "string") {
		value = value.$ref
			.slice(2)
			.split("/")
			.map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
			.reduce((at, seg) => at?.[seg], doc);
	}
	return value;
}

// The route with its path parameters' examples and every query
// parameter's example, in the document's order (as site/apidoc.c writes
// the curl line).
function exampleUrl(path, op) {
	let url = path;
	const query = new URLSearchParams();
	for (const ref of op.parameters ?? []) {
		const p = resolve(ref);
		const ex = p.example ?? p.schema?.example;
		if (ex === undefined) continue;
		if (p.in === "path") url = url.replace(`{${p.name}}`, encodeURIComponent(String(ex)));
		else if (p.in === "query") query.append(p.name, String(ex));
	}
	const q = query.toString();
	return url + (q ? `?${q}` : "");
}

// Canonical text of an answer: JSON re-serialised compactly, text as it is.
function canonical(media, value) {
	return media === "application/json" ? JSON.stringify(typeof value === "string" ? JSON.parse(value) : value) : value;
}

function masked(text) {
	return text
		.replace(/"published_at":"[^"]*"/g, '"published_at":"(published)"')
		.replace(/"next_cursor":"[^"]*"/g, '"next_cursor":"(cursor)"')
		.replace(/\b[0-9a-f]{64}\b/g, "(sha256)")
		.replace(/\+[0-9a-f]{8}\+[A-Za-z0-9+/]{40,}={0,2}/g, "+(key)")
		.replace(/\u2014 (\S+) [A-Za-z0-9+/]{40,}={0,2}/g, "\u2014 $1 (signature)");
}

let failed = 0;
for (const [path, item] of Object.entries(doc.paths)) {
	const op = item.get;
	if (path === SELF) continue;
	const url = exampleUrl(path, op);
	const resp = await fetch(base.replace(/\/$/, "") + url);
	const body = await resp.text();
	const media = (resp.headers.get("content-type") ?? "").split(";")[0];
	const content = resolve(op.responses["200"])?.content?.[media];
	if (resp.status !== 200 || content === undefined) {
		console.log(`${path}: GET ${url} answered ${resp.status} ${media}, not a documented 200`);
		failed = 1;
		continue;
	}
	if (mode === "--write") {
		content.example = media === "application/json" ? JSON.parse(body) : body;
		continue;
	}
	if (content.example === undefined) {
		console.log(`${path}: the 200 ${media} has no example`);
		failed = 1;
		continue;
	}
	const want = masked(canonical(media, content.example));
	const got = masked(canonical(media, body));
	if (want !== got) {
		let at = 0;
		while (at < want.length && want[at] === got[at]) at++;
		console.log(`${path}: the example is not registryd's answer to GET ${url}`);
		console.log(`  example:  …${want.slice(Math.max(0, at - 40), at + 60)}`);
		console.log(`  answered: …${got.slice(Math.max(0, at - 40), at + 60)}`);
		failed = 1;
	}
}
if (mode === "--write") writeFileSync(docPath, JSON.stringify(doc, null, 2) + "\n");
process.exit(failed);
