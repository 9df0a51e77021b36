// Browser tests of the English edition of the guide, as an applicant
// abroad uses it: Debian's chromium driven by playwright-core against the
// site served on loopback (SITE_URL) under the production CSP.  Every
// English page at 320 and 390 px and on a desktop: lang="en", no sideways
// scroll, no serious or critical axe violation; the language switch there
// and back; the registry's certificate page in English; the English search finding English pages (and the Chinese one
// not finding them); the checklist and timeline scripts in English; the
// pages without JavaScript; the check box, the bulk check and the page of
// a number not in the registry in English, answered by registryd and by
// the scripts.  Run by tests/browser/browser.sh.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const SITE = process.env.SITE_URL;
const SHOTS = process.env.SCREENSHOTS;
assert.ok(SITE && SHOTS, "SITE_URL and SCREENSHOTS must be set");

let browser;
const problems = [];

before(async () => {
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
		args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update",
			"--disable-sync"],
	});
});
after(async () => { await browser?.close(); });

async function open(url, width = 1280, options = {}) {
	const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "en-GB", ...options });
	const page = await context.newPage();
	// A number not in the registry answers 404, as it should.
	page.on("console", (m) => {
		if (m.type() === "error" && !(/-2099-000\d/.test(page.url()) && /status of 404/.test(m.text())))
			problems.push(`${page.url()}: ${m.text()}`);
	});
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

// The English pages: the guide's from the sitemap, and the site's own.
async function englishPages() {
	const xml = await (await fetch(new URL("sitemap.xml", SITE))).text();
	// The sitemap lists every page (the registry's, histories, editions too):
	// the guide's pages are those outside the site's own folders, which are
	// sampled below.
	const guide = [...xml.matchAll(/<loc>([^<]*\/en\/[^<]*)<\/loc>/g)]
		.map((m) => new URL(m[1]).pathname)
		.filter((p) => !/^\/en\/(registry|history|editions|changes|search|checklist|timeline|api)\//.test(p));
	const own = ["checklist/", "timeline/", "search/?q=fees", "api/", "changes/", "editions/", "history/fees/", "404.html",
		"registry/", "registry/status/revoked/", "registry/certificates/CNITSEC-CS1-2024-0002/", "registry/organisations/4/",
		"registry/organisations/1/", "registry/check/", "registry/check/?q=%E7%A4%BA%E4%BE%8B", "registry/bulk/",
		"registry/bulk/?numbers=CS1-2024-0002%0ACS1-2099-0001", "registry/certificates/CNITSEC-CS1-2099-0001/"]
		.map((p) => `/en/${p}`);
	return [...guide, ...own];
}

test("browser-en-1 every English page at 320, 390 and 1280 px: lang=en, no sideways scroll, axe clean", async () => {
	const pages = await englishPages();
	assert.ok(pages.length >= 24, `English pages: ${pages.length}`);
	const wrong = [];
	fs.mkdirSync(SHOTS, { recursive: true });
	for (const width of [320, 390, 1280]) {
		for (const p of pages) {
			const page = await open(p, width);
			const lang = await page.locator("html").getAttribute("lang");
			if (lang !== "en") wrong.push(`${p}: lang=${lang}`);
			const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
			if (scroll > client) wrong.push(`${p} at ${width}px: scrollWidth ${scroll} > ${client}`);
			for (const v of await axe(page)) wrong.push(`${p} at ${width}px: ${v}`);
			if (/\/en\/(certification|fees)\/$/.test(p))
				await page.screenshot({ path: path.join(SHOTS, `en-${p.split("/")[2]}-${width}.png`), fullPage: true });
			await page.context().close();
		}
	}
	assert.deepEqual(wrong, []);
});

test("browser-en-2 the language switch leads to the same page in Chinese and back", async () => {
	const page = await open("/en/fees/", 390);
	assert.equal(await page.locator("h1").textContent(), "9 Fees and time needed");
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/fees/");
	assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
	assert.equal(await page.locator("h1").textContent(), "9 费用及周期");
	assert.equal(await page.locator("td", { hasText: /^58,000$/ }).count(), 1);
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/en/fees/");
	assert.equal(await page.locator("td", { hasText: /^58,000$/ }).count(), 1);
	// the site's own pages switch too
	await page.goto(new URL("/en/checklist/", SITE).href);
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/checklist/");
	assert.equal(await page.locator("h1").textContent(), "自评清单");
	await page.context().close();
});

test("browser-en-3 a requirement id is the same anchor in both languages", async () => {
	const page = await open("/en/basic-capability/#R-3.2.3-5", 390);
	assert.match(await page.locator("li:has([id='R-3.2.3-5'])").textContent(), /at least 4 full-time Certified Information Security Professionals/);
	await page.goto(new URL("/basic-capability/#R-3.2.3-5", SITE).href);
	assert.match(await page.locator("li:has([id='R-3.2.3-5'])").textContent(), /4名以上/);
	await page.context().close();
});

test("browser-en-4 an English search from the header finds the English page", async () => {
	const page = await open("/en/", 390);
	await page.locator("#site-search-q").fill("annual questionnaire");
	await page.locator("#site-search-q").press("Enter");
	await page.waitForURL(/\/en\/search\/\?q=/);
	const first = page.locator("#search-results li a").first();
	await first.waitFor();
	const hrefs = await page.locator("#search-results li a").evaluateAll((as) => as.map((a) => new URL(a.href).pathname + new URL(a.href).hash));
	assert.ok(hrefs.includes("/en/supervision/#annual-review"), hrefs.join(" "));
	assert.ok(hrefs.every((h) => h.startsWith("/en/")), hrefs.join(" "));
	assert.match(await page.locator("#search-status").textContent(), /found/);
	assert.match(await page.locator("#search-results").textContent(), /Annual confirmation and annual check/);
	await page.context().close();
});

test("browser-en-5 the Chinese search does not answer with English pages", async () => {
	const page = await open("/search/?q=questionnaire", 390);
	await page.waitForFunction(() => !/正在搜索/.test(document.getElementById("search-status").textContent));
	assert.equal(await page.locator("#search-results a[href*='/en/']").count(), 0);
	await page.context().close();
});

test("browser-en-6 the checklist and the timeline speak English", async () => {
	const page = await open("/en/checklist/", 390);
	await page.locator("input[type=checkbox]").first().check();
	assert.match(await page.locator("#checklist-status").textContent(), /^1 of \d+ ticked \(kept in this browser\)$/);
	await page.goto(new URL("/en/timeline/", SITE).href);
	await page.locator("#timeline-issued").fill("2024-02-29");
	await page.locator("#timeline-form button").click();
	assert.equal(await page.locator("#timeline-status").textContent(), "For a certificate issued on 2024-02-29:");
	assert.match(await page.locator("#timeline-result").textContent(), /Application for renewal/);
	assert.doesNotMatch(await page.locator("#timeline-result").textContent(), /[\u4e00-\u9fff]/);
	await page.context().close();
});

test("browser-en-7 without JavaScript the English pages read and switch", async () => {
	const page = await open("/en/certification/", 320, { javaScriptEnabled: false });
	assert.equal(await page.locator("h1").textContent(), "4 Certification");
	const img = page.locator("article img");
	assert.match(await img.getAttribute("alt"), /^Certification process chart/);
	assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), "the English diagram loads");
	assert.match(await page.locator(".lang-banner").textContent(), /The Chinese text is the authoritative one/);
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/certification/");
	await page.context().close();
});

