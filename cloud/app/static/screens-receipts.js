// @ts-check
// Receipts, newest first, each line disputable ("I didn't take this"); the outcome (refunded at once, or
// waiting for staff review) shows on the line, as do units put back on the shelf after the receipt (refunded).
/** @import { DisputeStatus, Receipt } from '../../receipts/receipt-schemas.ts' */
import { disputeLine, messageOf, receipts } from './api.js';
import { banner } from './banner.js';
import { badge, h, money, show, when } from './dom.js';
import { refreshPoints } from './points.js';

/** @type {Record<DisputeStatus, string>} */
const OUTCOME = {
  refunded: 'Refunded',
  refunding: 'Refund on its way',
  pending_review: 'Our staff is reviewing this',
  rejected: 'Dispute rejected after review',
};

/**
 * @param {Receipt} receipt
 * @param {Receipt['lines'][number]} line
 * @param {() => void} reload
 */
function lineView(receipt, line, reload) {
  const dispute = line.dispute;
  /** @param {Event} event */
  const disputeIt = async (event) => {
    if (event.currentTarget instanceof HTMLButtonElement) event.currentTarget.disabled = true;
    try {
      const result = await disputeLine(receipt.receiptId, line.lineNo);
      banner(
        result.status === 'refunded'
          ? `Refunded ${money(result.amountCents, receipt.currency)}`
          : 'Sent to our staff for review',
      );
      refreshPoints();
    } catch (err) {
      banner(messageOf(err));
    }
    reload();
  };
  const action = dispute
    ? h(
        'span',
        { class: 'muted', 'data-testid': 'dispute-outcome' },
        badge(dispute.status),
        ' ',
        OUTCOME[dispute.status],
        ' · ',
        money(dispute.amountCents, receipt.currency),
      )
    : receipt.status === 'paid' && line.returnedQuantity < line.quantity
      ? h(
          'button',
          { class: 'ghost small', 'data-testid': 'dispute', onclick: disputeIt },
          "I didn't take this",
        )
      : '';
  return h(
    'li',
    { 'data-testid': 'receipt-line', 'data-sku': line.sku },
    h(
      'div',
      { class: 'row' },
      h('span', {}, `${line.quantity} × ${line.name}`),
      h('strong', {}, money(line.totalCents, receipt.currency)),
    ),
    h(
      'div',
      { class: 'row' },
      h('span', { class: 'muted' }, `${money(line.unitPriceCents, receipt.currency)} each`),
      action,
    ),
    // handed to someone who put it back on the shelf after you left: refunded to you
    line.returnedQuantity > 0
      ? h(
          'div',
          { class: 'row' },
          h(
            'span',
            { class: 'muted', 'data-testid': 'line-returned' },
            `${line.returnedQuantity} returned to the shelf — refunded`,
          ),
          h('span', { class: 'amount' }, `− ${money(line.returnedCents, receipt.currency)}`),
        )
      : '',
  );
}

/**
 * @param {Receipt} receipt
 * @param {() => void} reload
 */
function receiptView(receipt, reload) {
  return h(
    'article',
    { class: 'card', 'data-testid': 'receipt', 'data-receipt-id': receipt.receiptId },
    h('div', { class: 'row' }, h('strong', {}, when(receipt.exitedAt)), badge(receipt.status)),
    h('p', { class: 'muted' }, `Store ${receipt.storeId}`),
    h('ul', { class: 'lines' }, ...receipt.lines.map((line) => lineView(receipt, line, reload))),
    h(
      'div',
      { class: 'row' },
      h('span', {}, 'Total'),
      h(
        'span',
        { class: 'total', 'data-testid': 'receipt-total' },
        money(receipt.totalCents, receipt.currency),
      ),
    ),
    receipt.refundedCents > 0
      ? h(
          'div',
          { class: 'row' },
          h('span', {}, 'Refunded'),
          h(
            'span',
            { 'data-testid': 'receipt-refunded' },
            `− ${money(receipt.refundedCents, receipt.currency)}`,
          ),
        )
      : '',
    h('p', { class: 'muted' }, `${receipt.pointsEarned} points earned`),
    receipt.status === 'declined'
      ? h('p', { class: 'error' }, 'Payment declined: add a new card before your next visit.')
      : receipt.status === 'collection'
        ? h(
            'p',
            { class: 'error', 'data-testid': 'receipt-collection' },
            'We couldn’t take this payment from your card. The store will be in touch to settle it.',
          )
        : receipt.status === 'collected'
          ? h('p', { class: 'muted' }, 'Paid to the store directly. Thank you!')
          : receipt.status === 'written_off'
            ? h('p', { class: 'muted' }, 'The store settled this receipt: there is nothing to pay.')
            : '',
  );
}

export function receiptsScreen() {
  const list = h('div', { 'data-testid': 'receipts' }, h('p', { class: 'muted' }, 'Loading…'));
  const load = async () => {
    try {
      const { receipts: all } = await receipts();
      list.replaceChildren(
        ...(all.length === 0
          ? [
              h(
                'div',
                { class: 'card' },
                h(
                  'p',
                  { class: 'muted', 'data-testid': 'no-receipts' },
                  'No receipts yet. They appear here seconds after you leave a store.',
                ),
              ),
            ]
          : all.map((receipt) => receiptView(receipt, load))),
      );
    } catch (err) {
      list.replaceChildren(h('p', { class: 'error' }, messageOf(err)));
    }
  };
  show(h('h1', {}, 'Receipts'), list);
  load();
}
