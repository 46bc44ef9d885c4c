// Inbox enhancements: live updates over Server-Sent Events (the server sends
// small notices; rendered fragments are fetched from /inbox/...), the reply
// window countdown, quick-reply insertion and the template preview. Every
// feature here has a no-JS path (links, GET forms, full POSTs).
(function () {
  'use strict';
  var root = document.querySelector('[data-inbox]');
  if (!root) return;
  var log = document.querySelector('[data-thread]');
  var list = document.querySelector('[data-inbox-items]');
  var activeId = root.getAttribute('data-active') || '';
  var qs = root.getAttribute('data-qs') || '';
  var csrfInput = document.querySelector('input[name="_csrf"]');
  var csrf = csrfInput ? csrfInput.value : '';

  function get(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.text();
    });
  }
  function fragment(html) {
    var t = document.createElement('template');
    t.innerHTML = html.trim();
    return t.content;
  }
  function withParams(path, params) {
    var sep = path.indexOf('?') >= 0 ? '&' : '?';
    return path + sep + params;
  }

  // ---- Thread: scrolling, appending, status updates ----------------------
  function nearBottom() {
    return !log || log.scrollHeight - log.scrollTop - log.clientHeight < 120;
  }
  function scrollToEnd() {
    if (log) log.scrollTop = log.scrollHeight;
  }
  if (log && log.getAttribute('data-live') === '1') scrollToEnd();

  function lastDay() {
    var items = log.querySelectorAll('[data-day]');
    return items.length ? items[items.length - 1].getAttribute('data-day') : null;
  }
  function appendMessages(html) {
    var ol = log.querySelector('[data-messages]');
    var frag = fragment(html);
    var stick = nearBottom();
    var day = lastDay();
    var addedInbound = false;
    Array.prototype.slice.call(frag.children).forEach(function (el) {
      if (el.classList.contains('day-sep') && el.getAttribute('data-day') === day) return;
      var id = el.getAttribute('data-message-id');
      if (id && document.getElementById('msg-' + id)) return;
      if (id) log.setAttribute('data-last-id', id);
      if (el.classList.contains('msg-in')) addedInbound = true;
      ol.appendChild(el);
    });
    var empty = log.querySelector('.thread-empty');
    if (empty && ol.children.length) empty.remove();
    if (stick) scrollToEnd();
    return addedInbound;
  }
  function markRead() {
    if (document.visibilityState !== 'visible') return;
    fetch('/inbox/' + activeId + '/read', { method: 'POST', credentials: 'same-origin', headers: { 'x-csrf-token': csrf } });
  }
  var loadingNew = null;
  function loadNew() {
    if (!log || log.getAttribute('data-live') !== '1') return Promise.resolve();
    if (loadingNew) return loadingNew.then(loadNew);
    var after = log.getAttribute('data-last-id') || '0';
    loadingNew = get('/inbox/' + activeId + '/messages?after=' + encodeURIComponent(after)).then(function (html) {
      loadingNew = null;
      if (appendMessages(html)) markRead();
    }, function () { loadingNew = null; });
    return loadingNew;
  }
  function refreshMessage(id) {
    var el = document.getElementById('msg-' + id);
    if (!el) return loadNew();
    return get('/inbox/' + activeId + '/messages/' + encodeURIComponent(id)).then(function (html) {
      var next = fragment(html).firstElementChild;
      if (next && el.parentNode) el.parentNode.replaceChild(next, el);
    }).catch(function () {});
  }

  // ---- Panels: conversation actions and composer ------------------------------------
  // Live refreshes leave a pane alone while the user works in it; `force` is for the user's own actions.
  function refreshPart(part, extra, force) {
    var wrap = document.getElementById(part === 'actions' ? 'conv-actions-wrap' : 'composer-wrap');
    if (!wrap || (!force && wrap.contains(document.activeElement))) return Promise.resolve();
    var url = '/inbox/' + activeId + '/panel?part=' + part + '&back=' + encodeURIComponent(qs) + (extra ? '&' + extra : '');
    return get(url).then(function (html) { wrap.innerHTML = html; startCountdown(); }).catch(function () {});
  }

  // ---- List ---------------------------------------------------------------
  var listTimer = null;
  function refreshList() {
    if (!list) return;
    clearTimeout(listTimer);
    listTimer = setTimeout(function () {
      var focused = document.activeElement && list.contains(document.activeElement) ? document.activeElement.getAttribute('data-conversation-id') : null;
      var url = withParams('/inbox/list' + qs, 'active=' + encodeURIComponent(activeId));
      get(url).then(function (html) {
        list.innerHTML = html;
        if (focused) {
          var again = list.querySelector('[data-conversation-id="' + focused + '"]');
          if (again) again.focus();
        }
      }).catch(function () {});
    }, 250);
  }

  // ---- Live events -----------------------------------------------------------
  var status = document.querySelector('[data-live-status]');
  function onEvent(name, data) {
    refreshList();
    if (!activeId || String(data.conversationId) !== activeId) return;
    if (name === 'message.status') return refreshMessage(data.messageId);
    if (name === 'message.received') {
      var composer = document.querySelector('[data-composer]');
      loadNew().then(function () {
        if (composer && composer.getAttribute('data-mode') === 'template') refreshPart('composer');
      });
      return;
    }
    if (name === 'message.sent') return loadNew();
    if (name === 'conversation.updated') {
      loadNew();
      refreshPart('actions');
    }
  }
  // Events that happened between rendering the page and the stream opening (a
  // status arriving during the redirect after a send) would be lost: catch up.
  function catchUp() {
    refreshList();
    if (!activeId || !log) return;
    loadNew();
    var open = log.querySelectorAll('[data-tick="queued"], [data-tick="sent"], [data-tick="delivered"]');
    Array.prototype.slice.call(open, -20).forEach(function (tick) {
      var li = tick.closest('[data-message-id]');
      if (li) refreshMessage(li.getAttribute('data-message-id'));
    });
  }
  function poll() {
    setInterval(function () { refreshList(); if (activeId) loadNew(); }, 30000);
  }
  function connect() {
    if (!window.EventSource) return poll();
    var es = new EventSource('/inbox/events');
    es.addEventListener('open', catchUp);
    ['message.received', 'message.sent', 'message.status', 'conversation.updated'].forEach(function (name) {
      es.addEventListener(name, function (e) {
        try { onEvent(name, JSON.parse(e.data)); } catch (err) { /* a malformed notice is ignored */ }
      });
    });
    es.addEventListener('error', function () {
      // CLOSED means the browser gave up (signed out, server refused): fall back to polling.
      if (es.readyState === EventSource.CLOSED) {
        if (status) status.textContent = status.getAttribute('data-text-offline');
        poll();
      }
    });
  }
  connect();

  // ---- Reply window countdown ------------------------------------------------
  var countdown = null;
  function renderWindow() {
    var el = document.querySelector('[data-window]');
    if (!el) return;
    var closes = Number(el.getAttribute('data-closes-at'));
    var label = el.querySelector('[data-window-label]');
    if (!closes || !label || el.classList.contains('window-closed')) return;
    var left = closes - Date.now();
    if (left <= 0) {
      clearInterval(countdown);
      label.textContent = el.getAttribute('data-label-closed');
      refreshPart('composer');
      return;
    }
    var minutes = Math.max(1, Math.ceil(left / 60000));
    var h = Math.floor(minutes / 60);
    var text = h > 0 ? el.getAttribute('data-label-hm').replace('{h}', h).replace('{m}', minutes % 60) : el.getAttribute('data-label-m').replace('{m}', minutes);
    label.textContent = text;
  }
  function startCountdown() {
    clearInterval(countdown);
    renderWindow();
    countdown = setInterval(renderWindow, 60000);
  }
  startCountdown();

  // Keyboard users who just sent something land back in the composer, not at the top of the page.
  try {
    if (sessionStorage.getItem('inbox-refocus')) {
      sessionStorage.removeItem('inbox-refocus');
      var area = document.querySelector('[data-composer-body]');
      if (area) area.focus();
    }
  } catch (err) { /* private mode */ }

  // ---- Composer: quick replies, templates, Ctrl+Enter ---------------------------
  function insertText(text) {
    var area = document.querySelector('[data-composer-body]');
    if (!area) return;
    var start = area.selectionStart || 0;
    var end = area.selectionEnd || 0;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.selectionStart = area.selectionEnd = start + text.length;
  }
  // Attachments are multipart: the body is read after the CSRF check, so the
  // token travels as a header. Success follows the redirect back to the thread;
  // a refusal (422) brings the composer back with the reason beside the input.
  function sendAttachment(form) {
    if (form.getAttribute('data-busy')) return;
    form.setAttribute('data-busy', '1');
    var errorBox = form.querySelector('[data-attach-error]');
    var statusBox = form.querySelector('[data-attach-status]');
    if (errorBox) errorBox.hidden = true;
    if (statusBox) statusBox.textContent = form.getAttribute('data-sending');
    fetch(form.action, {
      method: 'POST', body: new FormData(form), credentials: 'same-origin',
      headers: { 'x-csrf-token': csrf, Accept: 'text/html' },
    }).then(function (r) {
      if (r.ok) { window.location.assign(r.url); return; }
      return r.text().then(function (html) {
        var next = r.status === 422 ? fragment(html).querySelector('#composer') : null;
        var current = document.getElementById('composer');
        if (next && current) {
          current.parentNode.replaceChild(next, current);
          startCountdown();
          var bad = next.querySelector('[data-attach-form] [aria-invalid="true"]') || next.querySelector('[data-send-error]');
          if (bad && bad.focus) bad.focus();
          return;
        }
        throw new Error('HTTP ' + r.status);
      });
    }).catch(function () {
      form.removeAttribute('data-busy');
      if (statusBox) statusBox.textContent = '';
      if (errorBox) { errorBox.textContent = form.getAttribute('data-failed'); errorBox.hidden = false; }
    });
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.hasAttribute('data-qr-picker')) {
      var opt = form.querySelector('select').selectedOptions[0];
      if (opt && document.querySelector('[data-composer-body]')) {
        e.preventDefault();
        insertText(opt.getAttribute('data-text') || '');
      }
    } else if (form.hasAttribute('data-template-choose')) {
      e.preventDefault();
      var id = form.querySelector('select').value;
      refreshPart('composer', 'template=' + encodeURIComponent(id), true).then(function () {
        var first = document.querySelector('[data-template-form] input[type="text"]') || document.getElementById('template-select');
        if (first) first.focus();
      });
    } else if (form.hasAttribute('data-attach-form')) {
      e.preventDefault();
      sendAttachment(form);
    } else if (form.method.toLowerCase() === 'post' && form.closest('[data-composer]')) {
      // One click, one message: a second submit while the first is in flight is dropped.
      if (form.getAttribute('data-busy')) e.preventDefault();
      form.setAttribute('data-busy', '1');
      // After the redirect the writer is put back in the composer (see below).
      try { sessionStorage.setItem('inbox-refocus', '1'); } catch (err) { /* private mode */ }
    }
  });
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el instanceof HTMLSelectElement && el.id === 'template-select' && el.form) el.form.requestSubmit();
  });
  document.addEventListener('input', function (e) {
    var form = e.target instanceof Element ? e.target.closest('[data-template-form]') : null;
    if (!form) return;
    var body = form.getAttribute('data-body') || '';
    var values = {};
    form.querySelectorAll('[data-var]').forEach(function (i) { values[i.getAttribute('data-var')] = i.value; });
    var preview = form.querySelector('[data-template-preview]');
    preview.textContent = body.replace(/\{\{\s*([a-z0-9_]+)\s*\}\}/gi, function (m, name) { return values[name] ? values[name] : m; });
  });
  document.addEventListener('keydown', function (e) {
    var el = e.target;
    if (e.key !== 'Enter' || !(e.ctrlKey || e.metaKey) || !(el instanceof HTMLTextAreaElement) || !el.hasAttribute('data-composer-body')) return;
    e.preventDefault();
    var send = el.form && el.form.querySelector('[data-send]');
    if (send) el.form.requestSubmit(send); else if (el.form) el.form.requestSubmit();
  });
})();
