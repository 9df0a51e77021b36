// The receipt on a certificate page, in Debian's chromium (playwright-core)
// under the production Content-Security-Policy: the page's script verifies
// the receipt beside it with WebCrypto and says what it checked; a
// receipt tampered with (one byte of an event, two events reordered, the
// last dropped, a proof truncated, a fork of the same size) and another
// key each fail at their named check.  Run by tests/browser/receipt.sh.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const { SITE_URL: SITE, CERT, TAMPERED, LOG_SIZE, SCREENSHOTS: SHOTS } = process.env;
assert.ok(SITE && CERT && TAMPERED && LOG_SIZE && SHOTS, "SITE_URL, CERT, TAMPERED, LOG_SIZE, SCREENSHOTS");
const PAGE = new URL(`registry/certificates/${CERT}/`, SITE).href;

let browser;
const problems = [];
before(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync"],
	});
});
after(async () => { await browser?.close(); });

// Opens the page; `receipt` replaces receipt.json, `key` the page's key.
async function open({ receipt, key, width = 1280 } = {}) {
	const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN" });
	const page = await context.newPage();
	page.on("console", (m) => { if (m.type() === "error") problems.push(`${page.url()}: ${m.text()}`); });
	page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
	if (receipt !== undefined)
		await page.route("**/receipt.json", (route) => route.fulfill({
			status: 200, contentType: "application/json", body: receipt }));
	if (key !== undefined)
		await page.route(PAGE, async (route) => {
			const resp = await route.fetch();
			const body = (await resp.text()).replace(/data-key="[^"]*"/, `data-key="${key}"`);
			await route.fulfill({ response: resp, body });
		});
	await page.goto(PAGE);
	await page.waitForFunction(() => {
		const r = document.querySelector(".receipt-result");
		return r && /receipt-(ok|failed)/.test(r.className);
	}, null, { timeout: 15000 });
	return page;
}

async function result(page) {
	return page.evaluate(() => {
		const r = document.querySelector(".receipt-result");
		return {
			ok: r.classList.contains("receipt-ok"), failed: r.getAttribute("data-failed"), text: r.textContent,
			checks: [...document.querySelectorAll(".receipt-checks li")].map((li) =>
				({ name: li.dataset.check, ok: li.classList.contains("check-ok"), text: li.textContent })),
		};
	});
}

test("receipt-1 the page verifies its receipt and says what it checked", async () => {
	const page = await open();
	const r = await result(page);
	assert.equal(r.text, `已验证：与 2026年1月1日签名的名录一致，第 ${LOG_SIZE} 条记录`);
	assert.ok(r.ok);
	const names = new Set(r.checks.map((c) => c.name));
	for (const name of ["receipt", "checkpoint", "signature", "snapshot", "leaf-hash", "inclusion",
		"entry", "order", "certificate", "status", "holder"])
		assert.ok(names.has(name), `check ${name} shown`);
	assert.deepEqual(r.checks.filter((c) => !c.ok), [], "every check passed");
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.locator(".receipt").screenshot({ path: path.join(SHOTS, "receipt-ok.png") });
	await page.context().close();
});

for (const [name, file, check] of [
	["one byte of an event changed", "byte.json", "leaf-hash"],
	["two events reordered", "reorder.json", "order"],
	["the last event dropped", "drop.json", "status"],
	["a proof truncated", "truncate.json", "inclusion"],
	["a fork of the same size", "fork.json", "inclusion"],
]) {
	test(`receipt-2 ${name}: refused at the ${check} check`, async () => {
		const page = await open({ receipt: fs.readFileSync(path.join(TAMPERED, file), "utf8") });
		const r = await result(page);
		assert.equal(r.ok, false);
		assert.equal(r.failed, check);
		assert.match(r.text, /^未通过验证：/);
		assert.ok(r.checks.some((c) => c.name === check && !c.ok), `${check} shown as failed`);
		await page.context().close();
	});
}

test("receipt-3 another key: refused at the signature check", async () => {
	const key = fs.readFileSync(path.join(TAMPERED, "other-key"), "utf8").trim();
	const page = await open({ key });
	const r = await result(page);
	assert.equal(r.failed, "signature");
	assert.match(r.text, /^未通过验证：签名/);
	await page.locator(".receipt").screenshot({ path: path.join(SHOTS, "receipt-failed.png") });
	await page.context().close();
});

test("receipt-4 a receipt file chosen on the page is checked too", async () => {
	const page = await open();
	await page.locator(".receipt-file input").setInputFiles(path.join(TAMPERED, "byte.json"));
	await page.waitForFunction(() => document.querySelector(".receipt-result").getAttribute("data-failed") === "leaf-hash");
	assert.equal((await result(page)).failed, "leaf-hash");
	await page.context().close();
});

test("receipt-5 not a receipt at all: refused at the receipt check", async () => {
	const page = await open({ receipt: "{\"hello\": 1}" });
	assert.equal((await result(page)).failed, "receipt");
	await page.context().close();
});

test("receipt-6 the receipt section on a phone: no sideways scroll, no serious axe violation", async () => {
	for (const width of [320, 390]) {
		const page = await open({ width });
		const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(wide <= 0, `${width} px: ${wide} px too wide`);
		await page.evaluate(AXE);
		const v = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] }))
			.violations.filter((x) => x.impact === "serious" || x.impact === "critical").map((x) => x.id));
		assert.deepEqual(v, [], `${width} px`);
		await page.context().close();
	}
});

test("receipt-7 the QR code holds the receipt's address and the receipt is downloadable", async () => {
	const page = await open();
	const label = await page.locator(".qr svg").getAttribute("aria-label");
	assert.equal(label, `二维码：${PAGE}receipt.json`);
	const resp = await page.request.get(`${PAGE}receipt.json`);
	assert.equal(resp.status(), 200);
	assert.equal((await resp.json()).number, CERT);
	await page.context().close();
});

test("receipt-8 no console errors (the CSP allowed the script; nothing failed)", () => {
	assert.deepEqual(problems, []);
});
