// Browser tests of the built site, as a reader uses it: Debian's chromium
// driven by playwright-core, against the site served on loopback (SITE_URL)
// under the production Content-Security-Policy.  Checks navigation, search,
// the registry, the checklist and the timeline, takes screenshots at phone
// and desktop widths, runs axe-core on each page, and decodes QR codes;
// the public's check: no page of any type wider than 320, 390 and 1280 px
// screens, the purchaser's task on a phone in two interactions, the status
// cases in words, the bulk check of 100 entries, the A4 print, the feeds.
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
	page.on("console", (m) => {
		// The pages that are not there answer 404, as they should.
		if (m.type() === "error" && !(/no-such-page|-2099-000\d/.test(page.url()) && /status of 404/.test(m.text())))
			problems.push(`${page.url()}: ${m.text()}`);
	});
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
	const number = (await row.locator("td.cell-number").textContent()).trim();
	assert.equal((await row.locator(".status").textContent()).trim(), "暂停");
	await row.locator("td.cell-number a").click();
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
	const certHref = await list.locator("#registry-table tbody td.cell-number a").first().getAttribute("href");
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
	const link = list.locator("#registry-table tbody td.cell-number a").nth(3);
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
	await list.locator("#registry-table tbody td.cell-number a").first().click();
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

// ---- the public's check ----

// Numbers of the sample registry by their case, read from the list page.
let cases;
async function registryCases() {
	if (cases) return cases;
	const page = await open("./registry/");
	cases = await page.evaluate(() => {
		const rows = Array.from(document.querySelectorAll("#registry-table tbody tr"));
		const first = (test) => {
			const row = rows.find(test);
			return row && row.querySelector("td.cell-number").textContent.trim();
		};
		const org = (number) => rows.find((r) => r.querySelector("td.cell-number").textContent.trim() === number)
			.querySelector("td.cell-name a").getAttribute("href");
		const result = {
			suspended: first((r) => r.dataset.status === "suspended"),
			revoked: first((r) => r.dataset.status === "revoked"),
			expired: first((r) => r.dataset.status === "expired"),
			superseded: first((r) => r.dataset.status === "superseded"),
			overdue: first((r) => r.querySelector(".flag-rectification_overdue") && !r.querySelector(".flag-rectification")),
			warning: first((r) => r.querySelector(".flag-warning")),
			all: rows.map((r) => r.querySelector("td.cell-number").textContent.trim()),
		};
		result.overdueOrg = org(result.overdue);
		return result;
	});
	await page.context().close();
	return cases;
}

const WIDTHS = [320, 390, 1280];

async function noSidewaysScroll(url, width) {
	const page = await open(url, width);
	await page.waitForLoadState("load");
	const m = await page.evaluate(() => ({
		scroll: document.documentElement.scrollWidth,
		client: document.documentElement.clientWidth,
	}));
	await page.context().close();
	return m;
}

test("browser-16 no page of any type scrolls sideways at 320, 390 and 1280 px", async () => {
	const c = await registryCases();
	const editions = await open("./editions/");
	const redline = await editions.locator('a[href*="changes-from"]').first().getAttribute("href").catch(() => null);
	const edition = await editions.locator('ul.editions a').first().getAttribute("href").catch(() => null);
	await editions.context().close();
	const pages = {
		"home": "./",
		"guide page": "./basic-capability/",
		"fee tables": "./fees/",
		"page history": "./history/fees/",
		"changes": "./changes/",
		"editions": "./editions/",
		"search (guide and registry)": "./search/?q=" + encodeURIComponent("示例"),
		"checklist": "./checklist/",
		"timeline": "./timeline/",
		"API": "./api/",
		"404": "./no-such-page/",
		"registry list": "./registry/",
		"registry filtered list": "./registry/status/valid/",
		"certificate (overdue order)": `./registry/certificates/${c.overdue}/`,
		"certificate (revoked)": `./registry/certificates/${c.revoked}/`,
		"certificate (suspended)": `./registry/certificates/${c.suspended}/`,
		"organisation": new URL(c.overdueOrg, new URL("registry/", SITE)).href,
		"check answers": "./registry/check/?q=" + encodeURIComponent("示例"),
		"check page": "./registry/check/",
		"bulk check with answers": "./registry/bulk/?numbers=" + encodeURIComponent(c.all.slice(0, 20).join("\n") + "\nCNITSEC-CS1-2099-0001"),
		"not in the registry": "./registry/certificates/CNITSEC-CS1-2099-0001/",
	};
	if (edition) pages["edition"] = new URL(edition, new URL("editions/", SITE)).href;
	if (redline) pages["redline"] = new URL(redline, new URL("editions/", SITE)).href;
	const wide = [];
	for (const [name, url] of Object.entries(pages))
		for (const width of WIDTHS) {
			const m = await noSidewaysScroll(url, width);
			if (m.scroll > m.client) wide.push(`${name} at ${width}px: scrollWidth ${m.scroll} > clientWidth ${m.client}`);
		}
	assert.deepEqual(wide, []);
});

