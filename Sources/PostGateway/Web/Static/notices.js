// A dossier's messages page: the counter changes the citizen's consent (PUT …/notifications), then the page reloads.
(function () {
  const form = document.getElementById('consent-form');
  if (!form) return;
  form.addEventListener('submit', async function (event) {
    event.preventDefault();
    const response = await fetch('/api/v1/dossiers/' + encodeURIComponent(form.dataset.trackingNumber) + '/notifications', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content, 'Accept-Language': 'vi' },
      body: JSON.stringify({ notifications: form.notifications.value })
    });
    if (response.ok) { location.reload(); return; }
    const answer = await response.json();
    const banner = document.getElementById('form-error');
    banner.textContent = [answer.detail || answer.title].concat((answer.errors || []).map(function (error) { return error.message; })).join(' ');
    banner.hidden = false;
  });
})();
