// Capacity self-assessment (issue 13; templates/self-assessment.html.j2). The page holds the
// whole grid, the results' tables and every criterion's gap entry (links to its sheets and
// mechanisms), rendered in its language; this script keeps the answers in the browser
// (localStorage, one key per site), fills the results, exports and imports answers files,
// and compares two of them. Nothing is sent anywhere and nothing is fetched: the page's data
// is its JSON data block, so it works from disk too. Files hold criterion ids and level
// numbers, never texts (plan/assessment.py documents the format; its JSON Schema is
// published as assessment.schema.json). Does nothing on other pages.
(function () {
  "use strict";

  function setup() {
    var block = document.getElementById("hb-sa-data");
    var app = document.getElementById("hb-sa");
    if (!block || !app || app.dataset.ready) return;
    app.dataset.ready = "1";
    var data = JSON.parse(block.textContent);
    var rules = data.rules;
    var msg = data.messages;
    var lang = data.lang;

    var criteria = {};  // id → {id, name, dimension}
    var order = [];     // criterion ids in the grid's order
    data.dimensions.forEach(function (dimension) {
      dimension.criteria.forEach(function (criterion) {
        criteria[criterion.id] = {id: criterion.id, name: criterion.name, dimension: dimension};
        order.push(criterion.id);
      });
    });
    var levelNames = {};
    var topLevel = -Infinity;
    data.scale.forEach(function (level) {
      levelNames[level.level] = level.name;
      topLevel = Math.max(topLevel, level.level);
    });
    var TOP_KEYS = ["$schema", "format", "version", "organisation", "date", "language", "saved",
                    "grid_reviewed", "answers"];
    var criterionPattern = new RegExp(rules.criterion_pattern);
    var datePattern = new RegExp(rules.date_pattern);
    var languagePattern = new RegExp(rules.language_pattern);
    var decimal = new Intl.NumberFormat(lang, {minimumFractionDigits: 1, maximumFractionDigits: 1});
    var signedDecimal = new Intl.NumberFormat(lang, {minimumFractionDigits: 1,
                                                     maximumFractionDigits: 1,
                                                     signDisplay: "exceptZero"});
    var signedWhole = new Intl.NumberFormat(lang, {maximumFractionDigits: 0,
                                                   signDisplay: "exceptZero"});

    function $(id) { return document.getElementById(id); }
    function fill(template, values) {
      return template.replace(/\{([a-z_]+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
      });
    }
    function anchor(id) { return id.replace(/\./g, "-"); }
    function isObject(value) {
      return value !== null && typeof value === "object" && !Array.isArray(value);
    }
    function has(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
    function onScale(level) { return typeof level === "number" && has(levelNames, level); }
    function emptyState() { return {organisation: "", date: "", answers: Object.create(null)}; }
    function levelLabel(level) {
      return fill(msg.level, {number: level}) + " · " + levelNames[level];
    }

    // --- messages: one polite status, one alert for errors ------------------------------------
    function say(region, text, other) {
      if (other) other.textContent = "";
      region.textContent = "";
      // Emptied first, then written: the same message twice is announced twice.
      window.setTimeout(function () { region.textContent = text; }, 30);
    }
    var status = $("hb-sa-status");
    var error = $("hb-sa-error");
    function setStatus(text) { say(status, text, error); }
    function setError(text) { say(error, text, status); }

    // --- the file format: checks mirroring assessment.schema.json -----------------------------
    function length(text) { return Array.from(text).length; }  // code points, as JSON Schema

    function problemIn(file) {
      function at(where, what) { return {where: where.join(" › "), what: what}; }
      var key;
      for (key in file) {
        if (has(file, key) && TOP_KEYS.indexOf(key) === -1) return at([key], msg.what_unexpected);
      }
      var required = ["format", "version", "answers"];
      for (var n = 0; n < required.length; n++) {
        if (!has(file, required[n])) return at([required[n]], msg.what_missing);
      }
      if (file.version !== rules.version) {
        return at(["version"], fill(msg.what_version, {supported: rules.version}));
      }
      if (has(file, "$schema") && typeof file.$schema !== "string") return at(["$schema"], msg.what_text);
      if (has(file, "saved") && typeof file.saved !== "string") return at(["saved"], msg.what_text);
      if (has(file, "organisation")) {
        if (typeof file.organisation !== "string") return at(["organisation"], msg.what_text);
        if (length(file.organisation) > rules.max_name) {
          return at(["organisation"], fill(msg.what_too_long, {max: rules.max_name}));
        }
      }
      var dates = ["date", "grid_reviewed"];
      for (n = 0; n < dates.length; n++) {
        if (has(file, dates[n]) && (typeof file[dates[n]] !== "string"
                                    || !datePattern.test(file[dates[n]]))) {
          return at([dates[n]], msg.what_date);
        }
      }
      if (has(file, "language") && (typeof file.language !== "string"
                                    || !languagePattern.test(file.language))) {
        return at(["language"], msg.what_language);
      }
      if (!isObject(file.answers)) return at(["answers"], msg.what_object);
      for (key in file.answers) {
        if (!has(file.answers, key)) continue;
        var answer = file.answers[key];
        if (!criterionPattern.test(key)) return at(["answers", key], msg.what_criterion);
        if (!isObject(answer)) return at(["answers", key], msg.what_object);
        for (var field in answer) {
          if (has(answer, field) && field !== "level" && field !== "note") {
            return at(["answers", key, field], msg.what_unexpected);
          }
        }
        if (has(answer, "level") && answer.level !== null
            && !(Number.isInteger(answer.level) && answer.level >= rules.level_min
                 && answer.level <= rules.level_max)) {
          return at(["answers", key, "level"],
                    fill(msg.what_level, {min: rules.level_min, max: rules.level_max}));
        }
        if (has(answer, "note")) {
          if (typeof answer.note !== "string") return at(["answers", key, "note"], msg.what_text);
          if (length(answer.note) > rules.max_note) {
            return at(["answers", key, "note"], fill(msg.what_too_long, {max: rules.max_note}));
          }
        }
      }
      return null;
    }

    // Text of a file → {state} or {reason}: foreign files and newer versions are told apart
    // from damaged ones, because the reader can do something different about each.
    function readAnswers(text) {
      var file;
      try { file = JSON.parse(text); } catch (e) { return {reason: msg.error_not_json}; }
      if (!isObject(file) || file.format !== rules.format) return {reason: msg.error_foreign};
      if (Number.isInteger(file.version) && file.version > rules.version) {
        return {reason: fill(msg.error_newer, {version: file.version, supported: rules.version})};
      }
      var problem = problemIn(file);
      if (problem) return {reason: fill(msg.error_invalid, problem)};
      var state = emptyState();
      state.organisation = file.organisation || "";
      state.date = file.date || "";
      Object.keys(file.answers).forEach(function (id) {
        var answer = file.answers[id];
        var level = has(answer, "level") ? answer.level : null;
        var note = answer.note || "";
        if (level !== null || note) state.answers[id] = {level: level, note: note};
      });
      return {state: state};
    }

    function answeredIds(state) {
      var known = order.filter(function (id) { return state.answers[id]; });
      var others = Object.keys(state.answers).filter(function (id) { return !criteria[id]; });
      return known.concat(others.sort());
    }

    function toFile(state) {
      var file = {"$schema": data.schema, format: rules.format, version: rules.version};
      if (state.organisation) file.organisation = state.organisation;
      if (state.date) file.date = state.date;
      file.language = lang;
      file.saved = new Date().toISOString();
      file.grid_reviewed = data.grid_reviewed;
      file.answers = {};
      answeredIds(state).forEach(function (id) {
        var answer = state.answers[id];
        var entry = {};
        if (answer.level !== null) entry.level = answer.level;
        if (answer.note) entry.note = answer.note;
        file.answers[id] = entry;
      });
      return file;
    }

    function isEmpty(state) {
      return !state.organisation && !state.date && Object.keys(state.answers).length === 0;
    }

    // --- keeping the answers in the browser ---------------------------------------------------
    var state = emptyState();
    var storage = null;
    var blocked = false;  // what is stored could not be read: never overwrite it silently
    var saved = $("hb-sa-saved");
    try {
      storage = window.localStorage;
      storage.setItem(data.storage_key + ":probe", "1");
      storage.removeItem(data.storage_key + ":probe");
    } catch (e) {
      storage = null;
    }

    function loadStored() {
      if (!storage) {
        saved.textContent = msg.storage_unavailable;
        return;
      }
      var raw = storage.getItem(data.storage_key);
      if (raw === null) return;
      var read = readAnswers(raw);
      if (read.state) {
        state = read.state;
        blocked = false;
      } else {
        blocked = true;
        saved.textContent = fill(msg.storage_unreadable, {reason: read.reason});
      }
    }

    function store() {
      if (!storage || blocked) return;
      try {
        if (isEmpty(state)) storage.removeItem(data.storage_key);
        else storage.setItem(data.storage_key, JSON.stringify(toFile(state)));
        saved.textContent = fill(msg.saved, {time: new Date().toLocaleTimeString(lang, {
          hour: "2-digit", minute: "2-digit"})});
      } catch (e) {
        saved.textContent = msg.storage_unavailable;
      }
    }

    // --- the form -------------------------------------------------------------------------------
    var form = $("hb-sa-form");
    var organisation = $("sa-organisation");
    var date = $("sa-date");

    function showInForm() {
      organisation.value = state.organisation;
      date.value = state.date;
      order.forEach(function (id) {
        var answer = state.answers[id];
        var level = answer && onScale(answer.level) ? answer.level : "none";
        var radio = $("sa-" + anchor(id) + "-" + level);
        if (radio) radio.checked = true;
        $("sa-note-" + anchor(id)).value = answer ? answer.note : "";
      });
    }

    function answerFor(id) {
      if (!state.answers[id]) state.answers[id] = {level: null, note: ""};
      return state.answers[id];
    }

    function tidy(id) {
      var answer = state.answers[id];
      if (answer && answer.level === null && !answer.note) delete state.answers[id];
    }

    function changed() {
      store();
      render();
    }

    form.addEventListener("change", function (event) {
      var input = event.target;
      if (input.type !== "radio") return;
      var id = input.closest("[data-criterion]").getAttribute("data-criterion");
      answerFor(id).level = input.value === "" ? null : Number(input.value);
      tidy(id);
      changed();
    });
    form.addEventListener("input", function (event) {
      var input = event.target;
      if (input.tagName !== "TEXTAREA") return;
      var id = input.closest("[data-criterion]").getAttribute("data-criterion");
      answerFor(id).note = input.value;
      tidy(id);
      changed();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    organisation.addEventListener("input", function () {
      state.organisation = organisation.value;
      changed();
    });
    date.addEventListener("change", function () {
      state.date = datePattern.test(date.value) ? date.value : "";
      changed();
    });

    // --- results --------------------------------------------------------------------------------
    function scores(someState) {
      var byDimension = {};
      data.dimensions.forEach(function (dimension) {
        var levels = dimension.criteria.map(function (criterion) {
          var answer = someState.answers[criterion.id];
          return answer && onScale(answer.level) ? answer.level : null;
        }).filter(function (level) { return level !== null; });
        var sum = levels.reduce(function (total, level) { return total + level; }, 0);
        byDimension[dimension.id] = {count: levels.length, total: dimension.criteria.length,
                                     average: levels.length ? sum / levels.length : null};
      });
      return byDimension;
    }

    function mismatches(someState) {
      return Object.keys(someState.answers).sort().map(function (id) {
        var level = someState.answers[id].level;
        if (!criteria[id]) return fill(msg.unknown_criterion, {id: id});
        if (level !== null && !onScale(level)) {
          return fill(msg.unknown_level, {id: id, level: level});
        }
        return null;
      }).filter(Boolean);
    }

    function fillList(list, lines) {
      list.textContent = "";
      lines.forEach(function (line) {
        var item = document.createElement("li");
        item.textContent = line;
        list.appendChild(item);
      });
    }

    function formatDate(iso) {
      return new Date(iso + "T00:00:00Z").toLocaleDateString(lang, {
        year: "numeric", month: "long", day: "numeric", timeZone: "UTC"});
    }

    var gapList = $("hb-sa-gaps");
    var gaps = {};
    Array.prototype.forEach.call(gapList.querySelectorAll("li[data-criterion]"), function (item) {
      gaps[item.getAttribute("data-criterion")] = item;
    });

    function render() {
      var assessed = order.filter(function (id) {
        return state.answers[id] && onScale(state.answers[id].level);
      });
      $("hb-sa-progress").textContent = fill(msg.progress, {count: assessed.length,
                                                            total: order.length});
      var lines = mismatches(state);
      fillList($("hb-sa-unknown-list"), lines);
      $("hb-sa-unknown").hidden = lines.length === 0;

      var meta = [];
      if (state.organisation) meta.push(state.organisation);
      if (state.date) meta.push(fill(msg.assessed_on, {date: formatDate(state.date)}));
      $("hb-sa-print-meta").textContent = meta.join(" · ");
      $("hb-sa-print-meta").hidden = meta.length === 0;

      $("hb-sa-empty").hidden = assessed.length > 0;
      $("hb-sa-scores").hidden = assessed.length === 0;
      var byDimension = scores(state);
      data.dimensions.forEach(function (dimension) {
        var score = byDimension[dimension.id];
        var text = score.average === null ? msg.not_assessed
          : fill(msg.average, {average: decimal.format(score.average), max: topLevel});
        var row = app.querySelector(".hb-sa-scores tr[data-dimension='" + dimension.id + "']");
        row.querySelector("[data-cell=assessed]").textContent =
          fill(msg.assessed_of, {count: score.count, total: score.total});
        row.querySelector("[data-cell=average]").textContent = text;
        var bar = app.querySelector(".hb-sa-chart__row[data-dimension='" + dimension.id + "']");
        bar.querySelector(".hb-sa-chart__bar").style.width =
          (score.average === null ? 0 : 100 * score.average / topLevel) + "%";
        bar.querySelector(".hb-sa-chart__value").textContent = text;
      });

      // Weakest first; equal levels keep the grid's order. Not yet assessed: hidden, named.
      var ranked = assessed.slice().sort(function (a, b) {
        return state.answers[a].level - state.answers[b].level || order.indexOf(a) - order.indexOf(b);
      });
      ranked.forEach(function (id) {
        var item = gaps[id];
        var answer = state.answers[id];
        item.querySelector("[data-slot=level]").textContent = levelLabel(answer.level);
        var note = item.querySelector("[data-slot=note]");
        note.textContent = answer.note;
        note.hidden = !answer.note;
        item.querySelector("[data-slot=help]").hidden = answer.level >= topLevel;
        item.hidden = false;
        gapList.appendChild(item);
      });
      var waiting = order.filter(function (id) { return assessed.indexOf(id) === -1; });
      waiting.forEach(function (id) {
        gaps[id].hidden = true;
        gapList.appendChild(gaps[id]);
      });
      var notAssessed = $("hb-sa-not-assessed");
      notAssessed.hidden = waiting.length === 0 || assessed.length === 0;
      fillList(notAssessed.querySelector("[data-slot=list]"), waiting.map(function (id) {
        return criteria[id].name;
      }));
    }

    // --- files ------------------------------------------------------------------------------------
    function readUpload(file, done) {
      if (file.size > rules.max_bytes) {
        done({reason: msg.error_too_large});
        return;
      }
      var reader = new FileReader();
      reader.onload = function () { done(readAnswers(String(reader.result))); };
      reader.onerror = function () { done({reason: msg.error_not_json}); };
      reader.readAsText(file, "utf-8");
    }

    function download(name, type, text) {
      var url = URL.createObjectURL(new Blob([text], {type: type}));
      var link = document.createElement("a");
      link.href = url;
      link.download = name;
      link.hidden = true;
      document.body.appendChild(link);
      link.click();
      link.remove();
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      setStatus(fill(msg.exported, {file: name}));
    }

    function fileName(extension) {
      var day = state.date || new Date().toISOString().slice(0, 10);
      return data.file_name + "-" + day + "." + extension;
    }

    function csvCell(value) {
      var text = value === null || value === undefined ? "" : String(value);
      // A cell a spreadsheet would run as a formula (=, +, -, @) is kept as text.
      if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
      if (text.indexOf(data.csv.separator) !== -1 || /["\r\n]/.test(text)) {
        text = '"' + text.replace(/"/g, '""') + '"';
      }
      return text;
    }

    function toCsv() {
      var rows = [data.csv.headers];
      order.concat(answeredIds(state).filter(function (id) { return !criteria[id]; }))
        .forEach(function (id) {
          var answer = state.answers[id] || {level: null, note: ""};
          var criterion = criteria[id];
          rows.push([id, criterion ? criterion.dimension.name : "", criterion ? criterion.name : "",
                     answer.level === null ? "" : answer.level,
                     onScale(answer.level) ? levelNames[answer.level] : "", answer.note]);
        });
      // A byte-order mark so that spreadsheets read UTF-8; CRLF as RFC 4180 says.
      return "\ufeff" + rows.map(function (row) {
        return row.map(csvCell).join(data.csv.separator);
      }).join("\r\n") + "\r\n";
    }

    $("sa-export-json").addEventListener("click", function () {
      download(fileName("json"), "application/json",
               JSON.stringify(toFile(state), null, 2) + "\n");
    });
    $("sa-export-csv").addEventListener("click", function () {
      download(fileName("csv"), "text/csv;charset=utf-8", toCsv());
    });
    $("sa-clear").addEventListener("click", function () {
      if (!isEmpty(state) && !window.confirm(msg.clear_confirm)) return;
      state = emptyState();
      blocked = false;
      if (storage) {
        try { storage.removeItem(data.storage_key); } catch (e) { /* reported on next save */ }
      }
      saved.textContent = "";
      showInForm();
      render();
      setStatus(msg.cleared);
    });

    var importer = $("sa-import");
    importer.addEventListener("change", function () {
      var file = importer.files && importer.files[0];
      if (!file) return;
      readUpload(file, function (read) {
        importer.value = "";  // the same file can be chosen again
        if (!read.state) {
          setError(fill(msg.import_error, {file: file.name, reason: read.reason}));
          return;
        }
        if (!isEmpty(state) && !window.confirm(msg.import_confirm)) {
          setStatus(msg.import_cancelled);
          return;
        }
        state = read.state;
        blocked = false;
        store();
        showInForm();
        render();
        setStatus(fill(msg.imported, {count: Object.keys(state.answers).length,
                                      file: file.name}));
      });
    });

    $("sa-print").addEventListener("click", function () { window.print(); });

    // Another tab of the same site changed the answers: show them here too.
    window.addEventListener("storage", function (event) {
      if (event.key !== data.storage_key) return;
      state = emptyState();
      loadStored();
      showInForm();
      render();
    });

    // --- comparing two assessments -------------------------------------------------------------
    var earlierInput = $("sa-compare-earlier");
    var laterInput = $("sa-compare-later");
    var compareStatus = $("hb-sa-compare-status");
    var compareError = $("hb-sa-compare-error");

    // Averages move by tenths, a criterion's level by whole steps.
    function change(before, after, format) {
      if (before === null || after === null) return "";
      return format.format(Math.round((after - before) * 10) / 10);
    }

    function showComparison(earlier, later) {
      var before = scores(earlier);
      var after = scores(later);
      function average(score) {
        return score.average === null ? msg.not_assessed : decimal.format(score.average);
      }
      data.dimensions.forEach(function (dimension) {
        var row = app.querySelector(".hb-sa-compare-dimensions tr[data-dimension='" +
                                    dimension.id + "']");
        var b = before[dimension.id];
        var a = after[dimension.id];
        row.querySelector("[data-cell=earlier]").textContent = average(b);
        row.querySelector("[data-cell=later]").textContent = average(a);
        row.querySelector("[data-cell=change]").textContent = change(b.average, a.average,
                                                                      signedDecimal);
      });
      order.forEach(function (id) {
        function level(someState) {
          var answer = someState.answers[id];
          return answer && onScale(answer.level) ? answer.level : null;
        }
        var b = level(earlier);
        var a = level(later);
        var row = app.querySelector(".hb-sa-compare-criteria tr[data-criterion='" + id + "']");
        row.querySelector("[data-cell=earlier]").textContent =
          b === null ? msg.not_assessed : levelLabel(b);
        row.querySelector("[data-cell=later]").textContent =
          a === null ? msg.not_assessed : levelLabel(a);
        row.querySelector("[data-cell=change]").textContent = change(b, a, signedWhole);
      });
      $("hb-sa-compare-results").hidden = false;
    }

    $("sa-compare-run").addEventListener("click", function () {
      var earlierFile = earlierInput.files && earlierInput.files[0];
      var laterFile = laterInput.files && laterInput.files[0];
      if (!earlierFile) {
        say(compareError, msg.compare_need_earlier, compareStatus);
        earlierInput.focus();
        return;
      }
      readUpload(earlierFile, function (earlier) {
        if (!earlier.state) {
          say(compareError, fill(msg.compare_error, {file: earlierFile.name,
                                                     reason: earlier.reason}), compareStatus);
          return;
        }
        function finish(later, laterName) {
          showComparison(earlier.state, later);
          // What neither side can count (criteria the grid no longer has), listed once.
          var notes = mismatches(earlier.state).concat(mismatches(later)).filter(
            function (line, n, all) { return all.indexOf(line) === n; });
          var unknown = $("hb-sa-compare-unknown");
          fillList(unknown.querySelector("[data-slot=list]"), notes);
          unknown.hidden = notes.length === 0;
          say(compareStatus, fill(msg.compare_done, {earlier: earlierFile.name, later: laterName}),
              compareError);
        }
        if (!laterFile) {
          finish(state, msg.compare_current);
          return;
        }
        readUpload(laterFile, function (later) {
          if (!later.state) {
            say(compareError, fill(msg.compare_error, {file: laterFile.name,
                                                       reason: later.reason}), compareStatus);
            return;
          }
          finish(later.state, laterFile.name);
        });
      });
    });

    // --- start ------------------------------------------------------------------------------------
    loadStored();
    showInForm();
    render();
    var fallback = $("hb-sa-fallback");
    if (fallback) fallback.hidden = true;
    app.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
