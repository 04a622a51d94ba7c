// Handover pages: open a manifest from the ticked items of one agency (dossiers to hand over, or results to collect:
// the form's data-api says which), and sign or cancel an open manifest.
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
      const result = await post(form.dataset.api || '/api/v1/handovers', { agencyCode: form.dataset.agency, officeCode: form.dataset.office, trackingNumbers: numbers });
      if (result.ok) location.href = '/handovers/' + result.answer.id; else showError(result.answer);
    });
  });

  const sign = document.getElementById('sign-form');
  if (sign) {
    sign.addEventListener('submit', async function (event) {
      event.preventDefault();
      const body = {};
      body[sign.dataset.field] = sign.receivedBy.value.trim();
      const result = await post(sign.dataset.api + '/' + sign.dataset.handover + '/sign', body);
      if (result.ok) location.reload(); else showError(result.answer);
    });
  }

  const cancel = document.getElementById('cancel-form');
  if (cancel) {
    cancel.addEventListener('submit', async function (event) {
      event.preventDefault();
      if (!window.confirm('Hủy biên bản này? Các bưu gửi sẽ chờ bàn giao lại.')) return;
      const result = await post(cancel.dataset.api + '/' + cancel.dataset.handover + '/cancel', {});
      if (result.ok) location.reload(); else showError(result.answer);
    });
  }
})();