test("browser-en-8 a purchaser abroad reads a certificate's status in English and switches to the authoritative page", async () => {
	const page = await open("/en/registry/", 390);
	assert.equal(await page.locator("h1").textContent(), "Registry of certified organisations");
	await page.locator("#registry-table a[href*='CNITSEC-CS1-2024-0002']").click();
	assert.equal(await page.locator("h1").textContent(), "Certificate CNITSEC-CS1-2024-0002");
	assert.match(await page.locator(".verdict-status").textContent(), /^Status: valid \(since 13 March 2024\)$/);
	assert.match(await page.locator(".verdict-flags").textContent(), /warning \(within 12 months\)/);
	assert.equal(await page.locator(".notice-title").first().textContent(), "Warning");
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/registry/certificates/CNITSEC-CS1-2024-0002/");
	assert.match(await page.locator(".verdict-status").textContent(), /有效/);
	await page.context().close();
});

test("browser-en-9 the English registry list filters in place, in English", async () => {
	const page = await open("/en/registry/", 1280);
	await page.locator("#filter-status").selectOption("revoked");
	assert.match(await page.locator("#registry-count").textContent(), /^\d+ of \d+ certificates shown$/);
	const shown = await page.locator("#registry-table tbody tr:visible .status").allTextContents();
	assert.ok(shown.length > 0 && shown.every((t) => t === "revoked"), shown.join(","));
	await page.context().close();
});

