// The sandbox phone: polls the emulator's log for this customer and renders
// it; sends, taps and "mark read" go through fetch (the forms also work
// without JavaScript). No inline scripts: everything comes from data-*.
(function () {
  'use strict';
  var POLL_MS = 2000;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function post(phone, url, data) {
    var body = Object.assign({ wa_id: phone.dataset.waId, name: phone.dataset.name }, data);
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': phone.dataset.csrf },
      body: JSON.stringify(body),
    });
  }

  function bubble(phone, m, refresh) {
    var b = el('div', 'wa-bubble ' + (m.direction === 'in' ? 'wa-out' : 'wa-in'));
    b.dataset.wamid = m.wamid;
    b.dataset.direction = m.direction;
    if (m.header) b.appendChild(el('p')).appendChild(el('strong', null, m.header));
    b.appendChild(el('p', null, m.text));
    if (m.footer) b.appendChild(el('p', 'small muted', m.footer));
    m.buttons.forEach(function (btn) {
      var x = el('button', 'wa-button', btn.title);
      x.type = 'button';
      x.addEventListener('click', function () {
        post(phone, '/sandbox/phone/tap', { context: m.wamid, kind: btn.kind, id: btn.id, title: btn.title }).then(refresh);
      });
      b.appendChild(x);
    });
    var labels = JSON.parse(phone.dataset.statusLabels || '{}');
    var meta = el('p', 'wa-meta', new Date(m.at).toISOString().slice(11, 16) + ' · ' + (labels[m.status] || m.status));
    if (m.ticks) {
      // WhatsApp's ticks on the customer's own messages: blue once the business read them.
      var tickText = JSON.parse(phone.dataset.ticksLabels || '{}')[m.ticks] || m.ticks;
      var ticks = el('span', 'wa-ticks wa-ticks-' + m.ticks);
      ticks.dataset.ticks = m.ticks;
      ticks.title = tickText;
      ticks.appendChild(el('span', null, '✓✓')).setAttribute('aria-hidden', 'true');
      ticks.appendChild(el('span', 'sr-only', tickText));
      meta.appendChild(document.createTextNode(' '));
      meta.appendChild(ticks);
    }
    if (m.direction === 'out' && m.status !== 'read' && m.status !== 'failed') {
      var r = el('button', 'btn btn-ghost btn-sm', phone.dataset.labelRead);
      r.type = 'button';
      r.addEventListener('click', function () { post(phone, '/sandbox/phone/read', { wamid: m.wamid }).then(refresh); });
      meta.appendChild(r);
    }
    b.appendChild(meta);
    return b;
  }

  function start(phone) {
    var thread = phone.querySelector('[data-thread]');
    var last = '';
    function refresh() {
      return fetch('/sandbox/phone/messages.json?wa_id=' + encodeURIComponent(phone.dataset.waId), { credentials: 'same-origin', headers: { accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          var key = JSON.stringify(data.messages);
          if (key === last) return;
          last = key;
          thread.textContent = '';
          data.messages.forEach(function (m) { thread.appendChild(bubble(phone, m, refresh)); });
          thread.scrollTop = thread.scrollHeight;
        })
        .catch(function () { /* offline for a moment: the next poll retries */ });
    }
    var compose = phone.querySelector('[data-compose]');
    compose.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var input = compose.querySelector('[name="text"]');
      var text = input.value.trim();
      if (!text) return;
      input.value = '';
      post(phone, '/sandbox/phone/send', { text: text }).then(refresh);
    });
    refresh();
    setInterval(refresh, POLL_MS);
  }

  document.addEventListener('DOMContentLoaded', function () {
    var phone = document.querySelector('[data-sandbox-phone]');
    if (phone) start(phone);
  });
})();
