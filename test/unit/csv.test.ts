import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../shared/format/csv';
import { toCsv as fileConnectorCsv } from '../../electron/backend/sync/connectors/file';

describe('csvCell', () => {
  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+33 6 12', "'+33 6 12"],
    ['-2', "'-2"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "\"'\rx\""],
    ['a;b', '"a;b"'],
    ['dit "bonjour"', '"dit ""bonjour"""'],
    ['ligne\nsuite', '"ligne\nsuite"'],
    ['=a;b', "\"'=a;b\""],
    ['Hélène', 'Hélène'],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('leaves numbers and booleans as data, empties null and undefined', () => {
    expect(csvCell(-5)).toBe('-5');
    // Lists exported from the screen write decimals as French Excel reads them; machine files keep the dot.
    expect(csvCell(12.5, { decimalComma: true })).toBe('12,5');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell('12.5', { decimalComma: true })).toBe('12.5');
    expect(csvCell(3.5)).toBe('3.5');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('toCsv', () => {
  it('writes the BOM, a header, ; between cells and CRLF after every line', () => {
    expect(toCsv(['Nom', 'Heures'], [['LEFÈVRE Hélène', 7], ['=1+1', null]])).toBe('\uFEFFNom;Heures\r\nLEFÈVRE Hélène;7\r\n\'=1+1;\r\n');
  });

  it('is the writer of the file connector too, guard included', () => {
    expect(fileConnectorCsv([{ recordId: 'r1', version: 1, type: 'claim', payload: { note: '@SUM(1)' } }])).toBe(
      "\uFEFFrecordId;version;type;note\r\nr1;1;claim;'@SUM(1)\r\n",
    );
  });
});
