// The certificate page's receipt, verified in the browser: the same checks
// as `registryctl verify` (registry/log/receipt.h), with SHA-256 and
// Ed25519 from WebCrypto.  The page holds the registry's verifier key
// (data-key) and the receipt's address (data-receipt); the result, and
// each check with its result, are written into the page.  A receipt file
// chosen by the reader is checked the same way.  Without this script the
// page still offers the receipt for download and says how to check it.
(function () {
	"use strict";
	var box = document.querySelector(".receipt[data-receipt]");
	if (!box || !window.crypto || !window.crypto.subtle || !window.TextEncoder || !window.fetch) return;
	var subtle = window.crypto.subtle;
	var enc = new TextEncoder();
	var LABELS = {
		receipt: "凭证格式", checkpoint: "检查点", signature: "签名", snapshot: "名录快照",
		"leaf-hash": "记录哈希", inclusion: "包含证明", entry: "记录内容", order: "记录顺序",
		certificate: "记录归属", status: "证书状态", holder: "持证组织",
	};
	var STATUS_ZH = {
		not_issued: "尚未颁发", valid: "有效", suspended: "暂停", revoked: "已取消",
		expired: "已过期", superseded: "已换发",
	};
	function statusWord(s) { return STATUS_ZH[s] || s; }
	// The kinds and their labels (registry/rules/label.c).
	var KINDS = {
		"org-add": "登记组织", "org-rename": "名称变更", "org-address": "地址变更", "org-name-en": "英文名称登记",
		issue: "颁发证书", "annual-check": "年检", warn: "警告", rectify: "限期整改",
		"rectify-close": "整改完成", suspend: "暂停证书", reinstate: "恢复证书",
		revoke: "取消证书", transfer: "证书转移", renew: "维持换证", upgrade: "升级", void: "更正",
	};

	function bytesOfBase64(text) {
		if (typeof text !== "string" || !/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text))
			throw new Error("不是规范的 base64");
		var bin = atob(text), out = new Uint8Array(bin.length);
		for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
		return out;
	}
	function concat() {
		var n = 0, i, at = 0;
		for (i = 0; i < arguments.length; i++) n += arguments[i].length;
		var out = new Uint8Array(n);
		for (i = 0; i < arguments.length; i++) { out.set(arguments[i], at); at += arguments[i].length; }
		return out;
	}
	function equal(a, b) {
		if (a.length !== b.length) return false;
		for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
		return true;
	}
	function sha256(bytes) {
		return subtle.digest("SHA-256", bytes).then(function (d) { return new Uint8Array(d); });
	}
	function node(left, right) { return sha256(concat(new Uint8Array([1]), left, right)); }

	// RFC 9162 2.1.3.2, in BigInt so that sizes up to 2^63 are exact.
	async function rootFromInclusion(index, size, leaf, proof) {
		if (index >= size) throw new Error("序号 " + index + " 不小于树的大小 " + size);
		var fn = index, sn = size - 1n, r = leaf;
		for (var i = 0; i < proof.length; i++) {
			if (sn === 0n) throw new Error("证明多出 " + (proof.length - i) + " 个哈希");
			if ((fn & 1n) === 1n || fn === sn) {
				r = await node(proof[i], r);
				while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
			} else {
				r = await node(r, proof[i]);
			}
			fn >>= 1n; sn >>= 1n;
		}
		if (sn !== 0n) throw new Error("证明缺少哈希");
		return r;
	}

	// The signed note: text, a blank line, signature lines "— name base64".
	function parseNote(note) {
		var cut = note.lastIndexOf("\n\n");
		if (cut < 0 || note[note.length - 1] !== "\n") throw new Error("不是签名的文本");
		var text = note.slice(0, cut + 1), sigs = note.slice(cut + 2).split("\n");
		sigs.pop();
		var lines = text.split("\n");
		lines.pop();
		if (lines.length !== 4) throw new Error("检查点应有 4 行，而有 " + lines.length + " 行");
		var m = /^snapshot (\d{4}-\d{2}-\d{2}) sha256:([0-9a-f]{64})$/.exec(lines[3]);
		if (!/^[1-9][0-9]*$|^0$/.test(lines[1]) || !m) throw new Error("检查点的格式不对");
		var root = bytesOfBase64(lines[2]);
		if (root.length !== 32) throw new Error("根哈希不是 32 字节");
		return {
			text: text, origin: lines[0], size: BigInt(lines[1]), root: root, date: m[1], sha256: m[2],
			signatures: sigs.map(function (s) {
				var p = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(s);
				if (!p) throw new Error("签名行的格式不对");
				return { name: p[1], sig: bytesOfBase64(p[2]) };
			}),
		};
	}

	// "name+hash+base64(0x01 || key)"
	async function parseKey(text) {
		var p = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text || "");
		if (!p) throw new Error("不是验证公钥");
		var raw = bytesOfBase64(p[3]);
		if (raw.length !== 33 || raw[0] !== 1) throw new Error("不是 Ed25519 公钥");
		var hash = await sha256(concat(enc.encode(p[1] + "\n"), raw));
		var hex = Array.prototype.map.call(hash.slice(0, 4), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
		if (hex !== p[2]) throw new Error("公钥哈希与公钥不符");
		return { name: p[1], hash: hash.slice(0, 4), key: raw.slice(1) };
	}

	// An entry (registry/log/entry.h): version 1, then tag, length, value.
	var FIELDS = [null, "seq", "kind", "number", "organisation_id", "effective_on", "recorded_at",
		"reason", "reference", "deadline", "target_seq", "old_value", "new_value",
		"other_organisation_id", "other_number"];
	function decodeEntry(bytes) {
		if (bytes.length < 1 || bytes[0] !== 1) throw new Error("不是第 1 版的记录");
		var at = 1, last = 0, e = {}, dec = new TextDecoder("utf-8", { fatal: true });
		while (at < bytes.length) {
			if (at + 3 > bytes.length) throw new Error("记录在第 " + at + " 字节处截断");
			var tag = bytes[at], len = (bytes[at + 1] << 8) | bytes[at + 2];
			if (tag <= last || tag >= FIELDS.length) throw new Error("第 " + at + " 字节处的字段顺序不对");
			if (at + 3 + len > bytes.length) throw new Error("记录在第 " + at + " 字节处截断");
			e[FIELDS[tag]] = dec.decode(bytes.subarray(at + 3, at + 3 + len));
			last = tag; at += 3 + len;
		}
		["seq", "kind", "effective_on", "recorded_at"].forEach(function (f) {
			if (!(f in e)) throw new Error("记录缺少 " + f);
		});
		if (!Object.prototype.hasOwnProperty.call(KINDS, e.kind)) throw new Error("未知的事件类型 " + e.kind);
		e.seq = Number(e.seq);
		return e;
	}

	function addYearsMinusDay(date, years) {
		var y = +date.slice(0, 4) + years, m = +date.slice(5, 7), d = +date.slice(8, 10);
		if (m === 2 && d === 29 && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) d = 28;
		var t = new Date(Date.UTC(y, m - 1, d) - 86400000);
		return t.toISOString().slice(0, 10);
	}

	// The status word on `day` by the registry's rules (rules/status.h):
	// revoked, superseded, suspended, expired, valid; not issued before.
	function statusOn(events, day) {
		var voided = {}, suspended = false, revoked = false, superseded = false;
		events.forEach(function (e) { if (e.kind === "void") voided[e.target_seq] = true; });
		events.forEach(function (e) {
			if (voided[e.seq] || e.effective_on > day) return;
			if (e.kind === "revoke") revoked = true;
			else if (e.kind === "renew" || e.kind === "upgrade") superseded = true;
			else if (e.kind === "suspend") suspended = true;
			else if (e.kind === "reinstate") suspended = false;
		});
		var first = events.filter(function (e) { return e.kind === "issue"; })[0];
		if (!first || day < first.effective_on) return "not_issued";
		if (revoked) return "revoked";
		if (superseded) return "superseded";
		if (suspended) return "suspended";
		if (day > addYearsMinusDay(first.effective_on, 3)) return "expired";
		return "valid";
	}

	async function verify(json, keyText) {
		var checks = [];
		function add(name, ok, detail, subject) { checks.push({ name: name, ok: ok, detail: detail, subject: subject || "" }); }
		var r;
		try {
			r = JSON.parse(json);
			if (!r || r.receipt !== 1 || typeof r.number !== "string" || !Array.isArray(r.events) ||
				typeof r.checkpoint !== "string" || !r.status || typeof r.status.status !== "string")
				throw new Error("缺少凭证的字段");
			add("receipt", true, "证书 " + r.number + " 截至 " + r.as_of + " 的凭证，" + r.events.length + " 条记录");
		} catch (err) {
			add("receipt", false, "不是名录的凭证：" + err.message);
			return checks;
		}
		var cp = null;
		try { cp = parseNote(r.checkpoint); add("checkpoint", true, cp.origin + "，" + cp.size + " 条记录"); }
		catch (err) { add("checkpoint", false, err.message); }
		try {
			var key = await parseKey(keyText);
			if (!cp) throw new Error("没有可核对的检查点");
			var signed = false;
			for (var i = 0; i < cp.signatures.length; i++) {
				var s = cp.signatures[i];
				if (s.name !== key.name || s.sig.length !== 68 || !equal(s.sig.slice(0, 4), key.hash)) continue;
				var k = await subtle.importKey("raw", key.key, { name: "Ed25519" }, false, ["verify"]);
				if (!(await subtle.verify({ name: "Ed25519" }, k, s.sig.slice(4), enc.encode(cp.text))))
					throw new Error("签名与名录公钥不符");
				signed = true;
			}
			if (!signed) throw new Error("检查点没有名录公钥 " + key.name + " 的签名");
			add("signature", true, "由名录公钥 " + keyText + " 签名");
		} catch (err) { add("signature", false, err.message); }
		if (cp) {
			if (cp.date === r.as_of && cp.sha256 === r.snapshot_sha256)
				add("snapshot", true, cp.date + " 的名录快照，SHA-256 " + cp.sha256);
			else add("snapshot", false, "凭证的日期或快照摘要与检查点不符");
		}
		var entries = [], lastIndex = -1n, lastSeq = -1, ordered = true;
		for (var j = 0; j < r.events.length; j++) {
			var ev = r.events[j], subject = "第 " + (j + 1) + " 条", bytes, e = null;
			try {
				bytes = bytesOfBase64(ev.entry);
				var leaf = await sha256(concat(new Uint8Array([0]), bytes));
				if (!equal(leaf, bytesOfBase64(ev.leaf_hash))) throw new Error("记录的哈希与 leaf_hash 不符：记录被改动过");
				add("leaf-hash", true, "哈希相符", subject);
				try {
					if (!cp) throw new Error("没有检查点");
					var index = BigInt(ev.index);
					var root = await rootFromInclusion(index, cp.size, leaf, (ev.proof || []).map(bytesOfBase64));
					if (!equal(root, cp.root)) throw new Error("包含证明通向另一个根哈希");
					add("inclusion", true, "是签名日志中的第 " + (index + 1n) + " 条记录", subject);
				} catch (err) { add("inclusion", false, err.message, subject); }
			} catch (err) { add("leaf-hash", false, err.message, subject); }
			try {
				e = decodeEntry(bytes || bytesOfBase64(ev.entry));
				add("entry", true, KINDS[e.kind] + "，" + e.effective_on, subject);
				entries.push(e);
			} catch (err) { add("entry", false, err.message, subject); }
			var idx = typeof ev.index === "number" ? BigInt(ev.index) : -1n;
			if (idx <= lastIndex || (e && e.seq <= lastSeq)) ordered = false;
			lastIndex = idx;
			if (e) lastSeq = e.seq;
		}
		add("order", ordered, ordered ? "按日志顺序排列" : "记录的顺序被打乱");
		var own = entries.filter(function (e) { return e.number === r.number; });
		var holders = {}, holder = null;
		own.forEach(function (e) {
			if (e.kind === "issue" || e.kind === "transfer") { holders[e.organisation_id] = true; holder = e.organisation_id; }
			if (e.kind === "transfer") holders[e.other_organisation_id] = true;
		});
		var strays = entries.filter(function (e) {
			return e.number !== r.number && !(e.number === undefined && holders[e.organisation_id] &&
				/^org-/.test(e.kind));
		});
		var issued = own.some(function (e) { return e.kind === "issue"; });
		add("certificate", issued && strays.length === 0, !issued ? "没有颁发记录" :
			strays.length ? "有不属于这张证书的记录" : "每条记录都属于这张证书或其持证组织");
		var word = statusOn(own, r.as_of);
		add("status", word === r.status.status, word === r.status.status ?
			"截至 " + r.as_of + " 为「" + statusWord(word) + "」，与记录推出的一致" :
			"凭证写的是「" + statusWord(r.status.status) + "」，记录推出的是「" + statusWord(word) + "」");
		var name = null;
		entries.forEach(function (e) {
			if (e.number === undefined && e.organisation_id === holder && (e.kind === "org-add" || e.kind === "org-rename")) name = e.new_value;
		});
		var h = r.holder || {};
		var holderOk = String(h.organisation_id) === String(holder) && (h.name === null ? name === null : h.name === name);
		add("holder", holderOk, holderOk ? "持证组织与记录一致" : "持证组织与记录不符");
		r.checkpointInfo = cp;
		checks.receipt = r;
		return checks;
	}

	function words(date) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || "");
		return m ? +m[1] + "年" + +m[2] + "月" + +m[3] + "日" : date;
	}

	function show(checks) {
		var result = box.querySelector(".receipt-result"), list = box.querySelector(".receipt-checks");
		var failed = checks.filter(function (c) { return !c.ok; })[0];
		var r = checks.receipt;
		list.textContent = "";
		checks.forEach(function (c) {
			var li = document.createElement("li");
			li.className = c.ok ? "check-ok" : "check-failed";
			li.setAttribute("data-check", c.name);
			li.textContent = (c.ok ? "通过 " : "未通过 ") + LABELS[c.name] + (c.subject ? "（" + c.subject + "）" : "") + "：" + c.detail;
			list.appendChild(li);
		});
		list.hidden = false;
		if (failed) {
			result.className = "receipt-result receipt-failed";
			result.setAttribute("data-failed", failed.name);
			result.textContent = "未通过验证：" + LABELS[failed.name] + (failed.subject ? "（" + failed.subject + "）" : "") +
				"——" + failed.detail + "。这份凭证不能证明名录的记录。";
		} else {
			result.className = "receipt-result receipt-ok";
			result.removeAttribute("data-failed");
			result.textContent = "已验证：与 " + words(r.checkpointInfo.date) + "签名的名录一致，第 " +
				r.checkpointInfo.size + " 条记录";
		}
	}

	function run(text) {
		var key = box.getAttribute("data-key");
		return verify(text, key).then(show, function (err) {
			show([{ name: "receipt", ok: false, detail: err.message, subject: "" }]);
		});
	}

	var result = box.querySelector(".receipt-result");
	result.textContent = "正在核对凭证……";
	fetch(box.getAttribute("data-receipt"), { cache: "no-store" })
		.then(function (resp) {
			if (!resp.ok) throw new Error("无法取得凭证（" + resp.status + "）");
			return resp.text();
		})
		.then(run, function (err) { result.textContent = err.message; });
	var file = box.querySelector(".receipt-file");
	if (file) {
		file.hidden = false;
		file.querySelector("input").addEventListener("change", function (ev) {
			var f = ev.target.files && ev.target.files[0];
			if (f) f.text().then(run);
		});
	}
})();
