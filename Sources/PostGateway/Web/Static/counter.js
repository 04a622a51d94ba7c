// The counter form: sends the intake as JSON with the Idempotency-Key the page was rendered with (a double
// click or a retry after a lost answer cannot make two dossiers), and shows each error beside its field.
(function () {
  const form = document.getElementById('intake');
  const key = form.dataset.idempotencyKey;

  function value(name) {
    const element = form.elements.namedItem(name);
    return element ? element.value.trim() : '';
  }

  // Blank document rows are left out, so the request's documents[k] is the form's row documentRows[k]: an error
  // the server names by the request's index is shown beside the row the clerk filled in.
  let documentRows = [];

  function body() {
    const documents = [];
    documentRows = [];
    for (let index = 0; form.elements.namedItem('documents[' + index + '].name'); index++) {
      const name = value('documents[' + index + '].name');
      if (!name) continue;
      documentRows.push(index);
      documents.push({ name: name, copies: Number(value('documents[' + index + '].copies') || 1), kind: value('documents[' + index + '].kind') });
    }
    const service = form.querySelector('input[name=service]:checked').value;
    const dossier = {
      service: service, procedureCode: value('procedureCode'), agencyCode: value('agencyCode'), officeCode: value('officeCode'),
      applicant: { fullName: value('applicant.fullName'), idNumber: value('applicant.idNumber'), phone: value('applicant.phone'), address: value('applicant.address') },
      documents: documents,
      fees: { postage: Number(value('fees.postage') || 0), administrativeFee: Number(value('fees.administrativeFee') || 0) }
    };
    if (value('applicant.email')) dossier.applicant.email = value('applicant.email');
    if (service === 'sendAndReturn' && value('resultAddress')) dossier.resultAddress = value('resultAddress');
    if (value('note')) dossier.note = value('note');
    if (form.querySelector('#appointmentSlipByPost').checked) dossier.appointmentSlipByPost = true;
    if (value('supplementTo')) dossier.supplementTo = value('supplementTo').toUpperCase();
    return dossier;
  }

  function showErrors(problem) {
    form.querySelectorAll('.field-error').forEach(function (span) { span.textContent = ''; });
    const unplaced = [];
    (problem.errors || []).forEach(function (error) {
      const field = error.field.replace(/^documents\[(\d+)\]/, function (whole, index) {
        return documentRows[index] === undefined ? whole : 'documents[' + documentRows[index] + ']';
      });
      const span = form.querySelector('.field-error[data-field="' + field + '"]');
      if (span) span.textContent = error.message; else unplaced.push(error.message);
    });
    const banner = document.getElementById('form-error');
    banner.textContent = [problem.detail || problem.title].concat(unplaced).join(' ');
    banner.hidden = false;
    const first = form.querySelector('.field-error:not(:empty)');
    if (first && first.previousElementSibling) first.previousElementSibling.focus();
  }

  // The catalogue's documents for the procedure are offered, not filled in: each row shows one as its placeholder and
  // every row offers them all to pick, for the clerk to check the dossier against. Only what the clerk enters is sent,
  // so the receipt never lists a document the citizen did not hand in (a power of attorney "if filed by another").
  form.procedureCode.addEventListener('change', function () {
    const option = form.procedureCode.selectedOptions[0];
    if (option && option.dataset.fee) form.elements.namedItem('fees.administrativeFee').value = option.dataset.fee;
    const documents = option && option.dataset.documents ? option.dataset.documents.split('|') : [];
    const list = document.getElementById('catalogue-documents');
    list.replaceChildren.apply(list, documents.map(function (name) { const item = document.createElement('option'); item.value = name; return item; }));
    for (let index = 0; form.elements.namedItem('documents[' + index + '].name'); index++) {
      form.elements.namedItem('documents[' + index + '].name').placeholder = documents[index] || '';
    }
  });

  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const button = document.getElementById('submit');
    button.disabled = true;
    try {
      const response = await fetch('/api/v1/dossiers', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content, 'Idempotency-Key': key, 'Accept-Language': 'vi' },
        body: JSON.stringify(body())
      });
      const answer = await response.json();
      if (!response.ok) { showErrors(answer); return; }
      document.getElementById('tracking-number').textContent = answer.trackingNumber;
      document.getElementById('tracking-pin').textContent = answer.trackingPin;
      document.getElementById('label-link').href = answer.links.label;
      document.getElementById('receipt-link').href = answer.links.receipt;
      document.getElementById('track-link').href = '/t/' + answer.trackingNumber;
      // Accepted, but worth a second look before the receipt is printed (a fee that is not the catalogue's).
      const warnings = document.getElementById('accepted-warnings');
      const list = warnings.querySelector('ul');
      list.replaceChildren();
      (answer.warnings || []).forEach(function (warning) {
        const item = document.createElement('li');
        item.textContent = warning.message;
        list.appendChild(item);
      });
      warnings.hidden = list.children.length === 0;
      form.hidden = true;
      document.getElementById('accepted').hidden = false;
    } catch (error) {
      showErrors({ title: 'Không gửi được; hãy bấm Tiếp nhận lại (hồ sơ sẽ không bị tạo hai lần).' });
    } finally {
      button.disabled = false;
    }
  });
})();
