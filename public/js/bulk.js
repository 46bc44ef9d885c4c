// Bulk job page: polls the job's small status JSON until it is done, then
// shows the summary (or the error) and drops the cancel button.
(function () {
  'use strict';

  function progressCard(card) {
    var url = card.getAttribute('data-url');
    var bar = card.querySelector('[data-progress-bar]');
    var text = card.querySelector('[data-progress-text]');
    var badge = document.querySelector('[data-bulk-status]');
    function show(s) {
      bar.value = s.percent;
      text.textContent = s.progress_text;
      if (badge) badge.textContent = s.status_label;
      ['total', 'processed', 'affected'].forEach(function (k) {
        var el = card.querySelector('[data-count="' + k + '"]');
        if (el) el.textContent = s.counts[k];
      });
      if (!s.done) return;
      var summary = card.querySelector('[data-summary]');
      if (s.summary) {
        summary.textContent = s.summary;
        summary.className = 'alert ' + (s.status === 'cancelled' ? 'alert-info' : 'alert-success');
        summary.hidden = false;
      }
      var err = card.querySelector('[data-error]');
      if (s.error) { err.textContent = s.error; err.hidden = false; }
      var cancel = document.querySelector('[data-cancel-form]');
      if (cancel) cancel.remove();
    }
    function poll(delay) {
      window.setTimeout(function () {
        fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (s) {
            if (s) show(s);
            if (!s || !s.done) poll(1000);
          })
          .catch(function () { poll(3000); });
      }, delay);
    }
    // A small audience is usually done before the page has loaded: the first look is quick.
    if (card.getAttribute('data-active') === '1') poll(250);
  }

  var card = document.querySelector('[data-bulk-progress]');
  if (card) progressCard(card);
})();