test("browser-en-11 the English check box answers in English as one types, and opens the English page", async () => {
	const page = await open("/en/registry/", 390);
	await page.locator("#check-q").fill("cs1-2024-0002");
	const live = page.locator("#check-live .check-item");
	await live.first().waitFor();
	assert.match(await page.locator("#check-live .check-summary").textContent(), /^1 matching certificate:$/);
	assert.equal(await live.locator(".status").first().textContent(), "valid");
	assert.equal(await live.locator(".flag").first().textContent(), "warning (within 12 months)");
	assert.doesNotMatch(await live.locator(".check-facts").textContent(), /[\u4e00-\u9fff]/);
	assert.equal(new URL(await live.locator(".check-facts a").getAttribute("href"), page.url()).pathname,
		"/en/registry/certificates/CNITSEC-CS1-2024-0002/");
	await page.locator("#check-q").press("Enter");
	await page.waitForURL(/\/en\/registry\/certificates\/CNITSEC-CS1-2024-0002\/$/);
	assert.equal(await page.locator("html").getAttribute("lang"), "en");
	await page.context().close();
});

test("browser-en-12 without JavaScript the English check lists certificates in English, and switches to the Chinese check", async () => {
	const page = await open("/en/registry/check/?q=%E7%A4%BA%E4%BE%8B", 320, { javaScriptEnabled: false });
	assert.equal(await page.locator(".check-answer").getAttribute("data-answered"), "server");
	assert.match(await page.locator(".check-summary").textContent(), /^“示例”: the first 20 certificates found\.$/);
	const statuses = await page.locator(".check-list .status").allTextContents();
	assert.ok(statuses.length === 20 && statuses.every((t) => /^(valid|suspended|revoked|expired|superseded)$/.test(t)), statuses.join(","));
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/registry/check/");
	assert.equal(await page.locator("html").getAttribute("lang"), "zh-CN");
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/en/registry/check/");
	await page.context().close();
});

test("browser-en-13 the English bulk check: a table in English from the API, printable, with CSV", async () => {
	const page = await open("/en/registry/bulk/", 390);
	await page.locator("#bulk-numbers").fill("CS1-2024-0002\nCNITSEC-CS1-2099-0001\nhello");
	assert.equal(await page.locator("#bulk-count").textContent(), "3 entries");
	await page.locator("#bulk-form button[type=submit]").click();
	await page.locator("#bulk-table").waitFor();
	assert.equal(await page.locator(".bulk-answer").getAttribute("data-answered"), "browser");
	assert.equal(await page.locator(".bulk-summary").textContent(), "3 entered, 1 found, 2 not found.");
	assert.deepEqual(await page.locator("#bulk-table th").allTextContents(),
		["Entered", "Certificate number", "Organisation", "Status", "Validity"]);
	const found = page.locator("#bulk-table tr[data-status=valid]");
	assert.equal(await found.locator(".status").textContent(), "valid");
	assert.match(await found.locator(".cell-validity").textContent(), /^valid until \d{1,2} [A-Z][a-z]+ \d{4}$/);
	assert.equal(new URL(await found.locator("a").first().getAttribute("href"), page.url()).pathname,
		"/en/registry/certificates/CNITSEC-CS1-2024-0002/");
	assert.match(await page.locator("#bulk-table tr[data-status=not_found]").first().textContent(), /not found no certificate in the registry has this number/);
	assert.match(await page.locator(".bulk-snapshot").textContent(), /^Status as of \d{1,2} [A-Z][a-z]+ \d{4}; registry snapshot published/);
	assert.equal(await page.locator("#bulk-print").isVisible(), true);
	assert.match(await page.locator("a.bulk-csv").getAttribute("href"), /\/v1\/certificates\?format=csv&number=/);
	await page.context().close();
});

test("browser-en-14 a number not in the registry, at its English address: said in English, switching to the same address in Chinese", async () => {
	const page = await open("/en/registry/certificates/cs1-2099-0001/", 390);
	assert.equal(await page.locator("h1").textContent(), "Certificate not in the registry");
	assert.equal(await page.locator(".missing-number").textContent(), "CNITSEC-CS1-2099-0001");
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/registry/certificates/cs1-2099-0001/");
	assert.equal(await page.locator("h1").textContent(), "证书不在名录中");
	await page.locator("a.lang-switch").click();
	assert.equal(new URL(page.url()).pathname, "/en/registry/certificates/cs1-2099-0001/");
	await page.context().close();
});

test("browser-en-10 no console or page errors on the English pages", () => {
	assert.deepEqual(problems, []);
});
