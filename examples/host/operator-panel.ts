import { escapeHtml } from './page'
import { commandLine } from './operator'

// The landing page's third part: the program operator, who pays the affiliate. Not the host
// app's business (operator.ts): the panel says so, and shows each button's command line, which
// is what the operator types in production.

// The configured program and group, or null when this server has no operator access.
export type OperatorPanel = { programId: string; groupId: string | null } | null

const code = (argv: string[]) => `<code>${escapeHtml(commandLine(argv))}</code>`

export const operatorCss = `
  #operator-panel { grid-column: 1 / -1 }
  #operator-panel code { font: 13px ui-monospace, monospace; background: #f3f4f6; padding: 2px 4px; overflow-wrap: anywhere }
  #payouts { border-collapse: collapse; width: 100%; font-size: 14px; margin: 12px 0 }
  #payouts caption { text-align: left; padding-bottom: 4px }
  #payouts th, #payouts td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e7eb }
  #operator-log { font: 13px/1.5 ui-monospace, monospace; padding-left: 20px }
  #operator-log pre { white-space: pre-wrap; word-break: break-all; background: #f3f4f6; padding: 8px; margin: 4px 0 }`

export function operatorSection(panel: OperatorPanel): string {
  const heading = `<h2 id="operator">The operator: paying the affiliate (not part of Acme's app)</h2>
    <p class="note">Payouts are the program operator's step, never the host app's: no API key can
    create or pay one, and the service has no payout route. In production the operator runs
    <code>npm run admin -- payout create | mark-paid | cancel | list</code> on the service's
    database. So that the whole loop fits on one screen, this demo server runs those very commands
    (tools/cli, src/admin/payouts.ts) with the CLI's own database access. No money moves: a payout
    records what the operator is to pay, and the operator pays it outside the service.</p>`
  if (panel === null) {
    return `<section id="operator-panel" aria-labelledby="operator">
    ${heading}
    <p id="operator-off" class="note">This server was started without the operator's database
    access, so the panel is off: run the commands above yourself.</p>
  </section>`
  }
  const hold =
    panel.groupId === null
      ? `<p class="note">A commission can be paid once its hold is over (a new group's default: 30
    days). To see a payout at once, set the group's hold to 0 days before the visitor signs up:
    <code>npm run admin -- group update --id &lt;group id&gt; --hold-days 0</code>.</p>`
      : `<p class="note">A commission can be paid once its hold is over (a new group's default: 30
    days). To see a payout at once, set the group's hold to 0 days, then sign up another visitor:
    a referral keeps the terms it was made under.</p>
    <div class="row"><button id="hold-zero" type="button">Hold new commissions 0 days</button>
      ${code(['group', 'update', '--id', panel.groupId, '--hold-days', '0'])}</div>`
  return `<section id="operator-panel" aria-labelledby="operator">
    ${heading}
    ${hold}
    <div class="row"><button id="payout-create" type="button">Create payouts</button>
      ${code(['payout', 'create', '--program', panel.programId])}</div>
    <div class="row"><label for="payout-reference">Reference of the payment</label>
      <input id="payout-reference" value="demo bank transfer" maxlength="200"></div>
    <table id="payouts">
      <caption>${code(['payout', 'list', '--program', panel.programId])}</caption>
      <thead><tr><th>Payout</th><th>Affiliate</th><th>Amount</th><th>Commissions</th><th>Status</th><th>Reference</th><th></th></tr></thead>
      <tbody></tbody>
    </table>
    <h3>What the commands printed</h3>
    <ol id="operator-log"></ol>
  </section>`
}

// Runs in the landing page, after its own script (which defines refreshDashboard).
export const operatorScript = `
// Every answer of the operator's commands, newest last (the browser tests read it).
window.operatorAnswers = [];
const payoutRows = document.querySelector('#payouts tbody');

// The currency's own number of decimals, as the server's sentences write amounts.
function amount(value, currency) {
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {}
  return value.toFixed(digits) + ' ' + currency;
}

// The table: what \`payout list\` printed, with "Mark paid" on each pending payout.
function showPayouts(payouts) {
  payoutRows.replaceChildren(...payouts.map((p) => {
    const row = document.createElement('tr');
    row.dataset.id = p.id;
    for (const text of [p.id, p.affiliateId, amount(p.amount, p.currency), String(p.commissions), p.status, p.reference ?? '']) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    const cell = document.createElement('td');
    if (p.status === 'pending') {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Mark paid';
      button.dataset.payout = p.id;
      button.addEventListener('click', () => operate('payout-mark-paid', {
        payoutId: p.id,
        reference: document.getElementById('payout-reference').value,
      }));
      cell.append(button);
    }
    row.append(cell);
    return row;
  }));
}

async function operate(action, body) {
  let outcome;
  try {
    const response = await fetch('/operator/' + action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    outcome = await response.json();
  } catch (error) {
    outcome = { command: action, ok: false, printed: null, text: 'The demo server could not be reached: ' + error, payouts: null };
  }
  if (outcome.payouts) showPayouts(outcome.payouts);
  // The table's own refresh on load is not one of the operator's steps.
  if (action === 'payout-list') return outcome;
  window.operatorAnswers.push(outcome);
  const item = document.createElement('li');
  const command = document.createElement('code');
  command.textContent = '$ ' + outcome.command;
  item.append(command, document.createElement('br'), (outcome.ok ? '' : 'Refused: ') + outcome.text);
  if (outcome.printed !== null) {
    const raw = document.createElement('pre');
    raw.textContent = JSON.stringify(outcome.printed, null, 2);
    item.append(raw);
  }
  document.getElementById('operator-log').prepend(item);
  refreshDashboard();
  return outcome;
}

document.getElementById('payout-create').addEventListener('click', () => operate('payout-create', {}));
document.getElementById('hold-zero')?.addEventListener('click', () => operate('hold-zero', {}));
operate('payout-list', {});
`
