// @ts-check
// The exception queue: a card per doubtful line with who could have done it, which product it may be and
// the camera frames; a supervisor assigns it (session, product, count) or drops it. Cards are kept while
// their exception is open, so what staff chose in one survives new exceptions and frames arriving.
/** @import { FloorException, KeptFrames } from '../../../shared/floor-messages.ts' */
/** @import { ProductHypothesis } from '../../../shared/schemas/shelf-event.ts' */
import { assignException, dropException } from './floor-api.js';
import { onSignOut, signedIn } from './floor-auth.js';
import { h } from './floor-dom.js';
import { short, time } from './floor-format.js';
import { filmstrip } from './floor-frames.js';
import { framesOf, latestException, openExceptions, productName, storeLayout } from './floor-store.js';

/** Cards shown at once; the rest wait below the fold as a count. */
const CARDS_SHOWN = 40;

/**
 * A card on the page and the frames its filmstrip shows.
 * @typedef {{ card: HTMLElement, strip: HTMLElement | undefined, frames: KeptFrames | undefined }} ShownCard
 */
/** by exception id */
const shown = /** @type {Map<string, ShownCard>} */ (new Map());

// the next one to sign in may have another role: their cards are built anew
onSignOut(() => shown.clear());

/** @type {HTMLOptGroupElement | undefined} */
let anyProduct;
/** Every product by name with its unit weight (an unknown item may be any of them), cloned per card. */
function anyProductGroup() {
  anyProduct ??= h(
    'optgroup',
    { label: 'any product (unit weight)' },
    Object.entries(storeLayout()?.products ?? {})
      .sort((a, b) => a[1].name.localeCompare(b[1].name))
      .map(([sku, p]) =>
        h('option', { value: sku }, p.name, p.unitGrams ? ` · ${Math.round(p.unitGrams)} g` : ''),
      ),
  );
  return anyProduct.cloneNode(true);
}

/**
 * What it may be: the products that explain the weight, else the products of its lanes.
 * @param {FloorException} x
 * @returns {ProductHypothesis[]}
 */
function productsFor(x) {
  if (x.candidateProducts.length) return x.candidateProducts;
  return (storeLayout()?.shelves ?? [])
    .flatMap((s) => s.lanes)
    .flatMap((l) => (x.event.lanes.includes(l.id) && l.sku ? [{ sku: l.sku, count: 1, likelihood: 0 }] : []));
}

/**
 * The product to bill: the likely ones with their likelihood, and every product when none explains the weight.
 * @param {FloorException} x
 * @param {ProductHypothesis[]} products
 */
function productSelect(x, products) {
  return h(
    'select',
    { class: 'x-product' },
    products.map((p) =>
      h(
        'option',
        { value: p.sku, 'data-count': p.count },
        productName(p.sku),
        p.likelihood ? ` (${Math.round(p.likelihood * 100)} %)` : '',
      ),
    ),
    x.candidateProducts.length ? null : anyProductGroup(),
  );
}

/** @param {FloorException} x */
function buildCard(x) {
  const e = x.event;
  const canDecide = signedIn()?.user.role === 'supervisor';
  const products = productsFor(x);
  const session = h(
    'select',
    { class: 'x-session' },
    x.candidateSessions.map((s) => h('option', { value: s }, `session ${short(s)}`)),
  );
  const product = productSelect(x, products);
  const count = h('input', {
    class: 'x-count',
    type: 'number',
    min: 1,
    max: 100,
    value: products[0]?.count ?? 1,
  });
  const error = h('span', { class: 'x-error error' });
  /** @param {() => Promise<unknown>} decision */
  const decide = (decision) => () => {
    error.textContent = '';
    decision().catch((/** @type {unknown} */ err) => {
      error.textContent = err instanceof Error ? err.message : String(err);
    });
  };
  const wording = wordingOf(x.reason);
  const cameras = e.evidence?.rule
    ? ` · cameras: ${e.evidence.rule}${e.confidence ? ` (${Math.round(e.confidence * 100)} %)` : ''}`
    : '';
  return h(
    'div',
    { class: `card critical${x.exceptionId === latestException() ? ' new' : ''}`, 'data-x': x.exceptionId },
    h('h3', {}, `${e.kind} on ${e.lanes.join(', ')} · ${wording.title}`),
    h(
      'div',
      { class: 'meta' },
      `${time(e.startTs)} · ${e.deltaGrams} g ± ${e.deltaSdGrams} · ${x.candidateSessions.length} shopper(s) could have done it${cameras}`,
    ),
    h('div', { class: 'row' }, session, product, count),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'x-assign',
          disabled: !canDecide,
          title: canDecide ? undefined : 'supervisors only',
          onclick: decide(() =>
            assignException(x.exceptionId, {
              sessionId: session.value,
              sku: product.value,
              count: Number(count.value),
            }),
          ),
        },
        wording.assign,
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'x-drop danger',
          disabled: !canDecide,
          onclick: decide(() => dropException(x.exceptionId)),
        },
        wording.drop,
      ),
      error,
    ),
  );
}

/**
 * What an exception's card says and its two decisions read: a shopper's flag and an ID check have their own
 * words; a doubtful shelf event shows its reason.
 * @param {string} reason
 */
function wordingOf(reason) {
  if (reason === 'shopper-flag')
    return {
      title: 'the shopper says: I didn’t take this',
      assign: 'Confirm: they took it',
      drop: 'Remove from their bill',
    };
  if (reason === 'age-check')
    return {
      title: 'check ID: age-restricted product',
      assign: 'ID checked: bill it',
      drop: 'Refused: remove from their bill',
    };
  return { title: reason, assign: 'Assign', drop: 'Drop' };
}

/**
 * The card for an open exception, built once; its filmstrip is rebuilt when its frames change.
 * @param {FloorException} x
 */
function cardFor(x) {
  let entry = shown.get(x.exceptionId);
  if (entry === undefined) {
    entry = { card: buildCard(x), strip: undefined, frames: undefined };
    shown.set(x.exceptionId, entry);
  }
  const frames = framesOf(x.exceptionId);
  if (entry.strip === undefined || entry.frames !== frames) {
    const strip = filmstrip(x);
    // the filmstrip sits between the choices and the buttons
    if (entry.strip) entry.strip.replaceWith(...(strip ? [strip] : []));
    else if (strip) entry.card.lastElementChild?.before(strip);
    entry.strip = strip;
    entry.frames = frames;
  }
  return entry.card;
}

/**
 * Shows the open exceptions, oldest first; touches the page only where something changed.
 * @param {HTMLElement} panel
 */
export function renderExceptions(panel) {
  const open = openExceptions();
  const openIds = new Set(open.map((x) => x.exceptionId));
  for (const id of shown.keys()) if (!openIds.has(id)) shown.delete(id);
  /** @type {Node[]} */
  const nodes = open.slice(0, CARDS_SHOWN).map(cardFor);
  if (open.length > CARDS_SHOWN)
    nodes.push(h('p', { class: 'muted' }, `… and ${open.length - CARDS_SHOWN} more waiting`));
  if (open.length === 0)
    nodes.push(
      h(
        'p',
        { class: 'muted' },
        'No doubtful picks waiting. Lines the system doubts appear here for a decision.',
      ),
    );
  const same =
    open.length <= CARDS_SHOWN &&
    open.length > 0 &&
    nodes.length === panel.children.length &&
    nodes.every((node, i) => panel.children[i] === node);
  if (!same) panel.replaceChildren(...nodes);
}
