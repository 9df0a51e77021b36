// The bulk check page: paste up to 100 certificate numbers or credit codes
// and get a table of their statuses from the registry's API
// (GET /v1/certificates?number=A,B,C), without reloading the page.  The
// table is the one registryd writes without JavaScript (registry/api/
// check.c): same rows, same words.  It can be printed and downloaded as
// CSV (the same call with format=csv).  On the English edition's pages
// (<html lang="en">) in English, linking to the English pages.
(function () {
	"use strict";
	var MAX = 100;
	var en = document.documentElement.lang === "en";
	var pages = en ? "en/" : "";
	var W = en ? {
		input: "Entered", number: "Certificate number", holder: "Organisation", status: "Status",
		validity: "Validity", result: "Result", notFound: "not found", csv: "Download CSV",
		caption: "Results of the check",
	} : {
		input: "输入", number: "证书编号", holder: "获证组织", status: "状态", validity: "有效期",
		result: "结果", notFound: "未找到", csv: "下载 CSV", caption: "核验结果",
	};
	var script = document.currentScript;
	var root = new URL("../", script ? script.src : location.href);
	var form = document.getElementById("bulk-form");
	var area = document.getElementById("bulk-numbers");
	var count = document.getElementById("bulk-count");
	var printButton = document.getElementById("bulk-print");
	var results = document.getElementById("bulk-results");
	var check = window.SiteCheck;
	if (!form || !area || !results || !check) return;
	var el = check.el;

	function entries() { return check.split(area.value); }

	// What is sent: numbers and codes in their canonical form.
	function sent(list) {
		return list.map(function (e) {
			var what = check.classify(e);
			return what.kind === "number" || what.kind === "credit_code" ? what.out : e;
		});
	}

	function counted() {
		var n = entries().length;
		count.textContent = !n ? "" : en ?
			n + (n === 1 ? " entry" : " entries") + (n > MAX ? ", more than " + MAX + ": check them in batches" : "") :
			n + " 项" + (n > MAX ? "，超过 " + MAX + " 项，请分批核验" : "");
	}

	function showPrint() {
		printButton.hidden = !results.querySelector("#bulk-table");
	}

	function cell(tr, label, child) {
		var td = el("td");
		td.dataset.label = label;
		if (typeof child === "string") td.textContent = child;
		else if (child) td.appendChild(child);
		tr.appendChild(td);
		return td;
	}

	function link(href, text) {
		var a = el("a", null, text);
		a.href = href;
		return a;
	}

	var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"];

	function words(date) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
		if (!m) return date;
		return en ? Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1] :
			Number(m[1]) + "年" + Number(m[2]) + "月" + Number(m[3]) + "日";
	}

	// What the validity means, as registry/api/check.c says it in English.
	function validityEn(c) {
		var until = words(c.valid_until), since = words(c.status_since);
		if (c.status === "not_issued") return "not issued yet";
		if (c.status === "revoked") return "was valid until " + until + "; revoked on " + since;
		if (c.status === "superseded") return "was valid until " + until + "; replaced by a new certificate on " + since;
		if (c.status === "expired") return "valid until " + until + "; expired";
		return "valid until " + until;
	}

	// What to check about an entry not found (the API says it in Chinese).
	function noteEn(r) {
		if (r.kind === "number")
			return "no certificate in the registry has this number: check it for typing errors, and ask whoever showed the certificate which body issued it";
		if (r.kind === "credit_code")
			return "no organisation in the registry holds this unified social credit code, or it is mistyped: please check it";
		return "this is not a certificate number (such as CNITSEC-CS1-2024-0001) or a unified social credit code (18 characters): please check it";
	}

	function timeWords(stamp) {
		var t = new Date(stamp);
		if (isNaN(t)) return stamp;
		var cst = new Date(t.getTime() + 8 * 3600 * 1000);
		var pad = function (n) { return (n < 10 ? "0" : "") + n; };
		if (en)
			return cst.getUTCDate() + " " + MONTHS[cst.getUTCMonth()] + " " + cst.getUTCFullYear() + ", " +
				pad(cst.getUTCHours()) + ":" + pad(cst.getUTCMinutes());
		return cst.getUTCFullYear() + "年" + (cst.getUTCMonth() + 1) + "月" + cst.getUTCDate() + "日 " +
			pad(cst.getUTCHours()) + ":" + pad(cst.getUTCMinutes());
	}

	function render(body, list, csv) {
		var div = el("div", "bulk-answer");
		div.dataset.answered = "browser";
		var found = body.results.filter(function (r) { return r.found; }).length;
		div.appendChild(el("p", "bulk-summary", en ?
			body.entries + " entered, " + found + " found, " + (body.entries - found) + " not found." :
			"共 " + body.entries + " 项，找到 " + found + " 项，未找到 " + (body.entries - found) + " 项。"));
		var snap = el("p", "bulk-snapshot", en ?
			"Status as of " + words(body.as_of) + "; registry snapshot published " + timeWords(body.published_at) +
				" (China Standard Time), SHA-256 " :
			"状态截至 " + words(body.as_of) + "；名录快照于 " + timeWords(body.published_at) + " 发布（北京时间），SHA-256 ");
		snap.appendChild(el("code", "sha256", body.sha256));
		div.appendChild(snap);
		var actions = el("p", "bulk-actions");
		var a = link(csv, W.csv);
		a.className = "bulk-csv";
		a.setAttribute("download", "");
		actions.appendChild(a);
		div.appendChild(actions);
		var table = el("table", "bulk-table");
		table.id = "bulk-table";
		table.appendChild(el("caption", null, W.caption));
		var head = el("thead"), hr = el("tr");
		[W.input, W.number, W.holder, W.status, W.validity].forEach(function (h) {
			var th = el("th", null, h);
			th.scope = "col";
			hr.appendChild(th);
		});
		head.appendChild(hr);
		table.appendChild(head);
		var tbody = el("tbody");
		body.results.forEach(function (r, i) {
			if (!r.found) {
				var tr = el("tr");
				tr.dataset.status = "not_found";
				cell(tr, W.input, list[i]);
				var td = cell(tr, W.result, el("span", "status status-not_found", W.notFound));
				td.colSpan = 4;
				td.appendChild(document.createTextNode(" " + (en ? noteEn(r) : r.note || "")));
				tbody.appendChild(tr);
				return;
			}
			r.certificates.forEach(function (c) {
				var tr = el("tr");
				tr.dataset.status = c.status;
				cell(tr, W.input, list[i]);
				cell(tr, W.number, link(new URL(pages + "registry/certificates/" + c.number + "/", root).href, c.number));
				cell(tr, W.holder, link(new URL(pages + "registry/organisations/" + c.organisation.id + "/", root).href,
					c.organisation.name));
				var st = cell(tr, W.status);
				st.appendChild(el("span", "status status-" + c.status, en ? check.statusEn[c.status] || c.status : c.status_label));
				c.flags.forEach(function (f) {
					st.appendChild(document.createTextNode(" "));
					st.appendChild(el("span", "flag flag-" + f, (en ? check.flagEn : check.flagZh)[f] || f));
				});
				cell(tr, W.validity, en ? validityEn(c) : c.validity_label).className = "cell-validity";
				tbody.appendChild(tr);
			});
		});
		table.appendChild(tbody);
		div.appendChild(table);
		results.textContent = "";
		results.appendChild(div);
		showPrint();
	}

	function message(text) {
		results.textContent = "";
		var div = el("div", "bulk-answer");
		div.dataset.answered = "browser";
		div.appendChild(el("p", "bulk-summary", text));
		results.appendChild(div);
		showPrint();
	}

	function run(list) {
		if (!list.length) {
			message(en ? "Paste certificate numbers or unified social credit codes." : "请粘贴证书编号或统一社会信用代码。");
			return;
		}
		if (list.length > MAX) {
			message(en ? "At most " + MAX + " can be checked at once; there are " + list.length + ": check them in batches." :
				"一次最多核验 " + MAX + " 项，现有 " + list.length + " 项，请分批核验。");
			return;
		}
		var joined = sent(list).join(",");
		var api = new URL("v1/certificates?number=" + encodeURIComponent(joined), root).href;
		var csv = new URL("v1/certificates?format=csv&number=" + encodeURIComponent(joined), root).href;
		message(en ? "Checking…" : "正在核验……");
		fetch(api).then(function (r) {
			if (!r.ok) throw new Error(r.status);
			return r.json();
		}).then(function (body) {
			render(body, list, csv);
			history.replaceState(null, "", "?numbers=" + encodeURIComponent(list.join("\n")));
		}).catch(function (e) {
			message(en ? "The registry's interface cannot be reached (" + e.message +
				"): the bulk check needs it; look each one up in the registry of certified organisations." :
				"名录接口无法访问（" + e.message + "）：批量核验需要名录接口；请在获证组织名录中逐个查找。");
		});
	}

	area.addEventListener("input", counted);
	printButton.addEventListener("click", function () { window.print(); });
	form.addEventListener("submit", function (e) {
		e.preventDefault();
		run(entries());
	});
	counted();
	showPrint();
	// Opened with ?numbers= where no server answered: answer here.
	var pending = results.querySelector('[data-answered="none"]');
	var given = new URLSearchParams(location.search).get("numbers");
	if (pending && given) {
		area.value = given;
		counted();
		run(entries());
	}
})();
