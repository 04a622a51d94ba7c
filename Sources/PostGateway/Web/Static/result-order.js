// The counter's third service: a citizen brings the appointment slip of a dossier filed online or at the desk and asks
// for the result at home. Sent with the key the page was rendered with, so a retry after a lost answer (or a one-stop
// that did not answer) sends the same order, never a second one.
(function () {
  const form = document.getElementById('result-order');
  const key = form.dataset.idempotencyKey;

  function value(name) {
    const element = form.elements.namedItem(name);
    return element ? element.value.trim() : '';
  }

  // A scanner types what the slip's QR or barcode holds: the code itself, or a link or text around it.
  const codePattern = /[0-9A-Za-z.]+-\d{6}-\d+/;
  form.dossierCode.addEventListener('change', function () {
    const found = form.dossierCode.value.match(codePattern);
    if (found) form.dossierCode.value = found[0];
  });

  function showErrors(problem) {
    form.querySelectorAll('.field-error').forEach(function (span) { span.textContent = ''; });
    const unplaced = [];
    (problem.errors || []).forEach(function (error) {
      const span = form.querySelector('.field-error[data-field="' + error.field + '"]');
      if (span) span.textContent = error.message; else unplaced.push(error.message);
    });
    const banner = document.getElementById('order-error');
    banner.textContent = [problem.detail || problem.title].concat(unplaced).join(' ');
    banner.hidden = false;
  }

  function show(id, text) { document.getElementById(id).textContent = text; }

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const button = document.getElementById('order-submit');
    button.disabled = true;
    try {
      const response = await fetch('/api/v1/result-orders', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content, 'Idempotency-Key': key, 'Accept-Language': 'vi' },
        body: JSON.stringify({
          officeCode: value('officeCode'), dossierCode: value('dossierCode'),
          receiver: { fullName: value('receiver.fullName'), phone: value('receiver.phone') },
          deliveryAddress: value('deliveryAddress'), deliveryUnitCode: value('deliveryUnitCode'), postage: Number(value('postage') || 0),
          notifications: value('notifications')
        })
      });
      const answer = await response.json();
      if (!response.ok) { showErrors(answer); return; }
      show('order-number', answer.trackingNumber);
      show('order-pin', answer.trackingPin);
      show('order-code', answer.dossierCode);
      show('order-agency', answer.agencyName || answer.agencyCode);
      show('order-procedure', answer.procedureCode);
      show('order-appointment', answer.appointmentDate ? answer.appointmentDate.split('-').reverse().join('/') : '(chưa có)');
      show('order-fees', answer.feesOwed.toLocaleString('vi-VN'));
      document.getElementById('order-label-link').href = answer.links.label;
      document.getElementById('order-receipt-link').href = answer.links.receipt;
      document.getElementById('order-track-link').href = '/t/' + answer.trackingNumber;
      form.hidden = true;
      document.getElementById('intake').hidden = true;
      document.getElementById('ordered').hidden = false;
    } catch (error) {
      showErrors({ title: 'Không gửi được; hãy bấm Đăng ký lại (đơn sẽ không bị tạo hai lần).' });
    } finally {
      button.disabled = false;
    }
  });
})();
