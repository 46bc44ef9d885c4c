// Progressive enhancements; every page works without them.
(function () {
  'use strict';
  document.addEventListener('click', function (e) {
    var target = e.target instanceof Element ? e.target : null;
    if (!target) return;
    var dismiss = target.closest('[data-dismiss]');
    if (dismiss) {
      var toast = dismiss.closest('[data-toast]');
      if (toast) toast.remove();
    }
    var toggle = target.closest('[data-nav-toggle]');
    if (toggle) {
      var nav = document.getElementById('sidebar');
      var open = nav && nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    }
  });
  document.addEventListener('submit', function (e) {
    var form = e.target;
    var message = form instanceof HTMLFormElement ? form.getAttribute('data-confirm') : null;
    if (message && !window.confirm(message)) e.preventDefault();
  });
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit') && el.form) el.form.submit();
  });
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var nav = document.getElementById('sidebar');
    if (nav && nav.classList.contains('open')) nav.classList.remove('open');
  });
})();
