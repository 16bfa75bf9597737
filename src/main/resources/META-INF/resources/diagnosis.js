'use strict';
// The missing-rule diagnosis (README, "The firewall rule"): its own block, shown only while it holds.
async function loadRuleDiagnosis() {
  const block = document.getElementById('rule-diagnosis');
  try {
    const response = await fetch('api/diagnosis', { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) return;
    const diagnosis = await response.json();
    block.textContent = diagnosis.captureRuleMissing || '';
    block.hidden = !diagnosis.captureRuleMissing;
  } catch (e) {
    // the peers table says when wgmon cannot be reached
  }
}
loadRuleDiagnosis();
setInterval(loadRuleDiagnosis, 30000);
