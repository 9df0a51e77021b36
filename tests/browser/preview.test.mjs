// Browser tests of the authors' preview (`sitegen serve`), run by
// tests/browser/preview.sh: a page open in chromium reloads itself when its
// file is saved, shows a failed build's error with file:line and keeps the
// last good text, at 320, 390 and 1280 px, under the strict policy (the
// reload script is a file), with no serious or critical axe violation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SITE = process.env.SITE_URL;
const CONTENT = process.env.CONTENT;
const SHOTS = process.env.SCREENSHOTS;
assert.ok(SITE && CONTENT && SHOTS, "SITE_URL, CONTENT and SCREENSHOTS must be set");
const FEES = path.join(CONTENT, "fees.md");
const original = fs.readFileSync(FEES, "utf8");

let browser;
const problems = [];

before(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync"],
	});
	fs.mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
	fs.writeFileSync(FEES, original);
	await browser?.close();
});

async function open(url, width) {
	const context = await browser.newContext({ viewport: { width, height: 800 }, locale: "zh-CN" });
	const page = await context.newPage();
	page.on("console", (m) => { if (m.type() === "error") problems.push(`${page.url()}: ${m.text()}`); });
	page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
	await page.goto(new URL(url, SITE).href);
	return page;
}

async function axe(page) {
	await page.evaluate(AXE);
	const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"] }));
	return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

async function fitsWidth(page, width) {
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	assert.ok(wide <= width, `the page is ${wide} px wide on a ${width} px screen`);
}

test("preview-1 a saved page reloads itself in the browser, at 390 and 1280 px", async () => {
	for (const width of [390, 1280]) {
		const page = await open("fees/", width);
		const marker = `预览检查${width}：本段在页面打开后保存。`;
		let navigations = 0;
		page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations++; });
		fs.writeFileSync(FEES, original + `\n${marker}\n`);
		await page.waitForFunction((text) => document.body.textContent.includes(text), marker, { timeout: 5000 });
		assert.ok(navigations >= 1, "the page reloaded itself");
		await fitsWidth(page, width);
		assert.deepEqual(await axe(page), []);
		await page.screenshot({ path: path.join(SHOTS, `preview-reloaded-${width}.png`) });
		await page.context().close();
	}
	assert.deepEqual(problems, [], "no console or script errors (the policy allows the script file)");
});

test("preview-2 a failed build shows its error with file:line over the last good page, then goes", async () => {
	for (const width of [320, 390, 1280]) {
		fs.writeFileSync(FEES, original);
		const page = await open("fees/", width);
		await page.waitForFunction(() => !document.querySelector(".sitegen-build-error"), null, { timeout: 5000 });
		const good = await page.locator("h1").textContent();
		fs.writeFileSync(FEES, original.replace(/^title: .*$/m, "title: [未闭合"));
		const banner = page.locator(".sitegen-build-error");
		await banner.waitFor({ timeout: 5000 });
		assert.match(await banner.textContent(), /content\/fees\.md:\d+: front matter/);
		assert.equal(await page.locator("h1").textContent(), good, "the last good page stays below");
		assert.equal(await banner.getAttribute("role"), "alert");
		await fitsWidth(page, width);
		assert.deepEqual(await axe(page), []);
		await page.evaluate(() => window.scrollTo(0, 0)); // axe scrolls
		await page.screenshot({ path: path.join(SHOTS, `preview-error-${width}.png`) });
		fs.writeFileSync(FEES, original);
		await page.waitForFunction(() => !document.querySelector(".sitegen-build-error"), null, { timeout: 5000 });
		await page.context().close();
	}
	assert.deepEqual(problems, []);
});
