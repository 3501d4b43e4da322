// The briefing pack's search, offline: the matching of coalition_atlas/search.py (Arabic as
// people type it: hamza forms of alef, ى/ي, ة/ه, diacritics and tatweel, Arabic-Indic digits,
// the article and clitics; English case-folded with a few suffixes stripped), over the items
// the pack holds (data: #ca-search-data). Results are built with DOM calls and textContent;
// the marks cover the words as the text writes them (offsets into the text as written).
(function () {
  "use strict";
  var root = document.documentElement;
  var section = document.getElementById("search");
  var box = document.getElementById("ca-search-box");
  var status = document.getElementById("ca-search-status");
  var out = document.getElementById("ca-search-results");
  var holder = document.getElementById("ca-search-data");
  if (!section || !box || !holder) { return; }
  var data = JSON.parse(holder.textContent);
  var words = data.words;
  var KINDS = ["events", "passages", "places", "figures"];
  var SHOWN = 8;
  var EXACT = 1, STEM = 0.85, PREFIX = 0.6;
  var STOP = {};
  data.stop.forEach(function (w) { STOP[w] = true; });

  var DROP = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g;
  // a number with its separators, or a run of letters and marks (as search.py's _TOKEN)
  var TOKEN = /\p{Nd}+(?:[.,\u066B\u066C]\p{Nd}+)*|(?:(?!\p{Nd})[\p{L}\p{N}]|[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED])+/gu;
  var ARABIC = /^[\u0600-\u06FF]/;
  var EN_SUFFIXES = [["ational", "ate"], ["ations", "ate"], ["ation", "ate"], ["ments", ""], ["ment", ""],
    ["ings", ""], ["ing", ""], ["ies", "y"], ["ied", "y"], ["ed", ""], ["sses", "ss"], ["shes", "sh"],
    ["ches", "ch"], ["xes", "x"], ["ly", ""], ["s", ""]];

  function fold(text) {
    var s = text.replace(DROP, "").replace(/[\u0623\u0625\u0622\u0671]/g, "\u0627")
      .replace(/\u0649/g, "\u064A").replace(/\u0629/g, "\u0647")
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/\u066B/g, ".").replace(/\u066C/g, ",").toLowerCase();
    if (/^\d/.test(s)) { s = s.replace(/(\d),(?=\d{3}(?:\D|$))/g, "$1"); }
    return s;
  }

  function stem(word) {
    if (!word || /^\d/.test(word)) { return word; }
    var i;
    if (ARABIC.test(word)) {
      for (i = 0; i < data.prefixes.length; i++) {
        var p = data.prefixes[i];
        if (word.indexOf(p) === 0 && word.length - p.length >= 2) { return word.slice(p.length); }
      }
      if (data.clitics.indexOf(word[0]) >= 0 && word.length >= 4) { return word.slice(1); }
      return word;
    }
    if (word.length <= 3) { return word; }
    for (i = 0; i < EN_SUFFIXES.length; i++) {
      var suf = EN_SUFFIXES[i][0];
      if (word.length - suf.length >= 3 && word.slice(-suf.length) === suf) {
        if (suf === "s" && /(ss|us|is)$/.test(word)) { continue; }
        word = word.slice(0, -suf.length) + EN_SUFFIXES[i][1];
        break;
      }
    }
    if (word.slice(-1) === "e" && word.length > 4) { word = word.slice(0, -1); }
    return word;
  }

  function tokens(text) {
    var found = [], m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      var form = fold(m[0]);
      if (form) { found.push({ start: m.index, end: m.index + m[0].length, form: form, stem: stem(form) }); }
    }
    return found;
  }

  // --- the index, built on first use ---
  var index = null;
  function build() {
    var postings = {}, surface = {};
    data.items.forEach(function (item, i) {
      item.toks = item.f.map(function (field, j) {
        var toks = tokens(field[2]);
        toks.forEach(function (tok) {
          [tok.form, tok.stem].forEach(function (key) {
            var list = postings[key] || (postings[key] = []);
            if (list.length === 0 || list[list.length - 1][0] !== i || list[list.length - 1][1] !== j) { list.push([i, j]); }
          });
          if (!(tok.form in surface)) { surface[tok.form] = field[2].slice(tok.start, tok.end); }
        });
        return toks;
      });
    });
    return { postings: postings, keys: Object.keys(postings).sort(), surface: surface };
  }

  function terms(query) {
    var found = tokens(query.slice(0, 200));
    var kept = found.filter(function (t) { return !STOP[t.form]; });
    if (!kept.length) { kept = found; }
    var seen = {}, list = [];
    kept.forEach(function (t) { if (!seen[t.form]) { seen[t.form] = true; list.push(t); } });
    return list.slice(0, 8);
  }

  function lowerBound(keys, start) {
    var lo = 0, hi = keys.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < start) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }

  function expansions(term) {
    var keys = {};
    keys[term.form] = EXACT;
    if (!(term.stem in keys)) { keys[term.stem] = STEM; }
    [term.form, term.stem].forEach(function (start) {
      if (start.length < 2) { return; }
      for (var k = lowerBound(index.keys, start), n = 0; k < index.keys.length && n < 400; k++, n++) {
        if (index.keys[k].indexOf(start) !== 0) { break; }
        if (!(index.keys[k] in keys)) { keys[index.keys[k]] = PREFIX; }
      }
    });
    Object.keys(keys).forEach(function (k) { if (!index.postings[k]) { delete keys[k]; } });
    return keys;
  }

  function search(query) {
    if (!index) { index = build(); }
    var ts = terms(query);
    var groups = {}, totals = {};
    KINDS.forEach(function (k) { groups[k] = []; totals[k] = 0; });
    if (!ts.length) { return { groups: groups, totals: totals, total: 0, keys: {}, terms: ts }; }
    var allKeys = {}, scores = null;
    ts.forEach(function (term, qi) {
      var keys = expansions(term), best = {};
      Object.keys(keys).forEach(function (key) {
        allKeys[key] = true;
        index.postings[key].forEach(function (pair) {
          var s = keys[key] * data.items[pair[0]].f[pair[1]][3];
          if (!(pair[0] in best) || best[pair[0]] < s) { best[pair[0]] = s; }
        });
      });
      if (qi === 0) { scores = best; return; }
      Object.keys(scores).forEach(function (i) { if (i in best) { scores[i] += best[i]; } else { delete scores[i]; } });
    });
    Object.keys(scores).forEach(function (i) {
      var item = data.items[i];
      groups[item.k].push([scores[i], Number(i)]);
    });
    var total = 0;
    KINDS.forEach(function (k) {
      groups[k].sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      totals[k] = groups[k].length;
      total += groups[k].length;
    });
    return { groups: groups, totals: totals, total: total, keys: allKeys, terms: ts };
  }

  // --- suggestions: the record's words within two edits of a query word ---
  function distance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) { prev.push(j); }
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur.push(Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
      }
      prev = cur;
    }
    return prev[b.length];
  }
  function suggest(ts) {
    var found = [];
    ts.forEach(function (term) {
      if (Object.keys(expansions(term)).length) { return; }
      var near = [];
      Object.keys(index.surface).forEach(function (key) {
        if (key.length < 3 || STOP[key] || Math.abs(key.length - term.form.length) > 2) { return; }
        var d = distance(term.form, key);
        if (d <= 2 && d < term.form.length) { near.push([d, key]); }
      });
      near.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : 1); });
      near.slice(0, 3).forEach(function (n) {
        var word = index.surface[n[1]];
        if (found.indexOf(word) < 0) { found.push(word); }
      });
    });
    return found.slice(0, 5);
  }

  // --- drawing ---
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function say(key, values) {
    return words[key].replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }
  function snippet(text, toks, keys) {
    var spans = toks.filter(function (t) { return keys[t.form] || keys[t.stem]; });
    var p = el("bdi", "ca-hit-text");
    var lo = 0, hi = text.length, width = 90;
    if (spans.length && text.length > 2 * width + 40) {
      lo = Math.max(0, spans[0].start - width);
      hi = Math.min(text.length, spans[0].end + width);
      var sp = text.indexOf(" ", lo);
      if (lo > 0 && sp >= 0 && sp < spans[0].start) { lo = sp + 1; }
      sp = text.lastIndexOf(" ", hi);
      if (hi < text.length && sp > spans[0].end) { hi = sp; }
    }
    if (lo > 0) { p.appendChild(document.createTextNode("…")); }
    var at = lo;
    spans.forEach(function (s) {
      if (s.start < at || s.end > hi) { return; }
      p.appendChild(document.createTextNode(text.slice(at, s.start)));
      p.appendChild(el("mark", "ca-hl", text.slice(s.start, s.end)));
      at = s.end;
    });
    p.appendChild(document.createTextNode(text.slice(at, hi)));
    if (hi < text.length) { p.appendChild(document.createTextNode("…")); }
    return p;
  }
  function hit(i, keys) {
    var item = data.items[i];
    var li = el("li", "ca-hit");
    var a = el("a", "ca-hit-link", item.t);
    a.href = "#" + item.a;
    li.appendChild(a);
    if (item.m) { li.appendChild(el("span", "ca-meta", " · " + item.m)); }
    var shown = item.f.map(function (field, j) { return [field, item.toks[j]]; })
      .filter(function (ft) { return ft[1].some(function (t) { return keys[t.form] || keys[t.stem]; }); })
      .sort(function (x, y) { return ((x[0][1] !== data.lang) - (y[0][1] !== data.lang)) || (y[0][3] - x[0][3]); })
      .slice(0, 2);
    shown.forEach(function (ft) {
      var p = el("p", "ca-hit-snip");
      p.appendChild(el("span", "ca-hit-field", words["field_" + ft[0][0]] + " "));
      var s = snippet(ft[0][2], ft[1], keys);
      s.setAttribute("dir", ft[0][1] === "ar" ? "rtl" : "ltr");
      s.setAttribute("lang", ft[0][1]);
      p.appendChild(s);
      li.appendChild(p);
    });
    return li;
  }
  function show(query) {
    var started = performance.now();
    out.textContent = "";
    var q = query.trim();
    if (!q) { status.textContent = ""; root.setAttribute("data-ca-search", "idle"); return; }
    var found = search(q);
    if (!found.total) {
      status.textContent = say("search_none", { q: q });
      var near = suggest(found.terms);
      var p = el("p", "ca-search-suggest", near.length ? words.search_nearest + " " : words.search_no_nearest);
      near.forEach(function (word, k) {
        var b = el("button", "ca-suggest", word);
        b.type = "button";
        b.addEventListener("click", function () { box.value = word; show(word); });
        p.appendChild(b);
        if (k < near.length - 1) { p.appendChild(document.createTextNode(" ")); }
      });
      out.appendChild(p);
    } else {
      status.textContent = say("search_results", { n: found.total, q: q });
      KINDS.forEach(function (k) {
        if (!found.totals[k]) { return; }
        var group = el("div", "ca-search-group ca-search-" + k);
        group.appendChild(el("h3", null, words["search_" + k] + " (" + found.totals[k] + ")"));
        var list = el("ul", "ca-hits");
        found.groups[k].slice(0, SHOWN).forEach(function (row) { list.appendChild(hit(row[1], found.keys)); });
        group.appendChild(list);
        if (found.totals[k] > SHOWN) { group.appendChild(el("p", "ca-meta", say("search_more", { n: found.totals[k] - SHOWN }))); }
        out.appendChild(group);
      });
    }
    var took = performance.now() - started;
    root.setAttribute("data-ca-search", "done");
    root.setAttribute("data-ca-search-ms", took.toFixed(1));
  }

  var pending = null;
  box.addEventListener("input", function () {
    if (pending) { clearTimeout(pending); }
    pending = setTimeout(function () { pending = null; show(box.value); }, 120);
  });
  box.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { if (pending) { clearTimeout(pending); pending = null; } show(box.value); }
  });
  section.hidden = false;
  // the index is built once the page is drawn, before the first query needs it
  setTimeout(function () { if (!index) { index = build(); } root.setAttribute("data-ca-search", "ready"); }, 0);
})();
