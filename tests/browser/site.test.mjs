// Browser tests of the built site, as a reader uses it: Debian's chromium
// driven by playwright-core, against the site served on loopback (SITE_URL)
// under the production Content-Security-Policy.  Checks navigation, search,
// the registry, the checklist and the timeline, takes screenshots at phone
// and desktop widths, runs axe-core on each page, and decodes QR codes.
// Run by tests/browser/browser.sh, which builds and serves the site.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SITE = process.env.SITE_URL;
const SRC = process.env.SRC;
const SHOTS = process.env.SCREENSHOTS;
assert.ok(SITE && SRC && SHOTS, "SITE_URL, SRC and SCREENSHOTS must be set");

let browser;
const problems = []; // console errors and page errors, from every page

before(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update",
			"--disable-sync"],
	});
});
after(async () => { await browser?.close(); });

async function open(url, width = 1280) {
	const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN" });
	const page = await context.newPage();
	page.on("console", (m) => { if (m.type() === "error") problems.push(`${page.url()}: ${m.text()}`); });
	page.on("pageerror", (e) => problems.push(`${page.url()}: ${e.message}`));
	await page.goto(new URL(url, SITE).href);
	return page;
}

async function axe(page) {
	// Evaluated through the debugging protocol, which the page's CSP does
	// not govern (a <script> tag would be refused, as it should be).
	await page.evaluate(AXE);
	const result = await page.evaluate(async () => await window.axe.run(document, {
		resultTypes: ["violations"],
	}));
	return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
}

test("browser-1 the home page opens with the guide's title and chapters", async () => {
	const page = await open("./");
	assert.match(await page.title(), /信息安全服务资质申请指南/);
	assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
	assert.ok(await page.locator(".chapters li").count() >= 10);
	await page.context().close();
});