test("browser-17 the purchaser's task on a phone: a name fragment typed on the home page, the status in two interactions", async () => {
	const c = await registryCases();
	const page = await open("./", 390);
	const list = await open("./registry/", 390);
	const name = (await list.locator(`#registry-table tbody tr:has(td.cell-number a:text-is("${c.suspended}")) td.cell-name a`).textContent()).trim();
	await list.context().close();
	const fragment = Array.from(name).slice(2, 6).join(""); // "示例青岚云安全…" -> "青岚云安"
	let interactions = 0;
	await page.locator("#check-q").fill(fragment); interactions++;
	// As one types, the answers and their statuses appear under the box.
	await page.locator("#check-live .check-item .status").first().waitFor();
	await page.locator("#check-q").press("Enter"); interactions++;
	await page.waitForURL(/\/registry\/(check|certificates)\//);
	const status = page.locator(".check-item .status, .verdict .status").first();
	await status.waitFor();
	const box = await status.boundingBox();
	assert.ok(box.x + box.width <= 390, `the status is on screen (right edge ${box.x + box.width})`);
	assert.match(await status.textContent(), /^(有效|暂停|已取消|已过期|已换发)$/);
	assert.ok(interactions <= 2);
	await page.context().close();
});

test("browser-18 suspended, revoked, expired, overdue and unknown numbers each show the right words", async () => {
	const c = await registryCases();
	const expect = async (number, words, absent = []) => {
		const page = await open("./registry/check/", 390);
		await page.locator("#check-q").fill(number.slice(8).toLowerCase()); // without CNITSEC-, lower case
		await page.locator("#check-q").press("Enter");
		await page.waitForURL(/\/registry\/certificates\//);
		const text = await page.locator("main").innerText();
		for (const w of words) assert.ok(text.includes(w), `${number}: "${w}" in\n${text.slice(0, 600)}`);
		for (const w of absent) assert.ok(!text.includes(w), `${number}: no "${w}"`);
		await page.context().close();
	};
	await expect(c.suspended, ["状态：暂停", "有效期至"]);
	await expect(c.revoked, ["状态：已取消", "原有效期至", "取消", "不再办理"], ["未到期"]);
	await expect(c.expired, ["状态：已过期", "已届满"], ["未到期"]);
	await expect(c.overdue, ["状态：有效", "整改逾期", "已过", "仍未完成整改", "理由："], ["限期整改中"]);
	await expect("CNITSEC-CS1-2099-0001", ["CNITSEC-CS1-2099-0001 不在获证组织名录中", "请核对", "发证机构", "联系方式"]);
});

test("browser-19 on a static host the box still answers, and the 404 page recognises a certificate's address", async () => {
	const c = await registryCases();
	// registry/check/index.html is the static file: no server answers it.
	const page = await open("./registry/check/index.html?q=" + encodeURIComponent("示例"), 390);
	await page.locator('.check-answer[data-answered="browser"] .check-item .status').first().waitFor();
	await page.goto(new URL("./registry/check/index.html?q=" + c.revoked.slice(8).toLowerCase(), SITE).href);
	await page.waitForURL(new RegExp(`/registry/certificates/${c.revoked}/$`));
	// A static host answers a missing page with its 404.html.
	const notFound = await (await page.request.get(new URL("./404.html", SITE).href)).text();
	await page.route("**/registry/certificates/CNITSEC-CS1-2099-0002/", (route) =>
		route.fulfill({ status: 404, contentType: "text/html; charset=utf-8", body: notFound }));
	await page.goto(new URL("./registry/certificates/CNITSEC-CS1-2099-0002/", SITE).href);
	await page.locator("#registry-404:not([hidden])").waitFor();
	assert.match(await page.locator("main").innerText(), /编号 CNITSEC-CS1-2099-0002 不在获证组织名录中/);
	assert.equal(await page.locator("h1").textContent(), "证书不在名录中");
	await page.context().close();
});

test("browser-20 the bulk check of 100 mixed entries: a row each, printable, as CSV", async () => {
	const c = await registryCases();
	const known = c.all.slice(0, 90);
	const entries = [
		...known.slice(0, 60),
		...known.slice(60, 75).map((n) => n.slice(8).toLowerCase()),                 // short, lower case
		...known.slice(75, 90).map((n) => n.replace(/[A-Z0-9-]/g, (ch) =>              // full-width
			String.fromCharCode(ch.charCodeAt(0) + 0xfee0))),
		"CNITSEC-CS1-2099-0001", "CNITSEC-CS1-2099-0002", "CS9-2024-0001", "914403058GLX14WMJB", "nonsense",
		"CNITSEC-SO1-2099-0001", "CNITSEC-CS1-1999-0001", "CNITSEC-CS2-2099-0009", "999999999999999999", "不是编号",
	];
	assert.equal(entries.length, 100);
	const page = await open("./registry/bulk/", 1280);
	await page.locator("#bulk-numbers").fill(entries.slice(0, 50).join("\n") + "\n" + entries.slice(50).join("，"));
	assert.match(await page.locator("#bulk-count").textContent(), /100 项/);
	await page.locator("#bulk-form button[type=submit]").click();
	await page.locator('#bulk-table').waitFor();
	const rows = page.locator("#bulk-table tbody tr");
	assert.equal(await rows.count(), 100);
	assert.equal(await page.locator('#bulk-table tbody tr[data-status="not_found"]').count(), 10);
	assert.match(await page.locator(".bulk-summary").textContent(), /共 100 项，找到 90 项，未找到 10 项/);
	const statuses = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector(".status").textContent));
	assert.ok(statuses.every((s) => /^(有效|暂停|已取消|已过期|已换发|未找到)$/.test(s)), statuses.join(","));
	assert.match(await page.locator(".bulk-snapshot").textContent(), /状态截至 \d{4}年\d+月\d+日；名录快照于 .* 发布（北京时间），SHA-256 [0-9a-f]{64}/);
	assert.equal(await page.locator("#bulk-print").isVisible(), true);
	// The CSV: a row per entry's certificate, and the unknown ones.
	const csv = await (await page.request.get(await page.locator("a.bulk-csv").evaluate((a) => a.href))).text();
	assert.equal(csv.trim().split("\r\n").length, 1 + 100);
	// Reloaded, the page (answered by registryd now) shows the same table.
	await page.reload();
	assert.equal(await page.locator("#bulk-table tbody tr").count(), 100);
	assert.equal(await page.locator('.bulk-answer[data-answered="server"]').count(), 1);
	// Printed, the form is gone and the table stays.
	await page.emulateMedia({ media: "print" });
	assert.equal(await page.locator("#bulk-form").isVisible(), false);
	assert.equal(await page.locator("#bulk-table").isVisible(), true);
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.pdf({ path: path.join(SHOTS, "bulk.pdf"), format: "A4" });
	for (const width of [320, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await page.emulateMedia({ media: "screen" });
		const m = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
		assert.ok(m[0] <= m[1], `the bulk table at ${width}px: ${m[0]} > ${m[1]}`);
	}
	assert.deepEqual(await axe(page), []);
	await page.context().close();
});

// Pages of a PDF: the page objects ("/Type /Page", not "/Pages").
function pdfPages(buffer) {
	return (buffer.toString("latin1").match(/\/Type\s*\/Page(?!s)/g) || []).length;
}

test("browser-21 a certificate page prints on one A4 page with what a file needs", async () => {
	const c = await registryCases();
	// The longest record of the sample, and the overdue one.
	const longest = await (async () => {
		const list = await open("./registry/");
		const hrefs = await list.locator("#registry-table tbody td.cell-number a").evaluateAll((as) => as.map((a) => a.href));
		let best = null, most = -1;
		for (const href of hrefs.slice(0, 80)) {
			const html = await (await list.request.get(href)).text();
			const n = (html.match(/<li id="event-/g) || []).length + 3 * (html.match(/class="notice /g) || []).length;
			if (n > most) { most = n; best = href; }
		}
		await list.context().close();
		return best;
	})();
	for (const url of [longest, `./registry/certificates/${c.overdue}/`, `./registry/certificates/${c.revoked}/`]) {
		const page = await open(url, 1280);
		await page.emulateMedia({ media: "print" });
		for (const sel of [".verdict", ".registry-asof", ".qr svg", "a.own-url", ".snapshot .sha256"])
			assert.equal(await page.locator(sel).first().isVisible(), true, `${url}: ${sel} printed`);
		assert.equal(await page.locator("a.own-url").evaluate((a) => getComputedStyle(a, "::after").content), "none",
			"the own address once");
		const pdf = await page.pdf({ format: "A4" });
		assert.equal(pdfPages(pdf), 1, `${url} prints on one A4 page`);
		await page.context().close();
	}
});

test("browser-22 the site's search shows the status beside every organisation and certificate it finds", async () => {
	const c = await registryCases();
	for (const q of ["示例", c.overdue.slice(8)]) {
		const page = await open("./search/?q=" + encodeURIComponent(q), 390);
		await page.locator("#search-results li").first().waitFor();
		const registry = page.locator("#search-results li.search-registry");
		assert.ok(await registry.count() > 0, q);
		const missing = await registry.evaluateAll((lis) => lis.filter((li) =>
			Array.from(li.querySelectorAll(".result-certs li")).some((c) => !c.querySelector(".status")) ||
			!li.querySelector(".result-certs .status, .result-none")).length);
		assert.equal(missing, 0, `${q}: every result with its status`);
		if (q !== "示例")
			assert.match(await registry.first().locator(".result-certs li").first().textContent(), /整改逾期/);
		await page.context().close();
	}
});

test("browser-23 a feed per certificate and per organisation, discoverable, entries linked to the page", async () => {
	const c = await registryCases();
	for (const url of [`./registry/certificates/${c.overdue}/`, new URL(c.overdueOrg, new URL("registry/", SITE)).href]) {
		const page = await open(url);
		const href = await page.locator('head link[rel=alternate][type="application/atom+xml"][href="feed.xml"]').getAttribute("href");
		const response = await page.request.get(new URL(href, page.url()).href);
		assert.equal(response.status(), 200);
		assert.match(response.headers()["content-type"], /application\/atom\+xml/);
		const xml = await response.text();
		const links = Array.from(xml.matchAll(/<entry>[\s\S]*?<link rel="alternate" type="text\/html" href="([^"]+)"/g)).map((m) => m[1]);
		assert.ok(links.length > 0);
		const entry = links[0];
		await page.goto(entry);
		assert.equal(await page.locator(new URL(entry).hash).count(), 1, `${entry}: the event on the page`);
		await page.context().close();
	}
});

test("browser-24 no serious or critical accessibility problems on the new pages", async () => {
	const c = await registryCases();
	const urls = [
		"./registry/check/",
		"./registry/check/?q=" + encodeURIComponent("示例"),
		"./registry/check/index.html?q=" + encodeURIComponent("示例"),
		"./registry/bulk/",
		"./registry/bulk/?numbers=" + encodeURIComponent(c.all.slice(0, 5).join("\n") + "\nCNITSEC-CS1-2099-0001"),
		"./registry/certificates/CNITSEC-CS1-2099-0001/",
		`./registry/certificates/${c.overdue}/`,
		`./registry/certificates/${c.revoked}/`,
		`./registry/certificates/${c.warning}/`,
		new URL(c.overdueOrg, new URL("registry/", SITE)).href,
		"./search/?q=" + encodeURIComponent("示例"),
		"./no-such-page/",
	];
	for (const url of urls)
		for (const width of [390, 1280]) {
			const page = await open(url, width);
			await page.waitForLoadState("load");
			if (url.includes("index.html?q="))
				await page.locator('.check-answer[data-answered="browser"]').waitFor();
			if (url.includes("search/"))
				await page.locator("#search-results li").first().waitFor();
			assert.deepEqual(await axe(page), [], `${url} at ${width}px`);
			await page.context().close();
		}
	// The box with its live answers open.
	const home = await open("./", 390);
	await home.locator("#check-q").fill("示例");
	await home.locator("#check-live .check-item").first().waitFor();
	assert.deepEqual(await axe(home), [], "the home page with live answers");
	await home.context().close();
});

// site/static/check.js run outside a page: its SiteCheck object.
function checkScript() {
	const ctx = {};
	vm.createContext(ctx);
	ctx.globalThis = ctx;
	vm.runInContext(fs.readFileSync(path.join(SRC, "site/static/check.js"), "utf8"), ctx);
	return ctx.SiteCheck;
}

test("browser-25 the box's script reads numbers as the rules do (tests/rules/lookup.json)", () => {
	const check = checkScript();
	const cases = JSON.parse(fs.readFileSync(path.join(SRC, "tests/rules/lookup.json"), "utf8"));
	for (const c of cases.classify) {
		const got = check.classify(c.text);
		assert.deepEqual([got.kind, got.out], [c.kind, c.out], c.text);
	}
	for (const c of cases.split)
		assert.deepEqual(Array.from(check.split(c.text)), c.entries, c.text);
});

test("browser-26 the scripts' words for statuses and flags are registry/rules/label.c's (tests/rules/labels.json)", () => {
	const check = checkScript();
	const labels = JSON.parse(fs.readFileSync(path.join(SRC, "tests/rules/labels.json"), "utf8"));
	const pick = (table, lang) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v[lang]]));
	assert.deepEqual({ ...check.statusEn }, pick(labels.statuses, "en"), "statusEn");
	assert.deepEqual({ ...check.flagEn }, pick(labels.flags, "en"), "flagEn");
	assert.deepEqual({ ...check.flagZh }, pick(labels.flags, "zh"), "flagZh");
});

test("browser-15 no console errors or page errors on any page under the site's CSP", () => {
	assert.deepEqual(problems, []);
});
