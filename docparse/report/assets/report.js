/* docparse review report: filters over the findings, lazy document sections. Text goes in with textContent only. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var STATUS = {done: "đã hoàn thành", in_progress: "đang thực hiện", not_started: "chưa thực hiện", unknown: "chưa rõ"};
  var SOURCE = {symbol: "theo ký hiệu", citation: "theo câu viện dẫn", citing_document: "suy ra từ văn bản viện dẫn",
                header: "theo phần đầu văn bản", unknown: "không xác định"};
  var HOW = {share: "", "tăng": " (mức tăng)", "giảm": " (mức giảm)"};
  var $ = function (id) { return document.getElementById(id); };
  var findings = Array.prototype.slice.call(document.querySelectorAll("li.finding"));
  var cards = Array.prototype.slice.call(document.querySelectorAll("details.doc"));

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function vnDate(iso) {
    if (!iso) return "";
    var p = iso.split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : p.reverse().join("/");
  }
  function docLink(i) {
    var a = el("a", {href: "#doc-" + i}, DATA.docs[i] ? DATA.docs[i].l : "#" + i);
    return a;
  }

  /* ---- filters ---- */
  function applyFilters() {
    var code = $("f-code").value, sev = $("f-severity").value, doc = $("f-doc").value, shown = 0;
    findings.forEach(function (li) {
      var ok = (!code || li.dataset.code === code) && (!sev || li.dataset.severity === sev) &&
               (!doc || (" " + li.dataset.docs + " ").indexOf(" " + doc + " ") >= 0);
      li.hidden = !ok;
      if (ok) shown++;
    });
    cards.forEach(function (c) { c.hidden = !!doc && c.dataset.doc !== doc; });
    $("f-count").textContent = shown + " / " + findings.length + " phát hiện";
  }
  function setFilter(id, value) {
    var sel = $(id);
    if (!Array.prototype.some.call(sel.options, function (o) { return o.value === value; })) return;
    sel.value = value;
    applyFilters();
    $("phat-hien").scrollIntoView();
  }
  ["f-code", "f-severity", "f-doc"].forEach(function (id) { $(id).addEventListener("change", applyFilters); });
  $("f-reset").addEventListener("click", function () {
    $("f-code").value = $("f-severity").value = $("f-doc").value = "";
    applyFilters();
  });
  document.addEventListener("click", function (ev) {
    var t = ev.target.closest("[data-set-code],[data-set-severity],[data-set-doc]");
    if (!t) return;
    if (t.dataset.setCode !== undefined) setFilter("f-code", t.dataset.setCode);
    else if (t.dataset.setSeverity !== undefined) setFilter("f-severity", t.dataset.setSeverity);
    else setFilter("f-doc", t.dataset.setDoc);
  });

  /* ---- lazy document sections ---- */
  function table(head, rows) {
    var t = el("table"), thead = el("thead"), tr = el("tr"), tbody = el("tbody");
    head.forEach(function (h) { tr.appendChild(el("th", null, h)); });
    thead.appendChild(tr); t.appendChild(thead);
    rows.forEach(function (r) { tbody.appendChild(r); });
    t.appendChild(tbody);
    return t;
  }
  function row(cells, cls) {
    var tr = el("tr", cls ? {"class": cls} : null);
    cells.forEach(function (c) {
      var td = el("td");
      if (c instanceof Node) td.appendChild(c); else td.textContent = c === null || c === undefined ? "" : String(c);
      tr.appendChild(td);
    });
    return tr;
  }
  function citations(d, box) {
    if (!d.c.length) return;
    var n = d.c.reduce(function (s, c) { return s + c[8]; }, 0);
    box.appendChild(el("h4", null, "Văn bản được viện dẫn (" + n + " lần, " + d.c.length + " dòng)"));
    box.appendChild(table(["Văn bản", "Ngày", "Quan hệ", "Cơ quan ban hành (giả định)", "Trong bộ văn bản", "Số lần"],
      d.c.map(function (c) {
        var label = c[0] + (c[6] ? " (chính văn bản này)" : "") + (c[7] ? " → " + c[7] : "");
        var auth = c[3] ? c[3] + " (" + (SOURCE[c[4]] || c[4]) + ")" : "—";
        return row([label, c[1] || "—", c[2] || "—", auth, c[5] >= 0 ? docLink(c[5]) : "—", c[8]]);
      })));
  }
  function timeline(d, box) {
    var pts = d.t.filter(function (t) { return t[5]; });
    if (!pts.length) return;
    var times = pts.map(function (t) { return Date.parse(t[5]); });
    if (d.d) times.push(Date.parse(d.d));
    var lo = Math.min.apply(null, times), hi = Math.max.apply(null, times), span = Math.max(hi - lo, 864e5);
    var pos = function (iso) { return ((Date.parse(iso) - lo) / span * 100).toFixed(2) + "%"; };
    var tl = el("div", {"class": "timeline", role: "img",
                        "aria-label": "Mốc thời hạn của " + pts.length + " nhiệm vụ so với ngày văn bản"});
    tl.appendChild(el("div", {"class": "axis"}));
    if (d.d) {
      var dd = el("div", {"class": "docdate", style: "left:" + pos(d.d)});
      dd.appendChild(el("span", null, "Ngày văn bản " + vnDate(d.d)));
      tl.appendChild(dd);
    }
    pts.forEach(function (t) {
      tl.appendChild(el("div", {"class": "dot st-" + (t[6] || "none") + (t[7] ? " overdue" : ""), style: "left:" + pos(t[5]),
        title: "Nhiệm vụ " + (t[0] || "") + ": hạn cuối " + vnDate(t[5]) + (t[6] ? " — " + STATUS[t[6]] : "") +
               (t[7] ? " — QUÁ HẠN" : "") + "\n" + t[1]}));
    });
    tl.appendChild(el("div", {"class": "tick", style: "left:0"}, vnDate(new Date(lo).toISOString().slice(0, 10))));
    tl.appendChild(el("div", {"class": "tick end", style: "right:0"}, vnDate(new Date(lo + span).toISOString().slice(0, 10))));
    box.appendChild(tl);
    var legend = el("div", {"class": "legend"}, "Chấm: hạn cuối của từng nhiệm vụ; nét đứt: ngày văn bản.");
    [["#2e7d32", "đã hoàn thành"], ["#f0a500", "đang thực hiện"], ["#b71c1c", "chưa thực hiện / quá hạn (viền đỏ)"],
     ["#9aa3af", "không có cột trạng thái"]].forEach(function (l) {
      legend.appendChild(el("i", {style: "background:" + l[0]})); legend.appendChild(document.createTextNode(l[1]));
    });
    box.appendChild(legend);
  }
  function tasks(d, box) {
    if (!d.t.length) return;
    var late = d.t.filter(function (t) { return t[7]; }).length;
    box.appendChild(el("h4", null, "Nhiệm vụ (" + d.t.length + ")" + (late ? " — " + late + " quá hạn" : "")));
    timeline(d, box);
    box.appendChild(table(["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Trạng thái"], d.t.map(function (t) {
      var last = t[5] ? vnDate(t[5]) : "";
      var unpad = function (x) { return x.replace(/(^|\D)0(\d)/g, "$1$2"); };  // 31/03/2025 is written 31/3/2025
      var said = last && unpad(t[4]).indexOf(unpad(last)) >= 0;
      var when = el("span", null, (t[4] || "—") + (last && !said ? " (hạn cuối " + last + ")" : ""));
      if (t[7]) when.appendChild(el("span", {"class": "tag-overdue"}, "quá hạn"));
      var r = row([t[0], t[1] + (t[8] === "prose" ? " [giao trong văn bản]" : ""), t[2] || "—", t[3] || "—", when,
                   t[6] ? STATUS[t[6]] : "—"], "st-" + (t[6] || "none") + (t[7] ? " overdue" : ""));
      r.lastChild.className = "st";
      return r;
    })));
  }
  function ratios(d, box) {
    if (!d.r.length) return;
    box.appendChild(el("h4", null, "Tỷ lệ được tính lại (" + d.r.length + ")"));
    box.appendChild(table(["Số liệu", "Nội dung", "Tử số / mẫu số", "Tính lại", "Văn bản ghi", "Kết quả"], d.r.map(function (r) {
      var verdict = r[7] === null ? el("span", null, "—") :
        el("span", {"class": r[7] ? "ok" : "bad"}, r[7] ? "✓ khớp" : "✗ không khớp");
      return row([r[0], r[1] || "—", r[2] + " / " + r[3], r[4] + (HOW[r[6]] || ""), r[5] || "—", verdict]);
    })));
  }
  function render(card) {
    var box = card.querySelector(".lazy");
    if (!box || box.dataset.done) return;
    var d = DATA.docs[+card.dataset.doc];
    citations(d, box); tasks(d, box); ratios(d, box);
    if (!box.childNodes.length) box.appendChild(el("p", {"class": "hint"}, "Văn bản này không có viện dẫn, nhiệm vụ hay tỷ lệ nào."));
    box.dataset.done = "1";
  }
  cards.forEach(function (c) { c.addEventListener("toggle", function () { if (c.open) render(c); }); });

  function openFromHash() {
    var m = /^#doc-(\d+)$/.exec(location.hash);
    if (!m) return;
    var card = $("doc-" + m[1]);
    if (!card) return;
    card.hidden = false;
    card.open = true;
    render(card);
    card.scrollIntoView();
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();
  applyFilters();
})();
