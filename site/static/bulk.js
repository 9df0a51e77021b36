// The bulk check page: paste up to 100 certificate numbers or credit codes
// and get a table of their statuses from the registry's API
// (GET /v1/certificates?number=A,B,C), without reloading the page.  The
// table is the one registryd writes without JavaScript (registry/api/
// check.c): same rows, same words.  It can be printed and downloaded as
// CSV (the same call with format=csv).
(function () {
	"use strict";
	var MAX = 100;
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
		count.textContent = n ? n + " 项" + (n > MAX ? "，超过 " + MAX + " 项，请分批核验" : "") : "";
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

	function words(date) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
		return m ? Number(m[1]) + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : date;
	}

	function timeWords(stamp) {
		var t = new Date(stamp);
		if (isNaN(t)) return stamp;
		var cst = new Date(t.getTime() + 8 * 3600 * 1000);
		var pad = function (n) { return (n < 10 ? "0" : "") + n; };
		return cst.getUTCFullYear() + "年" + (cst.getUTCMonth() + 1) + "月" + cst.getUTCDate() + "日 " +
			pad(cst.getUTCHours()) + ":" + pad(cst.getUTCMinutes());
	}

	function render(body, list, csv) {
		var div = el("div", "bulk-answer");
		div.dataset.answered = "browser";
		var found = body.results.filter(function (r) { return r.found; }).length;
		div.appendChild(el("p", "bulk-summary", "共 " + body.entries + " 项，找到 " + found + " 项，未找到 " +
			(body.entries - found) + " 项。"));
		var snap = el("p", "bulk-snapshot", "状态截至 " + words(body.as_of) + "；名录快照于 " +
			timeWords(body.published_at) + " 发布（北京时间），SHA-256 ");
		snap.appendChild(el("code", "sha256", body.sha256));
		div.appendChild(snap);
		var actions = el("p", "bulk-actions");
		var a = link(csv, "下载 CSV");
		a.className = "bulk-csv";
		a.setAttribute("download", "");
		actions.appendChild(a);
		div.appendChild(actions);
		var table = el("table", "bulk-table");
		table.id = "bulk-table";
		table.appendChild(el("caption", null, "核验结果"));
		var head = el("thead"), hr = el("tr");
		["输入", "证书编号", "获证组织", "状态", "有效期"].forEach(function (h) {
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
				cell(tr, "输入", list[i]);
				var td = cell(tr, "结果", el("span", "status status-not_found", "未找到"));
				td.colSpan = 4;
				td.appendChild(document.createTextNode(" " + (r.note || "")));
				tbody.appendChild(tr);
				return;
			}
			r.certificates.forEach(function (c) {
				var tr = el("tr");
				tr.dataset.status = c.status;
				cell(tr, "输入", list[i]);
				cell(tr, "证书编号", link(new URL("registry/certificates/" + c.number + "/", root).href, c.number));
				cell(tr, "获证组织", link(new URL("registry/organisations/" + c.organisation.id + "/", root).href,
					c.organisation.name));
				var st = cell(tr, "状态");
				st.appendChild(el("span", "status status-" + c.status, c.status_label));
				c.flags.forEach(function (f) {
					st.appendChild(document.createTextNode(" "));
					st.appendChild(el("span", "flag flag-" + f, FLAGS[f] || f));
				});
				cell(tr, "有效期", c.validity_label).className = "cell-validity";
				tbody.appendChild(tr);
			});
		});
		table.appendChild(tbody);
		div.appendChild(table);
		results.textContent = "";
		results.appendChild(div);
		showPrint();
	}

	// The flags' words, as registry/rules/label.c has them.
	var FLAGS = {
		warning: "警告（12 个月内）",
		rectification: "限期整改中",
		annual_check_overdue: "年检逾期",
		rectification_overdue: "整改逾期",
	};

	function message(text) {
		results.textContent = "";
		var div = el("div", "bulk-answer");
		div.dataset.answered = "browser";
		div.appendChild(el("p", "bulk-summary", text));
		results.appendChild(div);
		showPrint();
	}

	function run(list) {
		if (!list.length) { message("请粘贴证书编号或统一社会信用代码。"); return; }
		if (list.length > MAX) { message("一次最多核验 " + MAX + " 项，现有 " + list.length + " 项，请分批核验。"); return; }
		var joined = sent(list).join(",");
		var api = new URL("v1/certificates?number=" + encodeURIComponent(joined), root).href;
		var csv = new URL("v1/certificates?format=csv&number=" + encodeURIComponent(joined), root).href;
		message("正在核验……");
		fetch(api).then(function (r) {
			if (!r.ok) throw new Error(r.status);
			return r.json();
		}).then(function (body) {
			render(body, list, csv);
			history.replaceState(null, "", "?numbers=" + encodeURIComponent(list.join("\n")));
		}).catch(function (e) {
			message("名录接口无法访问（" + e.message + "）：批量核验需要名录接口；请在获证组织名录中逐个查找。");
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
