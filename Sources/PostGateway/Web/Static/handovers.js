// Handover pages: open a manifest from the ticked items of one agency, and sign or cancel an open manifest.
(function () {
  function showError(answer) {
    const banner = document.getElementById('form-error');
    const reasons = (answer.errors || []).map(function (error) { return error.message; });
    banner.textContent = [answer.detail || answer.title].concat(reasons).join(' ');
    banner.hidden = false;
  }

  async function post(url, body) {
    const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content, 'Accept-Language': 'vi' }, body: JSON.stringify(body) });
    return { ok: response.ok, answer: await response.json() };
  }

  document.querySelectorAll('form.handover-group').forEach(function (form) {
    form.addEventListener('submit', async function (event) {
      event.preventDefault();
      const numbers = Array.from(form.querySelectorAll('input[name=item]:checked')).map(function (box) { return box.value; });
      const result = await post('/api/v1/handovers', { agencyCode: form.dataset.agency, officeCode: form.dataset.office, trackingNumbers: numbers });
      if (result.ok) location.href = '/handovers/' + result.answer.id; else showError(result.answer);
    });
  });

  const sign = document.getElementById('sign-form');
  if (sign) {
    sign.addEventListener('submit', async function (event) {
      event.preventDefault();
      const result = await post('/api/v1/handovers/' + sign.dataset.handover + '/sign', { receivedBy: sign.receivedBy.value.trim() });
      if (result.ok) location.reload(); else showError(result.answer);
    });
  }

  const cancel = document.getElementById('cancel-form');
  if (cancel) {
    cancel.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (!window.confirm('Hủy biên bản này? Các bưu gửi sẽ chờ bàn giao lại.')) return;
      const result = await post('/api/v1/handovers/' + cancel.dataset.handover + '/cancel', {});
      if (result.ok) location.reload(); else showError(result.answer);
    });
  }
})();
