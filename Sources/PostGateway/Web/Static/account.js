// The password page: posts to the API with the session's CSRF token and shows each field's error beside it.
(function () {
  const form = document.getElementById('password-form');
  const result = document.getElementById('password-result');
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    document.querySelectorAll('.field-error').forEach((element) => { element.textContent = ''; });
    result.textContent = '';
    const body = { currentPassword: form.currentPassword.value, newPassword: form.newPassword.value };
    let response;
    try {
      response = await fetch('/api/v1/account/password', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'Accept-Language': 'vi' },
        body: JSON.stringify(body),
      });
    } catch (error) {
      result.textContent = 'Không kết nối được máy chủ; mật khẩu chưa được đổi.';
      return;
    }
    if (response.ok) {
      form.reset();
      result.textContent = 'Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc.';
      return;
    }
    const problem = await response.json().catch(() => ({}));
    for (const issue of problem.errors || []) {
      const slot = document.querySelector('.field-error[data-field="' + issue.field + '"]');
      if (slot) slot.textContent = issue.message;
    }
    if (!(problem.errors || []).length) result.textContent = problem.detail || 'Mật khẩu chưa được đổi.';
  });
})();
