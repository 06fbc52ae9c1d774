/**
 * The fastest a person crosses a shop floor (m/s): how far someone unseen may have got since last seen —
 * relinking a lost person, alibis, who may still reach the exit. Shoppers late for their next shelf hurry
 * up to 3 m/s in the simulator (docs/scenarios.md); a bound below that lets a hurrying person be somewhere
 * the edge has ruled out.
 */
export const FASTEST_WALK_MPS = 3;
