// Live SMS lint for guide step texts: GSM-7 / UCS-2, segments, characters to replace.
// A small port of guides/sms.py (the server's validator is the truth; this only helps while typing).
// Each textarea says its language's budget (data-sms-max) and SMS spelling (data-sms-spelling, JSON):
// Turkish is counted after ş -> s, ğ -> g, ı -> i, as it is sent.
(function () {
  "use strict";
  const BASIC = new Set(Array.from(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"));
  const EXTENDED = new Set(Array.from("\f^{}\\[~]|€"));
  const SUGGEST = {"ë": "e", "ï": "i", "ê": "e", "ô": "o", "û": "u", "î": "i", "â": "a", "ç": "c",
    "Ë": "E", "Ï": "I", "Ê": "E", "Ô": "O", "Û": "U", "Î": "I", "Â": "A", "À": "A", "È": "E",
    "á": "a", "í": "i", "ó": "o", "ú": "u", "œ": "oe", "Œ": "OE", "\u2018": "'", "\u2019": "'",
    "\u201a": "'", "\u201c": "\"", "\u201d": "\"", "\u201e": "\"", "«": "\"", "»": "\"", "\u2026": "...",
    "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\u202f": " "};
  const DEFAULT_MAX_SEGMENTS = 2;
  const INVISIBLE = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;

  function spell(text, spelling) {
    let out = text;
    for (const [from, to] of Object.entries(spelling)) out = out.split(from).join(to);
    return out;
  }

  function policyOf(area) {
    let spelling = {};
    try { spelling = JSON.parse(area.dataset.smsSpelling || "{}"); } catch (e) { spelling = {}; }
    const max = parseInt(area.dataset.smsMax || "", 10);
    return {max: Number.isFinite(max) ? max : DEFAULT_MAX_SEGMENTS, spelling: spelling,
      ucs2: area.dataset.smsEncoding === "ucs2"};
  }

  function countParts(units, single, part) {
    const total = units.reduce((a, b) => a + b, 0);
    if (total <= single) return 1;
    let parts = 1, used = 0;
    for (const cost of units) {
      if (used + cost > part) { parts += 1; used = 0; }
      used += cost;
    }
    return parts;
  }

  function segmentInfo(text) {
    const chars = Array.from(text);
    const outside = [...new Set(chars.filter((c) => !BASIC.has(c) && !EXTENDED.has(c)))];
    if (outside.length === 0) {
      const septets = chars.map((c) => (EXTENDED.has(c) ? 2 : 1));
      return {encoding: "GSM-7", segments: countParts(septets, 160, 153), length: septets.reduce((a, b) => a + b, 0), ucs2: []};
    }
    const units = chars.map((c) => (c.codePointAt(0) > 0xFFFF ? 2 : 1));
    return {encoding: "UCS-2", segments: countParts(units, 70, 67), length: units.reduce((a, b) => a + b, 0), ucs2: outside};
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function lint(area) {
    const box = document.querySelector('[data-lint-for="' + area.name + '"]');
    if (!box) return;
    const policy = policyOf(area);
    const sent = spell((area.dataset.smsBefore || "") + area.value + (area.dataset.smsAfter || ""), policy.spelling);
    const info = segmentInfo(sent);
    const ucs2Language = policy.ucs2;
    box.replaceChildren();
    const better = Math.max(1, policy.max - 1);
    const level = info.segments > policy.max ? "bad"
      : (info.segments > better || (info.encoding !== "GSM-7" && !ucs2Language)) ? "warn" : "ok";
    const summary = el("span", "segments " + level,
      info.segments + (info.segments === 1 ? " sms-deel" : " sms-delen") + " bij verzending (" + info.length + " tekens, " + info.encoding + ", max " + policy.max + ")");
    box.appendChild(summary);
    if (info.segments > policy.max) box.appendChild(el("div", "bad too-long", "Te lang: het maximum is " + policy.max + " sms-delen."));
    const hidden = area.value.match(INVISIBLE);
    if (hidden) box.appendChild(el("div", "bad invisible", "Onzichtbare tekens (" + hidden.length + "): haal ze weg; ze kosten UCS-2 en tonen als vakjes."));
    if (info.ucs2.length && !ucs2Language) {
      const list = info.ucs2.map((c) => "'" + c + "'" + (SUGGEST[c] !== undefined ? " (schrijf '" + SUGGEST[c] + "')" : " (schrijf het anders)"));
      box.appendChild(el("div", "warn ucs2-warning", "Speciale tekens: " + list.join(", ") +
        ". Daardoor telt elk sms-deel maar 70 tekens in plaats van 160 (UCS-2)."));
      const marked = el("div", "marked");
      for (const c of Array.from(area.value)) {
        if (info.ucs2.includes(c)) marked.appendChild(el("mark", "ucs2", c));
        else marked.appendChild(document.createTextNode(c));
      }
      box.appendChild(marked);
    }
  }

  for (const area of document.querySelectorAll("textarea.sms-text")) {
    area.addEventListener("input", () => lint(area));
    lint(area);
  }
  window.digibuurSegmentInfo = segmentInfo;
})();
