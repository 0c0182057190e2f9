/**
 * A cell a spreadsheet would run as a formula: it starts with = + - @ tab or CR, perhaps behind
 * apostrophes. For papaparse's `escapeFormulae`, which writes such a cell with an apostrophe in
 * front. Deliberately without `.*$` and without the `m`/`s` flags: only the cell's very start
 * counts — papaparse's own default (`/^[=+\-@\t\r].*$/`) misses a cell with a line break in it,
 * so "=1+1" on the first line of a multi-line note went out as a live formula.
 */
export const SPREADSHEET_FORMULA = /^'*[=+\-@\t\r]/;
