// Site search in the browser: the index is built by sitegen (site/search.c)
// and this file uses the very same tokenizer.  Chinese text is indexed as
// single characters and overlapping pairs, so any substring of two or more
// characters is found through its pairs and one character through itself;
// ASCII letters and digits form lower-case words.  Candidates from the
// index are then checked against the text itself, so a result always
// contains what was asked for.
(function (global) {
	"use strict";

	function isHan(c) {
		return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
			(c >= 0x20000 && c <= 0x3134f);
	}

	// The character as the tokenizer sees it: full-width ASCII folded,
	// ASCII letters lower-cased.
	function fold(c) {
		if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
		if (c >= 0x41 && c <= 0x5a) c += 0x20;
		return c;
	}

	function isWordChar(c) {
		return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
	}

	// Every token of text, in order, with repeats (same as search_tokens()).
	function tokens(text) {
		var out = [], word = "", prevHan = 0;
		for (var ch of text) {
			var c = fold(ch.codePointAt(0));
			if (isWordChar(c)) {
				word += String.fromCodePoint(c);
				prevHan = 0;
				continue;
			}
			if (word) { out.push(word); word = ""; }
			if (isHan(c)) {
				out.push(String.fromCodePoint(c));
				if (prevHan) out.push(String.fromCodePoint(prevHan, c));
				prevHan = c;
			} else {
				prevHan = 0;
			}
		}
		if (word) out.push(word);
		return out;
	}

	// The pieces a result must contain: Chinese runs and words, folded.
	function pieces(query) {
		var out = [], run = "", word = "";
		for (var ch of query) {
			var c = fold(ch.codePointAt(0));
			if (isWordChar(c)) { if (run) { out.push(run); run = ""; } word += String.fromCodePoint(c); continue; }
			if (word) { out.push(word); word = ""; }
			if (isHan(c)) run += String.fromCodePoint(c);
			else if (run) { out.push(run); run = ""; }
		}
		if (run) out.push(run);
		if (word) out.push(word);
		return out;
	}

	// The index tokens to look up for a query: a lone character itself,
	// longer Chinese runs by their pairs, words as they are.
	function queryTokens(query) {
		var seen = {}, out = [];
		pieces(query).forEach(function (piece) {
			var chars = Array.from(piece);
			var list = isHan(chars[0].codePointAt(0)) && chars.length > 1 ?
				tokens(piece).filter(function (t) { return Array.from(t).length === 2; }) :
				[piece];
			list.forEach(function (t) { if (!seen[t]) { seen[t] = 1; out.push(t); } });
		});
		return out;
	}

	function foldText(text) {
		var out = "";
		for (var ch of text) out += String.fromCodePoint(fold(ch.codePointAt(0)));
		return out;
	}

	// FNV-1a over the token's UTF-8 bytes (same as search_hash()).
	function hash(token) {
		var bytes = new TextEncoder().encode(token), h = 0x811c9dc5;
		for (var i = 0; i < bytes.length; i++) {
			h ^= bytes[i];
			h = Math.imul(h, 0x01000193) >>> 0;
		}
		return h >>> 0;
	}

	global.SiteSearch = { tokens: tokens, queryTokens: queryTokens, pieces: pieces, hash: hash, foldText: foldText };

	// The certificates of a registry result (a document's fifth member,
	// written by site/regpages.c) as a list with their statuses; the one
	// whose number the query names first.
	function certificates(data, query) {
		if (!data.length) {
			var none = document.createElement("p");
			none.className = "result-certs result-none";
			none.textContent = "现不持有证书（证书已转移到其他组织）";
			return none;
		}
		var wanted = foldText(query).toUpperCase().replace(/\s+/g, "");
		var rows = data.slice().sort(function (a, b) {
			var am = wanted && a[0].indexOf(wanted) >= 0 ? 0 : 1;
			var bm = wanted && b[0].indexOf(wanted) >= 0 ? 0 : 1;
			return am - bm;
		});
		var ul = document.createElement("ul");
		ul.className = "result-certs";
		rows.forEach(function (c) {
			var li = document.createElement("li");
			var a = document.createElement("a");
			a.href = new URL("registry/certificates/" + c[0] + "/", siteRoot).href;
			a.textContent = c[0];
			li.appendChild(a);
			li.appendChild(document.createTextNode(" "));
			li.appendChild(badge("status status-" + c[1], c[2]));
			(c[3] ? c[3].split(" ") : []).forEach(function (flag, i) {
				li.appendChild(document.createTextNode(" "));
				li.appendChild(badge("flag flag-" + flag, c[4].split(" ")[i]));
			});
			ul.appendChild(li);
		});
		return ul;
	}

	function badge(className, text) {
		var span = document.createElement("span");
		span.className = className;
		span.textContent = text;
		return span;
	}

	var cache = {}, base = null, siteRoot = null;
	// A file of the index at `at` (a URL; the page's own index when
	// undefined).
	function fetchJSON(name, at) {
		var url = new URL(name, at || base).href;
		if (!cache[url]) {
			cache[url] = fetch(url).then(function (r) {
				if (!r.ok) throw new Error(name + ": " + r.status);
				return r.json();
			});
		}
		return cache[url];
	}

	function intersect(a, b) {
		var out = [], i = 0, j = 0;
		while (i < a.length && j < b.length) {
			if (a[i] === b[j]) { out.push(a[i]); i++; j++; }
			else if (a[i] < b[j]) i++;
			else j++;
		}
		return out;
	}

	function postings(meta, token, at) {
		var shard = hash(token) % meta.index_shards;
		var name = "index-" + (shard < 10 ? "0" : "") + shard + ".json";
		return fetchJSON(name, at).then(function (index) {
			var gaps = index[token] || [], docs = [], last = 0;
			for (var i = 0; i < gaps.length; i++) { last += gaps[i]; docs.push(last); }
			return docs;
		});
	}

	// The documents holding every piece of query, best first: title
	// matches, then headings, then text; from the index at `at` (a URL),
	// else the page's own.  A promise.
	function find(query, at) {
		var want = queryTokens(query), need = pieces(query);
		if (!want.length) return Promise.resolve([]);
		return fetchJSON("meta.json", at).then(function (meta) {
			return Promise.all(want.map(function (t) { return postings(meta, t, at); })).then(function (lists) {
				var docs = lists.reduce(intersect).slice(0, 500);
				var shards = {};
				docs.forEach(function (d) { shards[Math.floor(d / meta.docs_per_shard)] = 1; });
				return Promise.all(Object.keys(shards).map(function (s) {
					var n = String(s);
					while (n.length < 3) n = "0" + n;
					return fetchJSON("docs-" + n + ".json", at).then(function (arr) { return [Number(s), arr]; });
				})).then(function (loaded) {
					var byShard = {};
					loaded.forEach(function (x) { byShard[x[0]] = x[1]; });
					var results = [];
					docs.forEach(function (d) {
						var doc = byShard[Math.floor(d / meta.docs_per_shard)][d % meta.docs_per_shard];
						var title = foldText(doc[1]), heading = foldText(doc[2]), body = foldText(doc[3]);
						var all = title + "\n" + heading + "\n" + body;
						if (!need.every(function (p) { return all.indexOf(p) >= 0; })) return;
						var rank = need.every(function (p) { return title.indexOf(p) >= 0; }) ? 0 :
							need.every(function (p) { return heading.indexOf(p) >= 0; }) ? 1 : 2;
						results.push({ doc: doc, rank: rank, order: d, needle: need[0] });
					});
					results.sort(function (a, b) { return a.rank - b.rank || a.order - b.order; });
					return results;
				});
			});
		});
	}

	global.SiteSearch.find = find;
	global.SiteSearch.certificates = function (data, query) { return certificates(data, query); };

	if (typeof document === "undefined") return;

	var script = document.currentScript;
	base = new URL("../search/", script ? script.src : location.href);
	siteRoot = new URL("../", script ? script.src : location.href);
	global.SiteSearch.siteRoot = siteRoot;
	// An English page searches the English index (its <html data-search>),
	// whose addresses are below /en/, and speaks English.
	var en = document.documentElement.lang === "en";
	var langIndex = document.documentElement.getAttribute("data-search");
	var pageRoot = siteRoot;
	if (langIndex) {
		base = new URL(langIndex, location.href);
		pageRoot = new URL("../", base);
	}
	function t(zh, english) { return en ? english : zh; }
	var input = document.getElementById("search-q");
	var status = document.getElementById("search-status");
	var list = document.getElementById("search-results");
	if (!input || !status || !list) return;

	function snippet(text, needle) {
		var folded = foldText(text), at = folded.indexOf(needle);
		var chars = Array.from(text);
		var start = at < 0 ? 0 : Array.from(text.slice(0, at)).length;
		var from = Math.max(0, start - 30), len = Array.from(needle).length;
		var p = document.createElement("p");
		p.className = "search-snippet";
		p.appendChild(document.createTextNode((from > 0 ? "…" : "") + chars.slice(from, start).join("")));
		if (at >= 0) {
			var mark = document.createElement("mark");
			mark.textContent = chars.slice(start, start + len).join("");
			p.appendChild(mark);
		}
		var rest = chars.slice(start + (at >= 0 ? len : 0), start + len + 80);
		p.appendChild(document.createTextNode(rest.join("") + (start + len + 80 < chars.length ? "…" : "")));
		return p;
	}

	function show(query, results) {
		list.textContent = "";
		status.textContent = en ?
			(results.length ?
				"“" + query + "”: " + results.length + (results.length === 1 ? " place" : " places") + " found" + (results.length >= 50 ? " (the first 50 are listed)" : "") :
				"“" + query + "” was not found.") :
			(results.length ?
				"“" + query + "”：找到 " + results.length + " 处" + (results.length >= 50 ? "（只列出前 50 处）" : "") :
				"没有找到“" + query + "”。");
		results.slice(0, 50).forEach(function (r) {
			var li = document.createElement("li");
			var a = document.createElement("a");
			a.href = new URL(r.doc[0], r.doc[4] ? siteRoot : pageRoot).href;
			a.textContent = r.doc[1] + (r.doc[2] ? " › " + r.doc[2] : "");
			var h = document.createElement("h2");
			h.appendChild(a);
			li.appendChild(h);
			if (r.doc[4]) {
				li.className = "search-registry";
				li.appendChild(certificates(r.doc[4], query));
				if (foldText(r.doc[1]).indexOf(r.needle) < 0)
					li.appendChild(snippet(r.doc[3] || r.doc[2], r.needle));
			} else {
				li.appendChild(snippet(r.doc[3] || r.doc[2] || r.doc[1], r.needle));
			}
			list.appendChild(li);
		});
	}

	function run(query) {
		if (!queryTokens(query).length) {
			status.textContent = t("请输入要搜索的中文或英文。", "Type the words to search for.");
			list.textContent = "";
			return;
		}
		status.textContent = t("正在搜索……", "Searching…");
		find(query).then(function (results) { show(query, results); }).catch(function (e) {
			status.textContent = t("搜索索引无法读取：", "The search index could not be read: ") + e.message;
		});
	}

	var query = new URLSearchParams(location.search).get("q") || "";
	input.value = query;
	var header = document.getElementById("site-search-q");
	if (header) header.value = query;
	if (query) run(query);
	else status.textContent = t("输入中文或英文词语，例如“年检”或“CISP”。", "Type a word, for example “annual check” or “CISP”.");
})(typeof window !== "undefined" ? window : globalThis);
