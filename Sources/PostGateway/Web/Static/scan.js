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
    recent.insertBefore(line, recent.firstChild);
    while (recent.children.length > 15) recent.removeChild(recent.lastChild);
    beep(pass);
  }

  document.getElementById('scan-form').addEventListener('submit', async function (event) {
    event.preventDefault();
    const number = input.value.trim().toUpperCase();
    const eventCode = document.getElementById('scan-event').value;
    input.value = '';
    if (!number) return;
    try {
      const response = await fetch('/api/v1/scans', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content, 'Accept-Language': 'vi' },
        body: JSON.stringify({ trackingNumber: number, event: eventCode, officeCode: document.getElementById('scan-office').value,
                               identityChecked: eventCode === 'delivered' ? identity.checked : undefined })
      });
      const answer = await response.json();
      if (response.ok) {
        show(true, (answer.recorded ? 'ĐẠT' : 'ĐÃ QUÉT TRƯỚC ĐÓ') + ' — ' + answer.trackingNumber + ': ' + answer.status, number);
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

  // Keep the focus on the input whatever is clicked, except the two pick lists.
  document.addEventListener('click', function (event) {
    if (event.target.tagName !== 'SELECT' && event.target !== identity) input.focus();
  });
  input.addEventListener('blur', function () {
    setTimeout(function () { if (document.activeElement.tagName !== 'SELECT' && document.activeElement !== identity) input.focus(); }, 0);
  });
  input.focus();
})();
