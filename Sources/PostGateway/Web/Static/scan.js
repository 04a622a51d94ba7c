// The scan station: one input that always has the focus, so a keyboard-wedge scanner can type a number and
// Enter at any time; each scan gets a big pass or fail with a sound, and the last scans stay listed.
(function () {
  const input = document.getElementById('scan-input');
  const feedback = document.getElementById('feedback');
  const recent = document.getElementById('recent');
  const identity = document.getElementById('scan-identity');
  const identityRow = document.getElementById('identity-row');
  let audio;

  // Delivering a result needs the recipient's identity checked: the box shows only for that event.
  function showIdentityBox() {
    identityRow.hidden = document.getElementById('scan-event').value !== 'delivered';
    identity.checked = false;
  }
  document.getElementById('scan-event').addEventListener('change', showIdentityBox);
  showIdentityBox();

  function beep(pass) {
    try {
      audio = audio || new AudioContext();
      const tone = audio.createOscillator();
      tone.frequency.value = pass ? 880 : 220;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + (pass ? 0.12 : 0.45));
    } catch (error) { /* no sound device: the colours still tell */ }
  }

  function show(pass, text, number) {
    feedback.className = 'feedback ' + (pass ? 'pass' : 'fail');
    feedback.textContent = text;
    const line = document.createElement('li');
    line.className = pass ? 'pass' : 'fail';
    line.textContent = new Date().toLocaleTimeString('vi-VN') + ' · ' + number + ' · ' + text;
    if (pass && /^[A-Z]{2}[0-9]{9}VN$/.test(number)) {
      // The messages the citizen was sent for this item's dossier (a failed delivery's invitation among them).
      // The separator stays outside the link: a link that began with a space could start as an empty fragment at the
      // end of a wrapped line, which a click (and a WebDriver click at its first box) would miss.
      const link = document.createElement('a');
      link.href = '/notices/' + encodeURIComponent(number);
      link.textContent = 'tin nhắn';
      line.append(' · ', link);
    }
    recent.insertBefore(line, recent.firstChild);
    while (recent.children.length > 15) recent.removeChild(recent.lastChild);
    beep(pass);
  }

  // A label's QR holds the address of the item's tracking page (…/t/PH000000155VN): an imager that reads the QR
  // rather than the barcode types that address, and the number is the end of it.
  function trackingNumber(scanned) {
    const page = scanned.match(/\/t\/([A-Za-z0-9]{13})(?:[?#]|$)/);
    return (page ? page[1] : scanned).toUpperCase();
  }

  document.getElementById('scan-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const number = trackingNumber(input.value.trim());
    const eventCode = document.getElementById('scan-event').value;
    input.value = '';
    if (!number) return;
    try {
      const response = await fetch('/api/v1/scans', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content, 'Accept-Language': 'vi' },
        body: JSON.stringify({ trackingNumber: number, event: eventCode, officeCode: document.getElementById('scan-office').value,
                               identityChecked: eventCode === 'delivered' ? identity.checked : undefined,
                               note: document.getElementById('scan-note').value.trim() || undefined })
      });
      const answer = await response.json();
      // The session ended (12 hours after signing in, or signed out elsewhere): every scan would fail the same way
      // until the clerk signs in again, so the page says so and where.
      document.getElementById('session-expired').hidden = response.status !== 401;
      if (response.status === 401) {
        show(false, 'LỖI — phiên đăng nhập đã hết hạn; hãy đăng nhập lại', number);
      } else if (response.ok) {
        show(true, (answer.recorded ? 'ĐẠT' : 'ĐÃ QUÉT TRƯỚC ĐÓ') + ' — ' + answer.trackingNumber + ': ' + answer.statusText, number);
      } else {
        const reasons = (answer.errors || []).map(function (error) { return error.message; });
        show(false, 'LỖI — ' + [answer.detail || answer.title].concat(reasons).join(' '), number);
      }
    } catch (error) {
      show(false, 'LỖI — không kết nối được máy chủ', number);
    }
    // Each delivery needs its own identity check.
    identity.checked = false;
    input.focus();
  });

  // A pick list or the identity box keeps the focus once used, and the scanner's next number would go into it: the
  // input takes the focus back as soon as one is changed.
  for (const control of [document.getElementById('scan-event'), document.getElementById('scan-office'), identity]) {
    control.addEventListener('change', function () { input.focus(); });
  }

  // Keep the focus on the input whatever is clicked, except the two pick lists, the identity box and the note.
  const note = document.getElementById('scan-note');
  function mayHoldFocus(element) { return element.tagName === 'SELECT' || element === identity || element === note; }
  document.addEventListener('click', function (event) {
    if (!mayHoldFocus(event.target)) input.focus();
  });
  input.addEventListener('blur', function () {
    setTimeout(function () { if (!mayHoldFocus(document.activeElement)) input.focus(); }, 0);
  });
  // Enter in the note goes back to the scanner's input.
  note.addEventListener('keydown', function (event) {
    if (event.key === 'Enter') { event.preventDefault(); input.focus(); }
  });
  input.focus();
})();
