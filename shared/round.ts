// One rounding for numbers published or stored: metres and 0–1 scores to the millimetre / thousandth.

/** `v` rounded to three decimals (millimetres for metres, thousandths for a confidence). */
export const round3 = (v: number): number => Math.round(v * 1000) / 1000;
