// The certification timeline: from an issue date, the annual confirmation
// windows, the renewal window and the expiry, by the same rules as the
// registry (registry/status.c); both pass tests/rules/windows.json.
(function (global) {
	"use strict";

	// Dates are whole days since 1970-01-01, in UTC to avoid time zones.
	function parse(text) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
		if (!m) return null;
		var y = +m[1], mo = +m[2], d = +m[3];
		var t = Date.UTC(y, mo - 1, d);
		var back = new Date(t);
		if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
		return t / 86400000;
	}

	function format(day) {
		var d = new Date(day * 86400000);
		function two(n) { return (n < 10 ? "0" : "") + n; }
		return d.getUTCFullYear() + "-" + two(d.getUTCMonth() + 1) + "-" + two(d.getUTCDate());
	}

	// The same month and day `years` on; 29 February falls back to 28.
	function addYears(day, years) {
		var d = new Date(day * 86400000);
		var y = d.getUTCFullYear() + years, m = d.getUTCMonth(), dd = d.getUTCDate();
		if (m === 1 && dd === 29 && new Date(Date.UTC(y, 1, 29)).getUTCMonth() !== 1) dd = 28;
		return Date.UTC(y, m, dd) / 86400000;
	}

	function compute(issuedText) {
		var issued = parse(issuedText);
		if (issued === null) return null;
		var validUntil = addYears(issued, 3) - 1;
		var annual = [1, 2].map(function (k) {
			var anniversary = addYears(issued, k);
			return [format(anniversary - 30), format(anniversary - 1)];
		});
		return {
			issued_on: format(issued),
			valid_until: format(validUntil),
			annual: annual,
			renewal: [format(validUntil - 90), format(validUntil)]
		};
	}

	global.SiteTimeline = { compute: compute };

	if (typeof document === "undefined") return;
	var form = document.getElementById("timeline-form");
	var input = document.getElementById("timeline-issued");
	var result = document.getElementById("timeline-result");
	var status = document.getElementById("timeline-status");
	if (!form || !input || !result) return;
	form.hidden = false;

	function row(what, from, to) {
		var tr = document.createElement("tr");
		[what, from, to].forEach(function (text, i) {
			var cell = document.createElement(i === 0 ? "th" : "td");
			if (i === 0) cell.scope = "row";
			if (i > 0 && text) {
				var t = document.createElement("time");
				t.dateTime = text;
				t.textContent = text;
				cell.appendChild(t);
			} else {
				cell.textContent = text;
			}
			tr.appendChild(cell);
		});
		return tr;
	}

	var en = document.documentElement.lang === "en";
	function say(zh, english) { return en ? english : zh; }

	function show() {
		var t = compute(input.value);
		result.textContent = "";
		if (!t) {
			status.textContent = say("请输入有效的颁发日期，例如 2017-10-01。", "Type a valid issue date, for example 2017-10-01.");
			return;
		}
		status.textContent = (en ? "For a certificate issued on " + t.issued_on + ":" : "证书颁发日期为 " + t.issued_on + " 时：");
		result.appendChild(row(say("第 1 年年检（提交年度调查表）", "Annual check, year 1 (annual questionnaire)"), t.annual[0][0], t.annual[0][1]));
		result.appendChild(row(say("第 2 年年检（提交年度调查表）", "Annual check, year 2 (annual questionnaire)"), t.annual[1][0], t.annual[1][1]));
		result.appendChild(row(say("维持换证申请", "Application for renewal"), t.renewal[0], t.renewal[1]));
		result.appendChild(row(say("证书有效期届满", "Certificate expires"), t.valid_until, ""));
	}

	form.addEventListener("submit", function (e) { e.preventDefault(); show(); });
	input.addEventListener("change", show);
})(typeof window !== "undefined" ? window : globalThis);
