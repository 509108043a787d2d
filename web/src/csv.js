// The portal's CSV export: one rule for every cell, the same as the program's
// (src/common/csv_writer.h). Plain JavaScript with its types in csv.d.ts, so that node's test
// runner can load it as it is (web/test/csv.test.mjs).

// Where a spreadsheet could start a formula, and where a reader may start a new cell.
const kFormulaStart = /[=+\-@\t\r]/;
const kPieceEnd = /[,;\t\r\n]/;

/**
 * `value` as one CSV cell, safe whether the reader splits on "," or ";" (Excel with Dutch
 * settings uses ";"): where the cell, or a piece of it after , ; TAB CR or LF, starts with
 * = + - @ TAB or CR (also after '"' or spaces), a "'" goes first, so a spreadsheet shows text;
 * the cell is quoted (quotes doubled) when it holds , ; " CR or LF. null and undefined are
 * empty.
 */
export function csvCell(value) {
  const text = value === null || value === undefined ? "" : String(value);
  let cell = "";
  let pieceStart = true;
  for (let i = 0; i < text.length; i++) {
    if (pieceStart) {
      let first = i;
      while (first < text.length && (text[first] === '"' || text[first] === " ")) first++;
      if (first < text.length && kFormulaStart.test(text[first])) cell += "'";
      pieceStart = false;
    }
    cell += text[i];
    pieceStart = kPieceEnd.test(text[i]);
  }
  return /[,;"\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/**
 * A whole CSV file in the dialect Excel with Dutch settings opens without a wizard: ";" between
 * cells, CRLF line ends, a byte-order mark; the header row is `keys`.
 */
export function csvText(keys, rows) {
  const lines = [keys.map(csvCell).join(";")];
  for (const row of rows) lines.push(keys.map((key) => csvCell(row[key])).join(";"));
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}
