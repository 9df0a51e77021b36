// The one box to check a provider, and what people type into it: the same
// rules as registry/rules/lookup.c (tested against tests/rules/lookup.json).
// With registryd the box's form is answered by the server; this script
// adds live answers as you type, and on a static host (no registryd)
// answers /registry/check/?q=... itself from the search index.  On the
// English edition's pages (<html lang="en">) it speaks English and links
// to the English pages; the registry's names are in the Chinese index.
(function (global) {
	"use strict";

	var PREFIX = "CNITSEC-";

	// Full-width ASCII, the ideographic space and dashes, as ASCII.
	function foldChar(c) {
		if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
		if (c === 0x3000) return " ";
		if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe58 || c === 0xfe63) return "-";
		return null;
	}

	function fold(text) {
		var out = "";
		for (var ch of text) {
			var f = foldChar(ch.codePointAt(0));
			out += f === null ? ch : f;
		}
		return out.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
	}

	var SHORT = /^[A-Z]{2}[1-5]-\d{4}-\d{4,6}$/;

	// {kind: "empty" | "number" | "credit_code" | "text", out: what to look up}
	function classify(text) {
		var folded = fold(text);
		if (!folded) return { kind: "empty", out: "" };
		var upper = folded.replace(/[ \t\r\n]/g, "").toUpperCase();
		if (upper.indexOf(PREFIX) === 0 && SHORT.test(upper.slice(PREFIX.length)))
			return { kind: "number", out: upper };
		if (SHORT.test(upper)) return { kind: "number", out: PREFIX + upper };
		if (/^[0-9A-Z]{18}$/.test(upper)) return { kind: "credit_code", out: upper };
		// eslint-disable-next-line no-control-regex
		if (/[^\x00-\x7f]/.test(folded))
			return { kind: "text", out: text.replace(/^[ \t\r\n\u3000]+|[ \t\r\n\u3000]+$/g, "") };
		return { kind: "text", out: folded };
	}

	// The entries of a pasted list.
	function split(text) {
		return text.split(/[,; \t\r\n/|\uff0c\uff1b\u3001\u3000\uff0f]+/).filter(function (e) { return e !== ""; });
	}

	function el(tag, className, text) {
		var e = document.createElement(tag);
		if (className) e.className = className;
		if (text !== undefined) e.textContent = text;
		return e;
	}

	// The words of registry/rules/label.c (tested against
	// tests/rules/labels.json): English for statuses, both languages for
	// flags.
	var STATUS_EN = {
		not_issued: "not issued", valid: "valid", suspended: "suspended", revoked: "revoked",
		expired: "expired", superseded: "superseded",
	};
	var FLAG_EN = {
		warning: "warning (within 12 months)", rectification: "rectification ordered",
		rectification_overdue: "rectification overdue", annual_check_overdue: "annual check overdue",
	};
	var FLAG_ZH = {
		warning: "警告（12 个月内）", rectification: "限期整改中",
		rectification_overdue: "整改逾期", annual_check_overdue: "年检逾期",
	};

	// Status and flag badges, as registry/api/check.c writes them (c:
	// [number, status, label, flags, flag labels, ...]; English words
	// when `english`).
	function badges(parent, c, english) {
		parent.appendChild(el("span", "status status-" + c[1], english ? STATUS_EN[c[1]] || c[1] : c[2]));
		var labels = c[4] ? c[4].split(" ") : [];
		(c[3] ? c[3].split(" ") : []).forEach(function (flag, i) {
			parent.appendChild(document.createTextNode(" "));
			parent.appendChild(el("span", "flag flag-" + flag, english ? FLAG_EN[flag] || flag : labels[i]));
		});
	}

	global.SiteCheck = {
		fold: fold, classify: classify, split: split, badges: badges, el: el,
		statusEn: STATUS_EN, flagEn: FLAG_EN, flagZh: FLAG_ZH,
	};

	if (typeof document === "undefined") return;

	var input = document.getElementById("check-q");
	var live = document.getElementById("check-live");
	var results = document.getElementById("check-results");
	if (!input || !global.SiteSearch || !global.SiteSearch.find) return;
	var root = global.SiteSearch.siteRoot;
	var en = document.documentElement.lang === "en";
	var pages = en ? "en/" : "";
	var registryIndex = new URL("search/", root);

	function certPage(number) { return new URL(pages + "registry/certificates/" + number + "/", root).href; }

	// The certificates the search index gives for q: [{org, url, c}].
	function lookup(q) {
		var what = classify(q);
		if (what.kind === "empty") return Promise.resolve({ what: what, rows: [] });
		return global.SiteSearch.find(what.out, registryIndex).then(function (found) {
			var rows = [];
			found.forEach(function (r) {
				if (!r.doc[4]) return;
				r.doc[4].forEach(function (c) {
					var ok = what.kind === "number" ? c[0] === what.out :
						what.kind === "credit_code" ? r.doc[2] === what.out : true;
					if (what.kind === "text" && /^[A-Za-z0-9-]+$/.test(what.out) &&
						global.SiteSearch.foldText(r.doc[1]).indexOf(what.out.toLowerCase()) < 0)
						ok = c[0].indexOf(what.out.toUpperCase()) >= 0;
					if (ok) rows.push({ org: r.doc[1], url: new URL(pages + r.doc[0], root).href, c: c });
				});
			});
			return { what: what, rows: rows };
		});
	}

	function item(row) {
		var li = el("li", "check-item");
		li.dataset.status = row.c[1];
		var name = el("p", "check-name");
		var a = el("a", null, row.org);
		a.href = row.url;
		name.appendChild(a);
		name.appendChild(document.createTextNode(" "));
		badges(name, row.c, en);
		var facts = el("p", "check-facts");
		var n = el("a", null, row.c[0]);
		n.href = certPage(row.c[0]);
		facts.appendChild(n);
		facts.appendChild(document.createTextNode(en ? " · level " + row.c[7] :
			" · " + row.c[6] + " " + row.c[7] + "级 · " + row.c[5]));
		li.appendChild(name);
		li.appendChild(facts);
		return li;
	}

	function list(rows, max) {
		var ol = el("ol", "check-list");
		rows.slice(0, max).forEach(function (row) { ol.appendChild(item(row)); });
		return ol;
	}

	// Live answers under the box as one types.
	var timer = null, asked = "";
	function update() {
		var q = input.value;
		var what = classify(q);
		if (!live) return;
		if (what.kind === "empty" || (what.kind === "text" && Array.from(what.out).length < 2)) {
			live.textContent = "";
			asked = "";
			return;
		}
		asked = q;
		lookup(q).then(function (answer) {
			if (asked !== q) return;
			live.textContent = "";
			if (!answer.rows.length) {
				live.appendChild(el("p", "check-summary check-none", en ?
					"“" + q.trim() + "” is not in the registry. Press “Check” for what to do." :
					"名录中没有找到“" + q.trim() + "”。按“核验”查看说明。"));
				return;
			}
			var n = answer.rows.length;
			live.appendChild(el("p", "check-summary", en ?
				(n > 8 ? "The first 8 of " + n + " matching certificates:" :
					n + (n === 1 ? " matching certificate:" : " matching certificates:")) :
				(n > 8 ? "前 8 张，共 " + n + " 张证书相符：" : n + " 张证书相符：")));
			live.appendChild(list(answer.rows, 8));
		}).catch(function () { live.textContent = ""; });
	}
	input.addEventListener("input", function () {
		clearTimeout(timer);
		timer = setTimeout(update, 150);
	});

	// A static host: the check page answers ?q= itself.
	var pending = results && results.querySelector('[data-answered="none"]');
	var q = new URLSearchParams(location.search).get("q");
	if (!pending || !q) return;
	input.value = q;
	lookup(q).then(function (answer) {
		if (answer.rows.length === 1) { location.replace(answer.rows[0].c && certPage(answer.rows[0].c[0])); return; }
		if (!answer.rows.length && answer.what.kind === "number") { location.replace(certPage(answer.what.out)); return; }
		var div = el("div", "check-answer");
		div.dataset.answered = "browser";
		if (!answer.rows.length) {
			var none = el("p", "check-summary check-none", en ?
				"“" + q.trim() + "” is not in the registry. Check the name or number for typing errors: a certificate number looks like CNITSEC-CS1-2024-0001, and a unified social credit code has 18 characters. If someone claims to be certified under it, ask the issuing body (see " :
				"名录中没有找到“" + q.trim() + "”。请核对名称或编号是否输错；证书编号形如 CNITSEC-CS1-2024-0001，统一社会信用代码为 18 位。若有人以此声称获证，请向发证机构核实（见");
			var contact = el("a", null, en ? "contact" : "联系方式");
			contact.href = new URL(pages + "contact/", root).href;
			none.appendChild(contact);
			none.appendChild(document.createTextNode(en ? ")." : "）。"));
			div.appendChild(none);
		} else {
			var more = answer.rows.length > 20, shown = Math.min(answer.rows.length, 20);
			div.appendChild(el("p", "check-summary", en ?
				"“" + q.trim() + "”: " + (more ? "the first " : "") + shown + (shown === 1 ? " certificate found." : " certificates found.") :
				"“" + q.trim() + "”：" + (more ? "列出前" : "找到") + " " + shown + " 张证书。"));
			div.appendChild(list(answer.rows, 20));
		}
		pending.replaceWith(div);
	}).catch(function (e) {
		pending.querySelector("p").textContent = (en ? "The registry's index could not be read: " : "名录索引无法读取：") + e.message;
	});
})(typeof window !== "undefined" ? window : globalThis);
