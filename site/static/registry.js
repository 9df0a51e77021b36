// The registry list, improved: filters the table in place by text, status,
// level and category.  Without it the page still lists every certificate
// and links to pre-rendered filtered lists.
(function () {
	"use strict";
	var form = document.getElementById("registry-filter");
	var table = document.getElementById("registry-table");
	var count = document.getElementById("registry-count");
	if (!form || !table) return;
	form.hidden = false;
	var rows = Array.prototype.slice.call(table.tBodies[0].rows);
	var text = document.getElementById("filter-text");
	var selects = {
		status: document.getElementById("filter-status"),
		level: document.getElementById("filter-level"),
		category: document.getElementById("filter-category")
	};

	function apply() {
		var needle = text.value.trim().toLowerCase(), shown = 0;
		rows.forEach(function (row) {
			var ok = Object.keys(selects).every(function (key) {
				return !selects[key].value || row.dataset[key] === selects[key].value;
			});
			if (ok && needle) ok = row.textContent.toLowerCase().indexOf(needle) >= 0;
			row.hidden = !ok;
			if (ok) shown++;
		});
		count.textContent = document.documentElement.lang === "en" ?
			shown + " of " + rows.length + " certificates shown" :
			"显示 " + shown + " / " + rows.length + " 张证书";
	}

	form.addEventListener("input", apply);
	form.addEventListener("change", apply);
	form.addEventListener("submit", function (e) { e.preventDefault(); });
})();
