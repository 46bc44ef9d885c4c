// "Copy key" on the page that shows a new API key once. Without JS (or
// without clipboard access) the button stays hidden and the text says how to copy.
(function () {
  'use strict';
  var buttons = document.querySelectorAll('[data-copy]');
  if (!navigator.clipboard) return;
  Array.prototype.forEach.call(buttons, function (btn) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var target = document.getElementById(btn.getAttribute('data-copy'));
      if (!target) return;
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        btn.textContent = btn.getAttribute('data-copied-label');
      });
    });
  });
})();