test("browser-2 a reader navigates the guide by the sidebar and the pager", async () => {
	const page = await open("./");
	await page.locator("#site-nav a", { hasText: "3 一级资质要求" }).click();
	assert.equal(await page.locator("h1").textContent(), "3 一级资质要求");
	await page.locator("#site-nav a", { hasText: "3.2 基本能力要求" }).click();
	assert.equal(await page.locator("h1").textContent(), "3.2 基本能力要求");
	assert.match(await page.locator(".breadcrumbs").textContent(), /3 一级资质要求/);
	await page.locator("a[rel=next]").click();
	assert.equal(await page.locator("h1").textContent(), "3.3 云计算安全服务过程能力要求");
	await page.locator(".toc a").first().click();
	assert.match(page.url(), /#foundation$/);
	await page.context().close();
});

test("browser-3 a two-character Chinese search finds the page and the result opens it", async () => {
	const page = await open("./fees/");
	await page.locator("#site-search-q").fill("年检");
	await page.locator(".site-search button").click();
	await page.locator("#search-results li").first().waitFor();
	const first = page.locator("#search-results li a").first();
	assert.match(await first.textContent(), /监督、维持和升级/);
	assert.match(await page.locator("#search-results mark").first().textContent(), /年检/);
	await first.click();
	await page.waitForURL(/\/supervision\/#/);
	assert.equal(await page.locator("h1").textContent(), "5 监督、维持和升级");
	await page.context().close();
});

test("browser-4 a search finds a registry name by two characters", async () => {
	const page = await open("./search/?q=" + encodeURIComponent("示例"));
	await page.locator("#search-results li").first().waitFor();
	const links = await page.locator("#search-results li a").evaluateAll((as) => as.map((a) => a.href));
	assert.ok(links.some((h) => h.includes("/registry/organisations/")), links.join("\n"));
	await page.context().close();
});

test("browser-5 a certificate opened from the registry list shows its status in words", async () => {
	const page = await open("./registry/");
	const row = page.locator("#registry-table tbody tr[data-status=suspended]").first();
	const number = (await row.locator("td").first().textContent()).trim();
	assert.equal((await row.locator(".status").textContent()).trim(), "暂停");
	await row.locator("a").first().click();
	assert.equal(await page.locator("h1").textContent(), `证书 ${number}`);
	assert.equal((await page.locator(".verdict .status").textContent()).trim(), "暂停");
	assert.match(await page.locator(".registry-asof").textContent(), /状态截至/);
	await page.context().close();
});

test("browser-6 the registry list filters in place by status", async () => {
	const page = await open("./registry/");
	await page.locator("#filter-status").selectOption("revoked");
	const shown = await page.locator("#registry-table tbody tr:not([hidden])").evaluateAll(
		(rows) => rows.map((r) => r.dataset.status));
	assert.ok(shown.length > 0);
	assert.ok(shown.every((s) => s === "revoked"), shown.join(","));
	await page.context().close();
});

test("browser-7 a ticked checklist item stays ticked after a reload", async () => {
	const page = await open("./checklist/");
	const box = page.locator("#chk-R-3\\.2\\.3-5");
	assert.equal(await box.isChecked(), false);
	await box.check();
	await page.reload();
	assert.equal(await page.locator("#chk-R-3\\.2\\.3-5").isChecked(), true);
	assert.match(await page.locator("#checklist-status").textContent(), /已勾选 1 \//);
	await page.context().close();
});

test("browser-8 the timeline computes the windows the rules give", async () => {
	const cases = JSON.parse(fs.readFileSync(path.join(SRC, "tests/rules/windows.json"), "utf8")).cases;
	const page = await open("./timeline/");
	for (const c of cases) {
		await page.locator("#timeline-issued").fill(c.issued_on);
		await page.locator("#timeline-form button").click();
		const cells = await page.locator("#timeline-result td time").evaluateAll((ts) => ts.map((t) => t.textContent));
		assert.deepEqual(cells, [c.annual[0][0], c.annual[0][1], c.annual[1][0], c.annual[1][1],
			c.renewal[0], c.renewal[1], c.valid_until], c.issued_on);
	}
	await page.context().close();
});

test("browser-9 screenshots of a guide page and a certificate page, phone and desktop", async () => {
	fs.mkdirSync(SHOTS, { recursive: true });
	const list = await open("./registry/");
	const certHref = await list.locator("#registry-table tbody tr a").first().getAttribute("href");
	await list.context().close();
	for (const [name, url] of [["guide", "./basic-capability/"], ["certificate", new URL(certHref, new URL("registry/", SITE)).href]]) {
		for (const [label, width] of [["phone", 390], ["desktop", 1280]]) {
			const page = await open(url, width);
			await page.evaluate(() => document.fonts.ready);
			const file = path.join(SHOTS, `${name}-${label}.png`);
			await page.screenshot({ path: file, fullPage: true });
			assert.ok(fs.statSync(file).size > 10000, file);
			await page.context().close();
		}
	}
});

test("browser-10 the QR code of a certificate decodes to its page's address", async () => {
	const list = await open("./registry/");
	const link = list.locator("#registry-table tbody tr td:first-child a").nth(3);
	const href = await link.getAttribute("href");
	await link.click();
	const pageUrl = list.url();
	const file = path.join(SHOTS, "qr.png");
	await list.locator(".qr svg").screenshot({ path: file });
	const decoded = execFileSync("zbarimg", ["--raw", "-q", file], { encoding: "utf8" }).trim();
	assert.equal(decoded, pageUrl, `QR of ${href}`);
	await list.context().close();
});

for (const url of ["./", "./basic-capability/", "./fees/", "./certification/", "./search/?q=%E5%B9%B4%E6%A3%80",
	"./registry/", "./checklist/", "./timeline/", "./changes/", "./editions/", "./api/"]) {
	test(`browser-11 no serious or critical accessibility problems on ${url}`, async () => {
		for (const width of [390, 1280]) {
			const page = await open(url, width);
			await page.waitForLoadState("load");
			const violations = await axe(page);
			assert.deepEqual(violations, [], `${url} at ${width}px`);
			await page.context().close();
		}
	});
}

test("browser-12 a certificate page passes the accessibility check", async () => {
	const list = await open("./registry/");
	await list.locator("#registry-table tbody tr a").first().click();
	assert.deepEqual(await axe(list), []);
	await list.context().close();
});

test("browser-13 the index's tokenizer and the browser's agree on the shared cases", () => {
	const ctx = { TextEncoder, URL };
	vm.createContext(ctx);
	ctx.globalThis = ctx;
	vm.runInContext(fs.readFileSync(path.join(SRC, "site/static/search.js"), "utf8"), ctx);
	const cases = JSON.parse(fs.readFileSync(path.join(SRC, "tests/search/tokens.json"), "utf8"));
	for (const c of cases.tokens)
		assert.deepEqual(Array.from(ctx.SiteSearch.tokens(c.text)), c.tokens, c.text);
	for (const c of cases.queries)
		assert.deepEqual(Array.from(ctx.SiteSearch.queryTokens(c.query)), c.tokens, c.query);
	assert.equal(ctx.SiteSearch.hash("a"), 0xe40c292c);
});

test("browser-14 the timeline script passes the rules' shared cases", () => {
	const ctx = {};
	vm.createContext(ctx);
	ctx.globalThis = ctx;
	vm.runInContext(fs.readFileSync(path.join(SRC, "site/static/timeline.js"), "utf8"), ctx);
	const cases = JSON.parse(fs.readFileSync(path.join(SRC, "tests/rules/windows.json"), "utf8")).cases;
	for (const c of cases) {
		const t = ctx.SiteTimeline.compute(c.issued_on);
		assert.deepEqual(JSON.parse(JSON.stringify([t.valid_until, t.annual, t.renewal])),
			[c.valid_until, c.annual, c.renewal], c.issued_on);
	}
});

test("browser-15 no console errors or page errors on any page under the site's CSP", () => {
	assert.deepEqual(problems, []);
});
