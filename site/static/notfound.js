// The site's 404 page and the registry's not-found page: at a certificate's
// address (registry/certificates/<number>/) that is not in the registry,
// say so plainly, with the number; a number written another way (lower
// case, without CNITSEC-, full-width) goes to its page when there is one.
// In the page's language: Chinese, or English on the English edition's
// pages; the language switch goes to the same address in the other.
(function () {
	"use strict";
	var en = document.documentElement.lang === "en";
	var missingTitle = en ? "Certificate not in the registry" : "证书不在名录中";
	var box = document.getElementById("registry-404");
	var match = /\/registry\/certificates\/([^/]+)\/?$/.exec(location.pathname);
	var number = match ? decodeURIComponent(match[1]) : new URLSearchParams(location.search).get("number");
	if (!number) return;
	var canon = number.trim();
	if (window.SiteCheck) {
		var what = window.SiteCheck.classify(number);
		if (what.kind === "number") canon = what.out;
	} else {
		canon = canon.toUpperCase();
		if (/^[A-Z]{2}[1-5]-/.test(canon)) canon = "CNITSEC-" + canon;
	}
	function show() {
		document.querySelectorAll('[data-fill="number"]').forEach(function (e) { e.textContent = canon; });
		var other = document.querySelector(".lang-switch");
		if (other && match && /registry\/not-found\/$/.test(other.getAttribute("href") || ""))
			other.setAttribute("href", other.getAttribute("href").replace(/registry\/not-found\/$/,
				"registry/certificates/" + match[1] + "/"));
		if (!box) return;
		box.hidden = false;
		var title = document.getElementById("notfound-title");
		if (title) title.textContent = missingTitle;
		document.title = missingTitle + " · " + document.title.replace(/^[^·]*·\s*/, "");
		var generic = document.getElementById("notfound-generic");
		if (generic) generic.hidden = true;
	}
	if (match && canon !== match[1]) {
		// Another spelling of a number that has a page?
		var page = location.pathname.replace(/[^/]+\/?$/, encodeURIComponent(canon) + "/");
		fetch(page, { method: "HEAD" }).then(function (r) {
			if (r.ok) location.replace(page);
			else show();
		}).catch(show);
		return;
	}
	if (match || !box) show();
})();
