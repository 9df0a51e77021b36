// Checks JSON documents against the schemas of an OpenAPI 3.1 document with
// Ajv (JSON Schema 2020-12, the dialect OpenAPI 3.1 uses), for
// tests/api/openapi.sh, which feeds it real responses of registryd.
//
//   node check.mjs DOC --doc
//       every schema of the document compiles in Ajv's strict mode (no
//       unknown keyword, every $ref resolves)
//   node check.mjs DOC --schema POINTER FILE
//       FILE (JSON) against the schema at POINTER ("#/components/...")
//   node check.mjs DOC --response PATH STATUS MEDIA FILE
//       FILE against paths[PATH].get.responses[STATUS] ("default" for the
//       transport's 408, 413, 414, 431, 501, 505), content[MEDIA]; a schema
//       of type string
//       (CSV, Atom) takes the body as text
//   node check.mjs DOC --lines POINTER FILE
//       each line of FILE (NDJSON) against the schema at POINTER
//
// Formats date, date-time and uri are checked (ajv-formats, full mode: a
// date must exist).  Exit status 0 when everything conforms, 1 otherwise,
// each problem printed as "FILE: /path: what".
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [docPath, mode, ...args] = process.argv.slice(2);
const doc = JSON.parse(readFileSync(docPath, "utf8"));
const ajv = new Ajv2020({ strict: true, allErrors: true, validateSchema: false });
ajv.addKeyword({ keyword: "example" }); // an OpenAPI annotation
// The document's own members, so that Ajv may take it as the resource the
// schemas' "#/components/..." references point into.
for (const keyword of Object.keys(doc)) ajv.addKeyword({ keyword });
addFormats(ajv, { mode: "full", formats: ["date", "date-time", "uri"] });
ajv.addSchema(doc, "doc");
let problems = 0;

function fail(where, what) {
  problems++;
  console.log(`${where}: ${what}`);
}

function pointer(ptr) {
  let node = doc;
  for (const raw of ptr.replace(/^#\//, "").split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === undefined || node === null || !(key in node))
      throw new Error(`${ptr}: not in the document`);
    node = node[key];
  }
  return node;
}

function escape(key) {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

function validate(ptr, value, where) {
  const check = ajv.getSchema(`doc${ptr}`);
  if (!check(value))
    for (const e of check.errors)
      fail(where, `${e.instancePath || "/"}: ${e.message}` +
        (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ""));
}

function responsePointer(path, status, media) {
  const responses = `#/paths/${escape(path)}/get/responses`;
  const all = pointer(responses);
  // "default" stands for the transport's answers only: an answer of the
  // API itself must be declared with its status.
  const transport = ["408", "413", "414", "431", "501", "505"];
  const key = status in all ? status : transport.includes(status) ? "default" : status;
  if (!(key in all)) throw new Error(`${path}: no response ${status} and no default`);
  let ptr = `${responses}/${key}`;
  let response = pointer(ptr);
  if (response.$ref) {
    ptr = response.$ref;
    response = pointer(ptr);
  }
  if (!response.content || !(media in response.content))
    throw new Error(`${path} ${status}: no content ${media} documented`);
  return `${ptr}/content/${escape(media)}/schema`;
}

try {
  if (mode === "--doc") {
    // Every schema in the document: the components and each inline one.
    const walk = (node, ptr) => {
      if (node === null || typeof node !== "object") return;
      for (const [key, value] of Object.entries(node)) {
        const here = `${ptr}/${escape(key)}`;
        if (key === "schema" || ptr === "#/components/schemas") {
          try {
            ajv.getSchema(`doc${here}`);
          } catch (e) {
            fail(docPath, `${here}: ${e.message}`);
          }
        } else {
          walk(value, here);
        }
      }
    };
    walk(doc, "#");
  } else if (mode === "--schema") {
    const [ptr, file] = args;
    validate(ptr, JSON.parse(readFileSync(file, "utf8")), file);
  } else if (mode === "--response") {
    const [path, status, media, file] = args;
    const ptr = responsePointer(path, status, media);
    const text = readFileSync(file, "utf8");
    const schema = pointer(ptr);
    validate(ptr, schema.type === "string" ? text : JSON.parse(text), file);
  } else if (mode === "--lines") {
    const [ptr, file] = args;
    const lines = readFileSync(file, "utf8").split("\n");
    if (lines.pop() !== "") fail(file, "the last line does not end in a line feed");
    if (lines.length === 0) fail(file, "no lines");
    lines.forEach((line, i) => validate(ptr, JSON.parse(line), `${file}:${i + 1}`));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
} catch (e) {
  fail(docPath, e.message);
}
process.exit(problems ? 1 : 0);
