// The self-assessment checklist: remembers which requirements the reader
// ticked, in this browser's localStorage only.  The page works without it
// (the boxes can still be ticked, and printed).
(function () {
	"use strict";
	var KEY = "checklist:v1";
	var form = document.getElementById("checklist");
	var status = document.getElementById("checklist-status");
	if (!form) return;

	function load() {
		try {
			return JSON.parse(window.localStorage.getItem(KEY)) || {};
		} catch (e) {
			return {};
		}
	}

	function save(state) {
		try {
			window.localStorage.setItem(KEY, JSON.stringify(state));
		} catch (e) {
			/* storage full or disabled: ticks last for this visit only */
		}
	}

	function boxes() {
		return form.querySelectorAll("input[type=checkbox]");
	}

	function report() {
		var all = boxes(), done = 0;
		for (var i = 0; i < all.length; i++) if (all[i].checked) done++;
		status.textContent = document.documentElement.lang === "en" ?
			done + " of " + all.length + " ticked (kept in this browser)" :
			"已勾选 " + done + " / " + all.length + " 项（保存在本浏览器中）";
	}

	var state = load();
	var all = boxes();
	for (var i = 0; i < all.length; i++) all[i].checked = state[all[i].name] === true;
	report();

	form.addEventListener("change", function (event) {
		var box = event.target;
		if (box.type !== "checkbox") return;
		var current = load();
		if (box.checked) current[box.name] = true;
		else delete current[box.name];
		save(current);
		report();
	});
	form.addEventListener("reset", function () {
		save({});
		window.setTimeout(report, 0);
	});
})();
