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
      const present = form.elements.namedItem('documents[' + index + '].present');
      if (!name || (present && !present.checked)) continue;
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
    if (service === 'sendAndReturn' && value('resultAddressUnitCode')) dossier.resultAddressUnitCode = value('resultAddressUnitCode');
    if (service === 'sendAndReturn' && value('resultAddressProvinceCode')) dossier.resultAddressProvinceCode = value('resultAddressProvinceCode');
    if (value('note')) dossier.note = value('note');
    if (form.querySelector('#appointmentSlipByPost').checked) dossier.appointmentSlipByPost = true;
    if (value('supplementTo')) dossier.supplementTo = value('supplementTo').toUpperCase();
    if (value('notifications') !== 'none') dossier.notifications = value('notifications');
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

  // The procedure's published documents (Decision 45 Art 6.2) become rows the clerk ticks as handed in, with copies
  // and original or copy; only ticked rows and filled "other" rows are sent, so the receipt never lists a document
  // the citizen did not hand in (a power of attorney "if filed by another").
  const documentsBody = document.querySelector('#documents tbody');
  const otherRows = 3;

  function errorFor(field) {
    const span = document.createElement('span');
    span.className = 'field-error';
    span.dataset.field = field;
    return span;
  }

  function cell(child, field) { const td = document.createElement('td'); td.appendChild(child); td.appendChild(errorFor(field)); return td; }

  function documentRow(index, catalogueName) {
    const row = document.createElement('tr');
    const first = document.createElement('td');
    const name = document.createElement('input');
    name.name = 'documents[' + index + '].name';
    if (catalogueName) {
      row.className = 'catalogue';
      const label = document.createElement('label');
      const present = document.createElement('input');
      present.type = 'checkbox';
      present.name = 'documents[' + index + '].present';
      label.append(present, ' ', catalogueName);
      name.type = 'hidden';
      name.value = catalogueName;
      first.append(label, name);
    } else {
      name.placeholder = 'Giấy tờ khác';
      name.setAttribute('aria-label', 'Giấy tờ khác');
      first.append(name);
    }
    first.append(errorFor('documents[' + index + '].name'));
    row.appendChild(first);
    const copies = document.createElement('input');
    copies.type = 'number'; copies.min = '1'; copies.value = '1'; copies.name = 'documents[' + index + '].copies';
    copies.setAttribute('aria-label', 'Số bản');
    row.appendChild(cell(copies, 'documents[' + index + '].copies'));
    const kind = document.createElement('select');
    kind.name = 'documents[' + index + '].kind';
    kind.setAttribute('aria-label', 'Loại bản');
    [['original', 'Bản chính'], ['copy', 'Bản sao'], ['certifiedCopy', 'Bản sao chứng thực']].forEach(function (choice) {
      const option = document.createElement('option'); option.value = choice[0]; option.textContent = choice[1]; kind.appendChild(option);
    });
    row.appendChild(cell(kind, 'documents[' + index + '].kind'));
    return row;
  }

  // Desks are offered only where they take the chosen procedure (commune-level procedures at commune and ward desks,
  // provincial ones at the provincial centre and its branches); a result that must be collected in person leaves only
  // "send the dossier".
  function procedureChosen() {
    const option = form.procedureCode.selectedOptions[0];
    const chosen = option && option.value ? option : null;
    if (chosen && chosen.dataset.fee) form.elements.namedItem('fees.administrativeFee').value = chosen.dataset.fee;
    const documents = chosen && chosen.dataset.documents ? chosen.dataset.documents.split('|') : [];
    const rows = documents.map(function (name, index) { return documentRow(index, name); });
    for (let other = 0; other < otherRows; other++) rows.push(documentRow(documents.length + other, null));
    documentsBody.replaceChildren.apply(documentsBody, rows);

    const level = chosen ? chosen.dataset.level : '';
    let offered = 0;
    Array.from(form.agencyCode.options).forEach(function (agency) {
      if (!agency.value) return;
      const takes = !level || agency.dataset.level === level;
      agency.hidden = !takes;
      agency.disabled = !takes;
      if (takes) offered++;
    });
    if (form.agencyCode.selectedOptions[0] && form.agencyCode.selectedOptions[0].disabled) form.agencyCode.value = '';
    const hint = document.getElementById('agency-hint');
    hint.textContent = level ? offered + ' cơ quan tiếp nhận thủ tục này.' : '';
    hint.hidden = !level;

    const resultByPost = !chosen || chosen.dataset.resultByPost === 'true';
    const sendAndReturn = form.querySelector('input[name=service][value=sendAndReturn]');
    sendAndReturn.disabled = !resultByPost;
    if (!resultByPost) form.querySelector('input[name=service][value=sendOnly]').checked = true;
    document.getElementById('result-in-person').hidden = resultByPost;
    serviceChosen();
  }

  // The third service takes no dossier: the order form (result-order.js) stands in for the rest of this one.
  function serviceChosen() {
    const service = form.querySelector('input[name=service]:checked').value;
    document.getElementById('result-address').hidden = service !== 'sendAndReturn';
    const resultOnly = service === 'resultOnly';
    form.querySelectorAll('fieldset').forEach(function (fieldset, index) { if (index > 0) fieldset.hidden = resultOnly; });
    document.getElementById('submit').hidden = resultOnly;
    document.getElementById('result-order').hidden = !resultOnly;
  }

  form.procedureCode.addEventListener('change', procedureChosen);
  form.querySelectorAll('input[name=service]').forEach(function (radio) { radio.addEventListener('change', serviceChosen); });
  procedureChosen();

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
