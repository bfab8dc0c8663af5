// linimasa's embeddable timeline: fetches `/events` (or a saved `/timelines/{slug}`)
// with the filter the server put in `data-src`, and renders each event as an <article>
// in an ordered list. Every piece of event text goes in through textContent or
// attributes set one by one, never as markup: the text comes from news articles and
// must never be able to run as code. Links are kept only when they are http(s).
(function () {
  "use strict";

  var LABELS = {
    en: {
      months: ["January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"],
      seasons: { spring: "spring", summer: "summer", autumn: "autumn", winter: "winter" },
      quarter: function (q, y) { return "Q" + q + " " + y; },
      loading: "Loading events…",
      count: function (n) { return n === 1 ? "1 event" : n + " events"; },
      empty: "No events match this timeline.",
      failed: "The timeline could not be loaded.",
      more: "Load more",
      sources: "Sources",
      regions: "Regions",
      inferred: "inferred",
      inferredTitle: "Part of this date was inferred from the publication date or context",
      newTab: "(opens in a new tab)",
      types: {}
    },
    id: {
      months: ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
        "Agustus", "September", "Oktober", "November", "Desember"],
      seasons: { spring: "musim semi", summer: "musim panas", autumn: "musim gugur", winter: "musim dingin" },
      quarter: function (q, y) { return "kuartal " + ["I", "II", "III", "IV"][q - 1] + " " + y; },
      loading: "Memuat peristiwa…",
      count: function (n) { return n + " peristiwa"; },
      empty: "Tidak ada peristiwa untuk linimasa ini.",
      failed: "Linimasa tidak dapat dimuat.",
      more: "Muat lebih banyak",
      sources: "Sumber",
      regions: "Wilayah",
      inferred: "disimpulkan",
      inferredTitle: "Sebagian tanggal ini disimpulkan dari tanggal terbit atau konteks",
      newTab: "(terbuka di tab baru)",
      types: {
        agree: "sepakat", consult: "konsultasi", support: "dukungan", concede: "konsesi",
        cooperate: "kerja sama", aid: "bantuan", retreat: "mundur", request: "permintaan",
        accuse: "tuduhan", reject: "penolakan", threaten: "ancaman", protest: "protes",
        sanction: "sanksi", mobilize: "mobilisasi", coerce: "paksaan", assault: "serangan"
      }
    },
    ru: {
      // Genitive month names: a date reads "6 августа 2024"; a month alone, nominative.
      months: ["января", "февраля", "марта", "апреля", "мая", "июня", "июля",
        "августа", "сентября", "октября", "ноября", "декабря"],
      monthsAlone: ["январь", "февраль", "март", "апрель", "май", "июнь", "июль",
        "август", "сентябрь", "октябрь", "ноябрь", "декабрь"],
      seasons: { spring: "весна", summer: "лето", autumn: "осень", winter: "зима" },
      quarter: function (q, y) { return q + "-й квартал " + y; },
      loading: "Загрузка событий…",
      count: function (n) {
        var m10 = n % 10, m100 = n % 100;
        if (m10 === 1 && m100 !== 11) return n + " событие";
        if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return n + " события";
        return n + " событий";
      },
      empty: "Нет событий для этой хроники.",
      failed: "Не удалось загрузить хронику.",
      more: "Показать ещё",
      sources: "Источники",
      regions: "Место",
      inferred: "выведено",
      inferredTitle: "Часть даты выведена из даты публикации или контекста",
      newTab: "(откроется в новой вкладке)",
      types: {}
    },
    uk: {
      months: ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня",
        "серпня", "вересня", "жовтня", "листопада", "грудня"],
      monthsAlone: ["січень", "лютий", "березень", "квітень", "травень", "червень", "липень",
        "серпень", "вересень", "жовтень", "листопад", "грудень"],
      seasons: { spring: "весна", summer: "літо", autumn: "осінь", winter: "зима" },
      quarter: function (q, y) { return q + "-й квартал " + y; },
      loading: "Завантаження подій…",
      count: function (n) {
        var m10 = n % 10, m100 = n % 100;
        if (m10 === 1 && m100 !== 11) return n + " подія";
        if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return n + " події";
        return n + " подій";
      },
      empty: "Немає подій для цієї хроніки.",
      failed: "Не вдалося завантажити хроніку.",
      more: "Показати більше",
      sources: "Джерела",
      regions: "Місце",
      inferred: "виведено",
      inferredTitle: "Частину дати виведено з дати публікації або контексту",
      newTab: "(відкриється в новій вкладці)",
      types: {}
    }
  };

  // Meteorological seasons by their first month, as the extractor resolves them.
  var SEASON_OF_MONTH = { 3: "spring", 6: "summer", 9: "autumn", 12: "winter" };

  var root = document.getElementById("timeline");
  var list = document.getElementById("timeline-events");
  var status = document.getElementById("timeline-status");
  var more = document.getElementById("timeline-more");
  if (!root || !list || !status || !more) return;

  var t = LABELS[document.documentElement.lang] || LABELS.en;
  var firstPage = root.getAttribute("data-src") || "";
  var refreshSeconds = parseInt(root.getAttribute("data-refresh") || "", 10);
  var nextUrl = null;
  var pagesLoaded = 0;
  var shown = 0;
  var busy = false;
  var serial = 0;

  // ---- dates ---------------------------------------------------------------------

  function parts(s) {
    var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(typeof s === "string" ? s : "");
    if (!m) return null;
    return { y: +m[1], m: m[2] ? +m[2] : 0, d: m[3] ? +m[3] : 0 };
  }

  function monthName(p) { return t.months[p.m - 1] || String(p.m); }
  function dayText(p) { return p.d + " " + monthName(p) + " " + p.y; }
  function monthText(p) {
    var alone = t.monthsAlone && t.monthsAlone[p.m - 1];
    return (alone || monthName(p)) + " " + p.y;
  }

  function addDays(p, n) {
    var d = new Date(Date.UTC(p.y, p.m - 1, p.d + n));
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
  }

  function dayRange(a, b) {
    if (a.y === b.y && a.m === b.m) {
      return a.d === b.d ? dayText(a) : a.d + "–" + b.d + " " + monthName(a) + " " + a.y;
    }
    if (a.y === b.y) return a.d + " " + monthName(a) + " – " + dayText(b);
    return dayText(a) + " – " + dayText(b);
  }

  function monthRange(a, b) {
    if (a.y === b.y && a.m === b.m) return monthText(a);
    if (a.y === b.y) return monthName(a) + " – " + monthText(b);
    return monthText(a) + " – " + monthText(b);
  }

  function yearRange(a, b) {
    return b && b.y !== a.y ? a.y + "–" + b.y : String(a.y);
  }

  // The date as the text stated it: never more precise than `date_precision`.
  function dateLabel(ev) {
    var a = parts(ev.date);
    var b = parts(ev.end_date);
    if (!a) return typeof ev.date === "string" ? ev.date : "";
    var months = b ? (b.y * 12 + b.m) - (a.y * 12 + a.m) : -1;
    switch (ev.date_precision) {
      case "day":
        if (a.d) return b && b.d ? dayRange(a, b) : dayText(a);
        break;
      case "week":
        if (a.d) return dayRange(a, b && b.d ? b : addDays(a, 6));
        break;
      case "season":
        if (a.m && b && b.m && months === 2 && SEASON_OF_MONTH[a.m]) {
          return t.seasons[SEASON_OF_MONTH[a.m]] + " " + yearRange(a, b);
        }
        break;
      case "quarter":
        if (a.m && (a.m - 1) % 3 === 0 && months === 2) return t.quarter((a.m + 2) / 3, a.y);
        break;
      case "year":
        return yearRange(a, b);
    }
    if (a.d) return b && b.d ? dayRange(a, b) : dayText(a);
    if (a.m) return b && b.m ? monthRange(a, b) : monthText(a);
    return yearRange(a, b);
  }

  // ---- building elements (text only) -------------------------------------------------

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function str(v) { return typeof v === "string" ? v : ""; }

  function httpUrl(u) {
    if (typeof u !== "string") return null;
    try {
      var x = new URL(u);
      return x.protocol === "http:" || x.protocol === "https:" ? x.href : null;
    } catch (e) {
      return null;
    }
  }

  function langTag(v) {
    return typeof v === "string" && /^[a-z]{2,3}$/.test(v) ? v : "";
  }

  function timeEl(iso, text) {
    var e = el("time", null, text);
    if (parts(iso)) e.setAttribute("datetime", iso);
    return e;
  }

  function sourceItem(s) {
    var li = el("li", "source");
    var url = httpUrl(s.url);
    var title = str(s.title).trim();
    var publisher = str(s.publisher).trim();
    var host = "";
    if (url) host = new URL(url).hostname;
    var name = title || publisher || host || t.sources;
    var head;
    if (url) {
      head = el("a", null, name);
      head.href = url;
      head.target = "_blank";
      head.rel = "noopener noreferrer";
      head.appendChild(el("span", "sr-only", " " + t.newTab));
    } else {
      head = el("span", "source-name", name);
    }
    li.appendChild(head);
    var meta = [];
    if (publisher && publisher !== name) meta.push(document.createTextNode(publisher));
    var published = str(s.published_at).slice(0, 10);
    var p = parts(published);
    if (p && p.d) meta.push(timeEl(published, dayText(p)));
    if (meta.length) {
      var span = el("span", "source-meta");
      meta.forEach(function (m, i) {
        if (i) span.appendChild(document.createTextNode(" · "));
        span.appendChild(m);
      });
      li.appendChild(document.createTextNode(" "));
      li.appendChild(span);
    }
    return li;
  }

  function eventItem(ev) {
    serial += 1;
    var li = el("li", "event");
    var art = el("article", "card");
    art.tabIndex = 0;
    if (typeof ev.id === "string") art.setAttribute("data-id", ev.id);
    var headingId = "timeline-event-" + serial;
    art.setAttribute("aria-labelledby", headingId);
    // The headline, names and labels are in the language asked for (`lang`); the
    // summary is in its source's (`language`).
    var lang = langTag(ev.language);
    var headLang = langTag(ev.lang) || lang;

    var when = el("p", "when");
    when.appendChild(timeEl(str(ev.date), dateLabel(ev)));
    if (ev.date_inferred === true) {
      var inf = el("span", "inferred", t.inferred);
      inf.title = t.inferredTitle;
      when.appendChild(document.createTextNode(" "));
      when.appendChild(inf);
    }
    var type = str(ev.event_type);
    if (type) {
      when.appendChild(document.createTextNode(" "));
      when.appendChild(el("span", "type", str(ev.event_type_label) || t.types[type] || type));
    }
    art.appendChild(when);

    var h = el("h2", "title", str(ev.title));
    h.id = headingId;
    if (headLang) h.lang = headLang;
    art.appendChild(h);

    // Where: the towns, then the regions, as the API names them in the page's language.
    var places = Array.isArray(ev.places) ? ev.places : [];
    var regions = Array.isArray(ev.regions) ? ev.regions : [];
    var names = places.concat(regions)
      .map(function (r) { return r && typeof r === "object" ? str(r.name) : ""; })
      .filter(function (n, i, all) { return n && all.indexOf(n) === i; });
    if (names.length) {
      var rp = el("p", "regions");
      if (headLang) rp.lang = headLang;
      rp.appendChild(el("span", "sr-only", t.regions + ": "));
      rp.appendChild(document.createTextNode(names.join(", ")));
      art.appendChild(rp);
    }

    // Most titles are the evidence sentence itself; repeat it only when it says more.
    var summary = str(ev.summary);
    if (summary && summary.replace(/[.!?…\s]+$/, "") !== str(ev.title).replace(/[.!?…\s]+$/, "")) {
      var sp = el("p", "summary", summary);
      if (lang) sp.lang = lang;
      art.appendChild(sp);
    }

    var sources = Array.isArray(ev.sources) ? ev.sources : [];
    if (sources.length) {
      var sh = el("h3", "sources-heading", t.sources);
      art.appendChild(sh);
      var ul = el("ul", "sources");
      sources.forEach(function (s) { if (s && typeof s === "object") ul.appendChild(sourceItem(s)); });
      art.appendChild(ul);
    }

    li.appendChild(art);
    return li;
  }

  // ---- fetching ----------------------------------------------------------------------

  // The API links the next page as `/events?…` or `/timelines/{slug}?…`, from the
  // service's root. Only those two, as JSON pages, are followed: no other path, no
  // scheme or host, no `//`, `..` or backslash. They resolve against the root the server
  // gave relative to this page (`../` or `../../`), so the widget also works when the
  // service is mounted under a path prefix; fetchPage then insists on this origin.
  var NEXT = /^\/(?:events|timelines\/[a-z0-9]+(?:-[a-z0-9]+)*)\?[^#\\\s]*$/;
  var apiRoot = root.getAttribute("data-root") || "";
  if (!/^(?:\.\.\/)+$/.test(apiRoot)) apiRoot = "../";

  function pageUrl(next) {
    if (typeof next !== "string" || !NEXT.test(next)) return null;
    return apiRoot + next.slice(1);
  }

  function fetchPage(url) {
    var abs = new URL(url, document.baseURI);
    if (abs.origin !== window.location.origin) return Promise.reject(new Error("cross-origin"));
    return fetch(abs.href, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (body) {
          if (!res.ok || !body || !Array.isArray(body.events)) {
            var detail = body && typeof body.detail === "string" ? body.detail : "HTTP " + res.status;
            throw new Error(detail);
          }
          return body;
        });
      });
  }

  function setBusy(on) {
    busy = on;
    list.setAttribute("aria-busy", on ? "true" : "false");
    more.disabled = on;
  }

  function showCount() {
    status.textContent = shown ? t.count(shown) : t.empty;
  }

  function showError(err) {
    status.textContent = t.failed + (err && err.message ? " " + err.message : "");
  }

  function updateMore() {
    more.hidden = !nextUrl;
  }

  function append(target, body) {
    var first = null;
    body.events.forEach(function (ev) {
      if (!ev || typeof ev !== "object") return;
      var item = eventItem(ev);
      if (!first) first = item.firstChild;
      target.appendChild(item);
    });
    return first;
  }

  function loadMore() {
    if (busy || !nextUrl) return;
    var hadFocus = document.activeElement === more;
    setBusy(true);
    status.textContent = t.loading;
    fetchPage(nextUrl).then(function (body) {
      var first = append(list, body);
      shown += body.events.length;
      pagesLoaded += 1;
      nextUrl = pageUrl(body.next);
      showCount();
      updateMore();
      if (hadFocus && first) first.focus();
    }).catch(showError).then(function () { setBusy(false); });
  }

  // Loads the first page, then as many more as the reader had, into a fresh list, so a
  // refresh neither loses what they opened nor moves their focus.
  function reload(pages) {
    if (busy) return;
    setBusy(true);
    var focusedId = document.activeElement && document.activeElement.getAttribute
      ? document.activeElement.getAttribute("data-id") : null;
    var fresh = document.createDocumentFragment();
    var count = 0;
    var next = firstPage;
    var loaded = 0;
    function step() {
      return fetchPage(next).then(function (body) {
        append(fresh, body);
        count += body.events.length;
        loaded += 1;
        next = pageUrl(body.next);
        if (next && loaded < pages) return step();
        return null;
      });
    }
    if (!shown) status.textContent = t.loading;
    step().then(function () {
      list.replaceChildren(fresh);
      shown = count;
      pagesLoaded = loaded;
      nextUrl = next;
      showCount();
      updateMore();
      if (focusedId) {
        var items = list.querySelectorAll("article[data-id]");
        for (var i = 0; i < items.length; i++) {
          if (items[i].getAttribute("data-id") === focusedId) { items[i].focus(); break; }
        }
      }
    }).catch(showError).then(function () { setBusy(false); });
  }

  more.textContent = t.more;
  more.addEventListener("click", loadMore);
  reload(1);
  if (refreshSeconds >= 30) {
    window.setInterval(function () {
      if (!document.hidden) reload(Math.max(pagesLoaded, 1));
    }, refreshSeconds * 1000);
  }
})();
